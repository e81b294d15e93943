#!/usr/bin/env python3
"""Counts a built site's speaker pages by what their names look like.

    python3 bench/speaker_pages.py public/

Prints one line: people, bare capital initials (`MF`), `Name (XX)` forms, roles and positions
(`Host`, `Panelist 2`), and one-word names (`Aaron`, `sipa`). It reads only the output, so it
compares any two builds, old or new; `verbatim check --speakers` prints the same counts (and
every label with its rule) for the current build.
"""

import html
import re
import sys
from pathlib import Path

ROLE = re.compile(
    r"(?i)^(?:(?:co-?)?hosts?|(?:(?:q ?(?:&|and) ?a|panel|session|debate|event) )?moderator"
    r"|interviewer|interviewee|presenter|introducer|announcer|narrator|emcee|organi[sz]er"
    r"|chair(?:person)?|panell?ist|participant|attendee|guest|member of (?:the )?audience"
    r"|(?:new|other|another|next|previous|different) (?:speaker|person|voice|asker|questioner|participant)"
    r"|(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth) (?:person|speaker|voice|questioner|participant|panell?ist|guest)"
    r"|person|asker|questioner|follow-?up (?:q|question)"
    r"|(?:unknown|unidentified)(?: (?:speaker|person|voice|man|woman|male|female))?"
    r"|(?:fe)?male(?: (?:speaker|voice))?|man|woman|voice"
    r"|speaker|audience(?: members?)?|caller|q|a|question|answer)(?:[ _#-]*\d+|[ _-][a-z])?$"
)
NAME = re.compile(r'<h1 id="speaker-name">([^<]*)</h1>')


def is_initials(name):
    """One to four letters, capitals first and last, lower case only between capitals."""
    if not 1 <= len(name) <= 4 or not name.isalpha() or not name[0].isupper():
        return False
    return bool(re.fullmatch(r"[A-Z\u00c0-\u00de](?:[a-z\u00df-\u00ff]?[A-Z\u00c0-\u00de])*", name))


def kind(name):
    if is_initials(name):
        return "initials"
    bracketed = re.fullmatch(r"(.*\S)\s*[(\[]([^()\[\]]+)[)\]]", name)
    if bracketed and is_initials(bracketed.group(2).strip()):
        return "name (XX)"
    if ROLE.match(name.strip()):
        return "roles"
    if len(name.split()) == 1:
        return "one word"
    return "people"


def main():
    public = Path(sys.argv[1] if len(sys.argv) > 1 else "public")
    counts = {k: 0 for k in ["people", "initials", "name (XX)", "roles", "one word"]}
    for page in sorted((public / "speakers").glob("*/index.html")):
        found = NAME.search(page.read_text(encoding="utf-8"))
        if found:
            counts[kind(html.unescape(found.group(1)))] += 1
    total = sum(counts.values())
    print(f"{total} speaker pages: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


if __name__ == "__main__":
    main()
