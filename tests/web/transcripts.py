#!/usr/bin/env python3
"""Reads every transcript file of built sites with the parsers podcast tools use.

Usage: python3 transcripts.py SITE_OUTPUT_DIR...

WebVTT with webvtt-py, SRT with srt, the JSON against the Podcasting 2.0 transcript and chapters
shapes. For each episode, the words of the VTT cues, the SRT cues and the JSON segments must be
the same words in the same order: no format may lose or repeat what was said. A site writes the
formats its `[transcripts] formats` names, so each episode is checked in those it has.
"""

import json
import re
import sys
from pathlib import Path

import srt
import webvtt

VOICE = re.compile(r"^<v(?:\.[^ >]*)? ([^>]*)>")


def words(text):
    return text.split()


def vtt_words(path):
    out = []
    for cue in webvtt.read(str(path)):
        raw = cue.raw_text
        match = VOICE.match(raw)
        assert match, f"{path}: cue without a voice span: {raw!r}"
        text = raw[match.end():].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        out += words(text)
    return out


def srt_words(path):
    out = []
    cues = list(srt.parse(path.read_text(encoding="utf-8")))
    for index, cue in enumerate(cues, start=1):
        assert cue.index == index, f"{path}: cue {cue.index} where {index} was expected"
        assert cue.end > cue.start, f"{path}: cue {index} ends before it starts"
        out += words(cue.content)
    return out, cues


def json_words(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data.get("version"), f"{path}: no version"
    out = []
    last = -1.0
    for segment in data["segments"]:
        for key, kind in (("speaker", str), ("startTime", (int, float)), ("endTime", (int, float)), ("body", str)):
            assert isinstance(segment.get(key), kind), f"{path}: segment without {key}: {segment}"
        assert segment["endTime"] > segment["startTime"] >= last, f"{path}: times out of order at {segment}"
        last = segment["startTime"]
        out += words(segment["body"])
    return out, data["segments"]


def strip_srt_names(srt_cues, json_segments):
    """SRT names the speaker inside the text at each turn, `Name: `, or `[0xB10C]: ` for a name
    that would not read as one bare; take those off."""
    out = []
    for cue, segment in zip(srt_cues, json_segments):
        text = cue.content
        name = segment["speaker"]
        for prefix in (name + ": ", "[" + name.replace("[", "").replace("]", "").replace(":", "") + "]: "):
            if text.startswith(prefix):
                text = text[len(prefix):]
                break
        out += words(text)
    return out


def check_chapters(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data.get("version") and isinstance(data.get("chapters"), list), f"{path}: not a chapters file"
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts), f"{path}: chapters out of order"
    assert all(isinstance(c.get("title"), str) for c in data["chapters"]), f"{path}: a chapter without title"


TIMED = ("transcript.vtt", "transcript.srt", "transcript.json")


def check_timed(folder, counts):
    """Reads each timed file of one episode and compares the words of those there are."""
    vtt, srt_file, json_file = (folder / name for name in TIMED)
    in_vtt = vtt_words(vtt) if vtt.is_file() else None
    srt_cues = srt_words(srt_file)[1] if srt_file.is_file() else None
    in_json, segments = json_words(json_file) if json_file.is_file() else (None, None)
    if in_vtt is not None and in_json is not None:
        assert in_vtt == in_json, f"{folder}: VTT and JSON words differ"
    if srt_cues is not None and segments is not None:
        assert len(srt_cues) == len(segments), f"{folder}: {len(srt_cues)} SRT cues, {len(segments)} JSON segments"
        assert strip_srt_names(srt_cues, segments) == in_json, f"{folder}: SRT and JSON words differ"
    counts["vtt"] += in_vtt is not None
    counts["srt"] += srt_cues is not None
    counts["json"] += in_json is not None
    counts["words"] += len(in_json if in_json is not None else in_vtt or [])


def main(sites):
    counts = {"vtt": 0, "srt": 0, "json": 0, "chapters": 0, "words": 0}
    for site in map(Path, sites):
        folders = sorted({path.parent for name in TIMED for path in site.rglob(name)})
        for folder in folders:
            check_timed(folder, counts)
        for chapters in sorted(site.rglob("chapters.json")):
            check_chapters(chapters)
            counts["chapters"] += 1
    print("transcripts: {vtt} WebVTT, {srt} SRT and {json} JSON files read back, "
          "{words} words the same in each; {chapters} chapter files valid".format(**counts))
    if counts["vtt"] + counts["srt"] + counts["json"] == 0:
        sys.exit("no transcript files found")


if __name__ == "__main__":
    main(sys.argv[1:])
