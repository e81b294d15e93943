#!/usr/bin/env python3
"""Where a build's time goes, by library: a `perf record` of Verbatim, its samples summed in groups.

Usage:

    perf record -F 29 -o perf.data target/release/verbatim build -q
    python3 bench/profile_groups.py perf.data

It reads `perf report --sort dso,symbol` and counts each symbol once, in the first group whose
rule takes it, in this order: the kernel, blake3, the C library's `mem*` functions, mimalloc,
zlib-rs (gzip), LZ4, minicbor, Pagefind, hashing and hash maps, Verbatim's own code,
pulldown-cmark, Tera, regex, lol_html; what none takes is "the rest". So a Pagefind function
that hashes is Pagefind's, and minicbor's encoding of Pagefind's types is minicbor's. Each line
ends with the group's largest symbols.
"""

import re
import subprocess
import sys

GROUPS = [
    ("the kernel", lambda kernel, symbol: kernel),
    ("blake3", lambda kernel, symbol: "blake3" in symbol),
    ("mem*", lambda kernel, symbol: re.match(r"__(mem|str)", symbol) is not None),
    ("mimalloc", lambda kernel, symbol: re.match(r"_?mi_", symbol) is not None),
    ("zlib-rs (gzip)", lambda kernel, symbol: "zlib_rs" in symbol),
    ("LZ4", lambda kernel, symbol: "lz4" in symbol),
    ("minicbor", lambda kernel, symbol: "minicbor" in symbol),
    ("Pagefind", lambda kernel, symbol: "pagefind" in symbol),
    ("hashing and hash maps", lambda kernel, symbol: re.search(r"hash|Hash|sip", symbol) is not None),
    ("Verbatim's own code", lambda kernel, symbol: "verbatim::" in symbol),
    ("pulldown-cmark", lambda kernel, symbol: "pulldown_cmark" in symbol),
    ("Tera", lambda kernel, symbol: "tera::" in symbol),
    ("regex", lambda kernel, symbol: "regex" in symbol),
    ("lol_html", lambda kernel, symbol: "lol_html" in symbol),
]
REST = "the rest"
# "  12.34%  verbatim  [.] symbol" (perf may pad the line with further columns after it)
SAMPLE = re.compile(r"\s*([\d.]+)%\s+\S+\s+\[(.)\]\s+(.*?)(?:\s+-\s+-)?\s*$")


def samples(recording):
    """(percent, in the kernel, symbol) of every symbol perf reports."""
    report = subprocess.run(["perf", "report", "-i", recording, "--sort", "dso,symbol",
                             "--stdio"], capture_output=True, text=True, check=True).stdout
    for line in report.splitlines():
        match = SAMPLE.match(line)
        if match and not line.startswith("#"):
            yield float(match.group(1)), match.group(2) == "k", match.group(3)


def group_of(kernel, symbol):
    return next((name for name, takes in GROUPS if takes(kernel, symbol)), REST)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    symbols = {}
    for percent, kernel, symbol in samples(sys.argv[1]):
        symbols.setdefault(group_of(kernel, symbol), []).append((percent, symbol))
    share = {group: sum(percent for percent, _ in taken) for group, taken in symbols.items()}
    for group, percent in sorted(share.items(), key=lambda item: -item[1]):
        top = sorted(symbols[group], reverse=True)[:4]
        print(f"{group:<24} {percent:5.1f} %   "
              + "; ".join(f"{symbol[:60]} {p:.1f}" for p, symbol in top))


if __name__ == "__main__":
    main()
