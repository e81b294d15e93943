#!/usr/bin/env python3
"""Write a site where one host speaks in N episodes, to measure the size of their speaker page.

Usage (from the repository root):

    python3 bench/one_host.py 5000 --out bench/out/one-host-5000
    /usr/bin/time -v target/release/verbatim --root bench/out/one-host-5000 build
    find bench/out/one-host-5000/public/speakers/ann-host -name index.html | xargs ls -l

The host is in every episode, over fifteen years of two shows, with a description, one of
forty guests and a regular co-host; one episode in a hundred has no date. A speaker
page that lists every appearance in full grows with N; it should stay the same size.
"""

import argparse
import pathlib
import shutil

SHOWS = ["the-daily-word", "weekend-long-read"]


def episode(n, total):
    show = SHOWS[0] if n % 5 else SHOWS[1]
    date = "" if n % 100 == 99 else f"date: {2010 + n * 15 // total}-{n % 12 + 1:02d}-{n % 28 + 1:02d}\n"
    front = (
        f"title: Episode {n}, on the harbour and its boats\n{date}"
        f"description: The host and a guest talk about wooden hulls, tides, the old harbour "
        "wall and what the town remembers of the fishing fleet before the war.\n"
        f"speakers: [{{name: Ann Host, role: host}}, {{name: Pat Visitor{n % 40:02d}, role: guest}}, Bob Regular]\n"
    )
    body = (
        "**Ann Host:** Welcome back. Today we walk along the harbour wall and ask what the "
        "tides have taken from the town, and what the carpenters of the boatyard still know "
        "about caulking seams with oakum and pitch before a long winter.\n\n"
        f"**Pat Visitor{n % 40:02d}:** Thank you for having me; my grandfather built boats here.\n\n"
        "**Bob Regular:** And mine sailed them.\n\n"
        "**Ann Host:** So tell us, what did the boatyard smell like?\n"
    )
    return show, f"e{n:05d}.md", f"---\n{front}---\n{body}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episodes", type=int)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    content = args.out / "content"
    for show in SHOWS:
        (content / show).mkdir(parents=True)
        title = show.replace("-", " ").title()
        (content / show / "_index.md").write_text(f"---\ntitle: {title}\n---\n")
    (args.out / "site.toml").write_text(
        'title = "One host"\nbase_url = "https://host.example/"\nsearch = false\n'
        "[transcripts]\nformats = []\n"
    )
    for n in range(args.episodes):
        show, name, text = episode(n, args.episodes)
        (content / show / name).write_text(text)


if __name__ == "__main__":
    main()
