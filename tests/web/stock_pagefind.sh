#!/usr/bin/env bash
# Verbatim's search index against stock Pagefind's, on the real corpora: each corpus is built
# with its search records also written to a folder (VERBATIM_SEARCH_RECORDS), stock Pagefind 1.6.0
# (its CLI, from npm) indexes that folder, and stock_search.mjs runs the same searches (whole words,
# prefixes as typed, misspellings) on both indexes: they must find the same pages. The patches to
# Pagefind (vendor/pagefind-patches/) may make indexing faster or leaner, never change what a
# search finds. Needs Node.js and npm; run after `npm ci` in tests/web.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/target/stock-pagefind"
web="$repo/tests/web"
cd "$repo"

# VERBATIM_BIN names another binary to compare (a debug build, say), as for the browser tests.
verbatim="${VERBATIM_BIN:-$repo/target/release/verbatim}"
[ -n "${VERBATIM_BIN:-}" ] || cargo build --release --locked --quiet
rm -rf "$out"
mkdir -p "$out"
for corpus in changelog bitcointranscripts; do
  content="$repo/../shared/corpus/$corpus/content"
  [ -d "$content" ] || { echo "skipped $corpus: $content is not here"; continue; }
  site="$out/site-$corpus"
  mkdir -p "$site"
  printf 'title = "%s"\nbase_url = "https://corpus.example/"\n' "$corpus" > "$site/site.toml"
  ln -s "$content" "$site/content"
  # The build's warnings about the corpus are for check and validate.sh; shown only if it fails.
  VERBATIM_SEARCH_RECORDS="$out/records-$corpus" \
    "$verbatim" build --root "$site" --output "$out/$corpus" >"$out/build-$corpus.log" 2>&1 \
    || { cat "$out/build-$corpus.log"; exit 1; }
  "$web/node_modules/.bin/pagefind" --site "$out/records-$corpus" --output-path "$out/stock-$corpus" \
    --force-language en --quiet
  echo "$corpus:"
  node "$web/stock_search.mjs" "$out/$corpus/pagefind" "$out/stock-$corpus" "$out/records-$corpus"
done
