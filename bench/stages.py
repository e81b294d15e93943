#!/usr/bin/env python3
"""Where a build waits: its stages, and for each how busy the cores were and on what.

Usage (Linux):

    python3 bench/stages.py [--every SECONDS] -- target/release/verbatim build [ARGS...]

Runs the command in a pseudo-terminal, so that Verbatim's progress bar shows, and reads from
the bar when each stage begins (reading, model, pages, search index, writing). Every
`--every` seconds (default 2) it samples the build's CPU time (`/proc/PID/stat`), what the
storage gave it and took from it (`read_bytes` and `write_bytes` of `/proc/PID/io`), and how the
whole machine's cores were spent (`/proc/stat`: user, system, idle, waiting on I/O). Then it
prints, for each stage, its length, the build's cores busy on average, the machine's split,
and the bytes the build read from and wrote to storage.

A build that keeps fewer cores busy than the machine has is waiting: on the storage when
`iowait` takes the rest, on itself (a stage that runs on one thread) when `idle` does. The
machine's columns include every other process, so run nothing else meanwhile.
"""

import argparse
import os
import pty
import re
import select
import time

STAGES = ["reading", "model", "pages", "search index", "writing"]
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    """The seconds of CPU time the process has used, user and system."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def process_io(pid):
    """Bytes the process has read from and written to storage."""
    with open(f"/proc/{pid}/io") as f:
        io = dict(line.split(": ") for line in f.read().splitlines())
    return int(io["read_bytes"]), int(io["write_bytes"])


def machine_cpu():
    """Seconds of all cores spent: user, system, idle, waiting on I/O."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq = map(int, f.readline().split()[1:8])
    return [x / TICK for x in (user + nice, system + irq + softirq, idle, iowait)]


def sample(pid, started):
    return [time.monotonic() - started, process_cpu(pid), *process_io(pid), *machine_cpu()]


def run(command, every):
    """Runs `command`; returns when each stage began, the samples taken, the wall and CPU
    seconds of the whole run, and its exit code."""
    started = time.monotonic()
    pid, terminal = pty.fork()
    if pid == 0:
        # The bar stays hidden in CI.
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        os.execvpe(command[0], command, env)
    began, seen, samples = [], "", [sample(pid, started)]
    while True:
        ready, _, _ = select.select([terminal], [], [], 0.1)
        if ready:
            try:
                data = os.read(terminal, 65536)
            except OSError:
                break
            if not data:
                break
            seen = (seen + data.decode("utf-8", "replace"))[-4000:]
            for stage in STAGES:
                if stage not in [s for _, s in began] and re.search(rf"\s{stage} ", seen):
                    began.append((time.monotonic() - started, stage))
        if time.monotonic() - started - samples[-1][0] >= every:
            try:
                samples.append(sample(pid, started))
            except (OSError, IndexError, ValueError):
                break
    _, status, usage = os.wait4(pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    return began, samples, time.monotonic() - started, cpu, os.waitstatus_to_exitcode(status)


def report(began, samples, total, cpu):
    print(f"{'stage':<13} {'from s':>7} {'to s':>7} {'cores':>6} | machine: {'user':>5} {'sys':>5} "
          f"{'idle':>5} {'iowait':>6} | {'read GB':>7} {'write GB':>8}")
    bounds = [(0.0, "(before)")] + began + [(total, "")]
    for (start, stage), (end, _) in zip(bounds, bounds[1:]):
        inside = [s for s in samples if start <= s[0] <= end]
        if len(inside) < 2:
            print(f"{stage:<13} {start:7.1f} {end:7.1f}  (too short to sample)")
            continue
        first, last = inside[0], inside[-1]
        span = last[0] - first[0]
        d = [(b - a) for a, b in zip(first, last)]
        print(f"{stage:<13} {start:7.1f} {end:7.1f} {d[1] / span:6.2f} | machine: "
              f"{d[4] / span:5.2f} {d[5] / span:5.2f} {d[6] / span:5.2f} {d[7] / span:6.2f} | "
              f"{d[2] / 1e9:7.2f} {d[3] / 1e9:8.2f}")
    print(f"whole build: {total:.1f} s, {cpu:.1f} s of CPU ({cpu / total:.2f} cores busy)")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    began, samples, total, cpu, code = run(args.command, args.every)
    report(began, samples, total, cpu)
    if code != 0:
        raise SystemExit(f"the build failed (exit {code})")


if __name__ == "__main__":
    main()
