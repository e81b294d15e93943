#!/usr/bin/env python3
"""Make a large archive of real talk out of a real corpus, to measure search at scale.

Usage (from the repository root):

    python3 bench/real_archive.py --episodes 10000 --out bench/out/real-10000
    python3 bench/real_archive.py --corpus bitcointranscripts --episodes 2000 \
        --out bench/out/btc-2000 --words 20

../shared/bench/gen_corpus.py draws every transcript from a vocabulary of about 600 words, so
every word of it is said in nearly every episode. In real talk most words are said in few
episodes and a few (the, and, you) in all of them, and what one search downloads depends on
that: its word's positions in every episode are part of it. This archive keeps real talk's
words: episode N is episode N mod M of the corpus (M episodes), its turns rotated to begin at a
turn picked at random (seeded), so that copies of an episode are different pages with the words
at different positions. Each copy is dated a year after the one before it and named after its
copy number. The corpus's show pages and speakers come along unchanged.

--words N also writes words.txt: every distinct word of N episodes of the corpus picked at
random (seeded), lowercase and without diacritics, as the search page passes a word to
Pagefind; `node bench/search_wasm.mjs` takes them as its words.
"""

import argparse
import random
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpus"
LABEL = re.compile(r"\*\*[^*\n]+:\*\*")  # a turn's speaker label, **Name:**
WORD = re.compile(r"[a-z0-9]+")


def split_front_matter(text):
    _, front, body = text.split("---\n", 2)
    return front, body


def rotate_turns(body, rng):
    """The body's blocks, starting at a turn picked at random and wrapping round."""
    blocks = [b for b in body.strip("\n").split("\n\n") if b.strip()]
    starts = [i for i, block in enumerate(blocks) if LABEL.match(block)]
    if not starts:
        return body
    first = rng.choice(starts)
    return "\n\n".join(blocks[first:] + blocks[:first]) + "\n"


def years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def copy_front_matter(front, copy):
    """The front matter of copy number `copy`: its own title and a date `copy` years later."""
    if copy == 0:
        return front
    out = []
    for line in front.split("\n"):
        if line.startswith("title: "):
            title = line[len("title: "):].strip().strip("'\"").replace('"', '\\"')
            line = f'title: "{title} (copy {copy})"'
        elif line.startswith("date: "):
            line = f"date: {years_later(date.fromisoformat(line[len('date: '):].strip()[:10]), copy)}"
        out.append(line)
    return "\n".join(out)


def search_words(body):
    """The distinct words of a transcript's talk, as a search for each would be typed."""
    text = unicodedata.normalize("NFKD", LABEL.sub("", body).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return set(WORD.findall(text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="changelog")
    parser.add_argument("--episodes", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--words", type=int, default=0, metavar="N")
    args = parser.parse_args()

    source = CORPORA / args.corpus / "content"
    episodes = sorted(p for p in source.rglob("*.md") if p.name != "_index.md")
    rng = random.Random(args.seed)

    if args.out.exists():
        shutil.rmtree(args.out)
    content = args.out / "content"
    for index in source.rglob("_index.md"):
        target = content / index.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(index, target)
    for n in range(args.episodes):
        episode, copy = episodes[n % len(episodes)], n // len(episodes)
        front, body = split_front_matter(episode.read_text(encoding="utf-8"))
        relative = episode.relative_to(source)
        name = relative.stem if copy == 0 else f"{relative.stem}-copy-{copy}"
        target = content / relative.parent / f"{name}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = f"---\n{copy_front_matter(front, copy)}---\n\n{rotate_turns(body, rng)}"
        target.write_text(text, encoding="utf-8")
    if args.words:
        words = set()
        for episode in random.Random(args.seed).sample(episodes, args.words):
            words |= search_words(split_front_matter(episode.read_text(encoding="utf-8"))[1])
        (args.out / "words.txt").write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    (args.out / "site.toml").write_text(
        f'title = "{args.corpus}, {args.episodes} episodes"\nbase_url = "https://bench.example/"\n',
        encoding="utf-8",
    )
    print(f"{args.episodes} episodes from {len(episodes)} of {args.corpus} in {args.out}")


if __name__ == "__main__":
    main()
