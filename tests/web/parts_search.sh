#!/usr/bin/env bash
# The search index in parts against the index in one part, on the example site and the real
# corpora: each is built twice, once as it is (one part) and once with `[search_index]
# words_per_part` small enough for several parts, and parts_search.mjs runs the same searches on
# both: exact searches and searches as typed must find the same pages. Needs Node.js; run after
# `npm ci` in tests/web.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/target/parts-search"
web="$repo/tests/web"
cd "$repo"

verbatim="${VERBATIM_BIN:-$repo/target/release/verbatim}"
[ -n "${VERBATIM_BIN:-}" ] || cargo build --release --locked --quiet
rm -rf "$out"
mkdir -p "$out"

# compare NAME CONTENT WORDS_PER_PART SITE_TOML_TEXT
compare() {
  local name="$1" content="$2" words="$3" toml="$4"
  [ -d "$content" ] || { echo "skipped $name: $content is not here"; return; }
  for kind in one parts; do
    local site="$out/site-$name-$kind"
    mkdir -p "$site"
    printf '%s\n' "$toml" > "$site/site.toml"
    [ "$kind" = parts ] && printf '\n[search_index]\nwords_per_part = %s\n' "$words" >> "$site/site.toml"
    ln -s "$content" "$site/content"
    local records=()
    [ "$kind" = one ] && records=(env "VERBATIM_SEARCH_RECORDS=$out/records-$name")
    "${records[@]}" "$verbatim" build --root "$site" --output "$out/$name-$kind" >"$out/build-$name-$kind.log" 2>&1 \
      || { cat "$out/build-$name-$kind.log"; exit 1; }
  done
  echo "$name:"
  node "$web/parts_search.mjs" "$out/$name-one/pagefind" "$out/$name-parts" "$out/records-$name"
}

compare example "$repo/content" 3000 "$(cat "$repo/site.toml")"
for corpus in changelog bitcointranscripts; do
  compare "$corpus" "$repo/../shared/corpus/$corpus/content" 400000 \
    "$(printf 'title = "%s"\nbase_url = "https://corpus.example/"' "$corpus")"
done
