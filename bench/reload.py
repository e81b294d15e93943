#!/usr/bin/env python3
"""Edit-to-reload time of `verbatim serve` on generated archives.

Usage (from the repository root):

    python3 bench/reload.py                       # 1,000 episodes, 9 edits
    python3 bench/reload.py --episodes 1000 10000 --edits 15
    python3 bench/reload.py --corpus changelog   # a real archive from ../shared/corpus/
    python3 bench/reload.py --binary /tmp/old/verbatim   # another build, to compare

For each archive (made by ../shared/bench/gen_corpus.py into bench/out/, reused), it starts
`verbatim serve`, opens the live-reload event stream as a browser tab would, then edits one
episode file at a time (a different one each time, so no cache helps) and measures from the
moment the file is written to the moment the edited page, fetched after the reload event,
contains the new text. That is what a person sees: save, and the page shows the change.

With --corpus, the archive is a copy (in bench/out/) of a real corpus from ../shared/corpus/, so
the edits never touch the shared files.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
VERBATIM = REPO / "target" / "release" / "verbatim"
sys.path.insert(0, str(REPO / "bench"))
from compare import SHARED, generate  # noqa: E402


def corpus_copy(name):
    """A site folder holding a copy of a real corpus's content/, made once."""
    site = OUT / f"reload-{name}"
    if not (site / ".done").exists():
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(SHARED / "corpus" / name / "content", site / "content")
        (site / "site.toml").write_text(f'title = "{name}"\nbase_url = "https://bench.example/"\n')
        (site / ".done").touch()
    return site


def start_server(site, binary):
    proc = subprocess.Popen([str(binary), "--root", str(site), "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    match = re.search(r"http://([\d.]+):(\d+)(/[^\s;]*)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    return proc, match.group(1), int(match.group(2)), match.group(3)


def open_events(host, port):
    sock = socket.create_connection((host, port))
    sock.sendall(f"GET /__verbatim/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    sock.settimeout(30)
    return sock


def wait_reload(sock):
    seen = b""
    while b"event: reload" not in seen:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("event stream closed")
        seen += chunk
        if b"event: failed" in seen:
            raise SystemExit(f"rebuild failed: {seen[-500:]!r}")


def fetch(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path)
    body = conn.getresponse().read().decode("utf-8", "replace")
    conn.close()
    return body


def episode_files(site, count):
    files = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md" and "speakers" not in p.parts)
    step = max(1, len(files) // count)
    return files[::step][:count]


def page_path(site, base, file):
    show = file.relative_to(site / "content").parts[0]
    # The slug of a file name as Verbatim makes it (ASCII names only): `a--b` is `a-b`.
    slug = re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-")
    return f"{base}{show}/{slug}/"


def measure(site, edits, binary):
    started = time.monotonic()
    proc, host, port, base = start_server(site, binary)
    startup = time.monotonic() - started
    times = []
    try:
        events = open_events(host, port)
        time.sleep(0.5)
        for i, file in enumerate(episode_files(site, edits)):
            original = file.read_text()
            marker = f"reloadmarker{i}x"
            edited = re.sub(r"(\*\*[^*\n]+:\*\* )", r"\1" + marker + " ", original, count=1)
            t0 = time.monotonic()
            file.write_text(edited)
            wait_reload(events)
            body = fetch(host, port, page_path(site, base, file))
            elapsed = time.monotonic() - t0
            if marker not in body:
                raise SystemExit(f"{file}: the page does not show the edit: {body[:300]!r}")
            times.append(elapsed * 1000)
            file.write_text(original)
            wait_reload(events)
            time.sleep(0.2)
    finally:
        proc.kill()
        proc.wait()
    return startup, times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, nargs="*", default=[1000])
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--corpus", help="a real corpus of ../shared/corpus/ instead of generated archives")
    parser.add_argument("--binary", type=Path, help="the verbatim to run (default: a release build of this tree)")
    args = parser.parse_args()
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = VERBATIM
    sites = [(args.corpus, corpus_copy(args.corpus))] if args.corpus else [(n, generate(n, "ours")) for n in args.episodes]
    print(f"machine: {os.cpu_count()} cores")
    print(f"{'archive':>9} {'first build s':>14} {'edits':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    for name, site in sites:
        startup, times = measure(site, args.edits, binary)
        print(f"{name:>9} {startup:>14.1f} {len(times):>6} {statistics.median(times):>10.0f} {min(times):>8.0f} {max(times):>8.0f}")


if __name__ == "__main__":
    main()
