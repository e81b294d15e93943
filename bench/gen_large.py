#!/usr/bin/env python3
"""../shared/bench/gen_corpus.py for archives larger than its pool of guest names.

The generator gives an archive of N episodes N/3 distinct guests, drawn from its lists of first
and last names, and stops beyond about 31,000 episodes, when the combinations run out. For such
sizes this runs the same generator with more Latin last names: double-barrelled ones made from
its own list ("Bauer-Castro"). Every other choice, and every archive the generator can make
alone, is unchanged: below its limit this is exactly the generator.

    python3 bench/gen_large.py --episodes 100000 --seed 42 --out DIR --flavor ours
"""

import importlib.util
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen_corpus.py"


def episodes_asked():
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--episodes" and i + 1 < len(args):
            return int(args[i + 1])
        if arg.startswith("--episodes="):
            return int(arg.split("=", 1)[1])
    return 0


def main():
    spec = importlib.util.spec_from_file_location("gen_corpus", GENERATOR)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    pool = (len(gen.LATIN_FIRST) * len(gen.LATIN_LAST) + len(gen.CJK_SURNAME) * len(gen.CJK_GIVEN)
            + len(gen.CYR_FIRST) * len(gen.CYR_LAST) - len(gen.HOSTS))
    if episodes_asked() // 3 > pool:
        last = list(gen.LATIN_LAST)
        gen.LATIN_LAST = last + [f"{a}-{b}" for a in last for b in last if a != b]
    gen.main()


if __name__ == "__main__":
    main()
