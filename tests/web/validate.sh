#!/usr/bin/env bash
# Builds the example site and the real corpora, each at its base URL and again under a sub-path
# (/archive/), then checks what came out with the tools that will read it: every page through two
# HTML validators (html-validate with its accessibility rules; the Nu Html Checker, on the example),
# every link crawled over HTTP under the sub-path, every feed through the parsers of feed readers
# and podcast apps, every transcript file through the WebVTT and SRT parsers of PyPI.
# Needs Node.js, npm, Python 3 and Java.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/target/web"
web="$repo/tests/web"
cd "$repo"

cargo build --release --locked --quiet
rm -rf "$out"
mkdir -p "$out"

# Each site twice: at its base URL (the pages html-validate reads) and under /archive/ (the crawl).
example_url="$(sed -n 's/^base_url *= *"\(.*\)"/\1/p' site.toml)"
./target/release/verbatim build --output "$out/example"
./target/release/verbatim build --base-url https://archive.example.org/archive/ --output "$out/example-archive"
sites=("$out/example")
feeds=("$out/example" "$example_url" "$out/example-archive" https://archive.example.org/archive/
  --same-ids "$out/example" "$out/example-archive")
crawls=("$out/example" "$example_url" "$out/example-archive" https://archive.example.org/archive/)
for corpus in changelog bitcointranscripts; do
  content="$repo/../shared/corpus/$corpus/content"
  [ -d "$content" ] || { echo "skipped $corpus: $content is not here"; continue; }
  site="$out/site-$corpus"
  mkdir -p "$site"
  # Every transcript format for every episode, so that each parser reads real transcripts; the
  # example keeps the default formats.
  printf 'title = "%s"\nbase_url = "https://corpus.example/"\n[transcripts]\nformats = ["vtt", "srt", "json", "txt"]\nepisodes = "all"\n' \
    "$corpus" > "$site/site.toml"
  ln -s "$content" "$site/content"
  ./target/release/verbatim build --root "$site" --output "$out/$corpus"
  ./target/release/verbatim build --root "$site" --base-url https://corpus.example/archive/ \
    --output "$out/$corpus-archive"
  sites+=("$out/$corpus")
  feeds+=("$out/$corpus" https://corpus.example/ "$out/$corpus-archive" https://corpus.example/archive/
    --same-ids "$out/$corpus" "$out/$corpus-archive")
  crawls+=("$out/$corpus-archive" https://corpus.example/archive/)
done

cd "$web"
npm ci --no-audit --no-fund --loglevel=error
# One html-validate per site, side by side: each is a single thread, and the corpora take minutes.
validators=()
for site in "${sites[@]}"; do
  npx html-validate --config .htmlvalidate.json "$site" & validators+=($!)
done
failed=0
for validator in "${validators[@]}"; do wait "$validator" || failed=1; done
[ "$failed" = 0 ] || { echo "html-validate: errors above"; exit 1; }
echo "html-validate: every page of ${#sites[@]} sites is valid" \
  "($(find "${sites[@]}" -name '*.html' | wc -l) pages)"

# The Nu Html Checker (the W3C's validator), from npm's vnu-jar: the example's pages, styles and
# SVG images, at both base URLs. Errors only: its warnings are advice.
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html --also-check-css --also-check-svg \
  "$out/example" "$out/example-archive"
echo "vnu: $(find "$out/example" "$out/example-archive" -name '*.html' | wc -l) pages and" \
  "$(find "$out/example" "$out/example-archive" \( -name '*.css' -o -name '*.svg' \) | wc -l)" \
  "style sheets and SVG images of the example without errors"

# Feeds read back by feedparser and podcastparser (gPodder's), transcript files by the parsers
# podcast tools use (PyPI: webvtt-py, srt). The crawl needs only Python.
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
  webvtt-py srt feedparser podcastparser
python3 crawl.py --known known-broken.txt "${crawls[@]}"
python3 feeds.py "${feeds[@]}"
python3 transcripts.py "${sites[@]}"
