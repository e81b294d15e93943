#!/usr/bin/env python3
"""Write a site with one episode that credits N speakers, to measure how output grows with a
credit list.

Usage (from the repository root):

    python3 bench/credits.py 2000 --out bench/out/credits-2000
    /usr/bin/time -v target/release/verbatim --root bench/out/credits-2000 build
    du -sb bench/out/credits-2000/public

Every credited speaker takes one turn, so each has a page and a feed. Output that lists every
co-speaker on every speaker's page or feed grows with the square of N; it should grow with N.
"""

import argparse
import pathlib
import shutil


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("speakers", type=int)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    show = args.out / "content" / "show"
    show.mkdir(parents=True)
    (args.out / "site.toml").write_text(
        'title = "Credits"\nbase_url = "https://credits.example/"\n'
    )
    (show / "_index.md").write_text("---\ntitle: The Show\n---\n")
    names = [f"Person {n:06d} Example" for n in range(args.speakers)]
    front = "".join(f"  - {name}\n" for name in names)
    body = "".join(f"**{name}:** I said thing number {i}.\n\n" for i, name in enumerate(names))
    (show / "crowd.md").write_text(
        f"---\ntitle: A crowd\ndate: 2024-01-01\nspeakers:\n{front}---\n\n{body}"
    )


if __name__ == "__main__":
    main()
