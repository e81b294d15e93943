#!/usr/bin/env bash
# Builds the example site and the real corpora, then runs every page through an HTML validator
# (html-validate, with its accessibility rules) and every transcript file through the WebVTT and
# SRT parsers of PyPI. Needs Node.js, npm and Python 3.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/target/web"
cd "$repo"

cargo build --release --locked --quiet
rm -rf "$out"
mkdir -p "$out"
./target/release/verbatim build --output "$out/example"
sites=("$out/example")
for corpus in changelog bitcointranscripts; do
  content="$repo/../shared/corpus/$corpus/content"
  [ -d "$content" ] || { echo "skipped $corpus: $content is not here"; continue; }
  site="$out/site-$corpus"
  mkdir -p "$site"
  printf 'title = "%s"\nbase_url = "https://corpus.example/"\n' "$corpus" > "$site/site.toml"
  ln -s "$content" "$site/content"
  ./target/release/verbatim build --root "$site" --output "$out/$corpus"
  sites+=("$out/$corpus")
done

cd "$repo/tests/web"
npm ci --no-audit --no-fund --loglevel=error
npx html-validate --config .htmlvalidate.json "${sites[@]}"
echo "html-validate: every page of ${#sites[@]} sites is valid"

# Transcript files read back by the parsers podcast tools use (PyPI: webvtt-py, srt).
python3 -m pip install --quiet --disable-pip-version-check webvtt-py srt
python3 transcripts.py "${sites[@]}"
