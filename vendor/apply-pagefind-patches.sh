#!/usr/bin/env bash
# Writes vendor/pagefind/: the pagefind crate as published on crates.io, with the patches of
# vendor/pagefind-patches/ applied in order (vendor/README.md says what each does and why).
#
#   vendor/apply-pagefind-patches.sh           # (re)write vendor/pagefind/
#   vendor/apply-pagefind-patches.sh --check   # fail unless vendor/pagefind/ is exactly that
#
# To move to a newer Pagefind: set VERSION and SHA256 below (the checksum is the `cksum` of the
# version's line in https://index.crates.io/pa/ge/pagefind), run the script, and rework or drop
# the patches that no longer apply. Needs curl, tar, sha256sum and git.
set -euo pipefail

VERSION=1.6.0
SHA256=5d9345b46c57402962ba0f02e8513d69ef24e14e068073d4d06f5bfdd8c437d0

vendor="$(cd "$(dirname "$0")" && pwd)"
patches="$vendor/pagefind-patches"
target="$vendor/pagefind"

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

crate="$work/pagefind-$VERSION.crate"
curl -sSfL --retry 3 -o "$crate" "https://static.crates.io/crates/pagefind/pagefind-$VERSION.crate"
echo "$SHA256  $crate" | sha256sum --check --quiet -
tar -xzf "$crate" -C "$work"
tree="$work/pagefind-$VERSION"

# Cargo's own files about the published package: a path dependency has no use for them.
rm -f "$tree/.cargo_vcs_info.json" "$tree/Cargo.lock" "$tree/Cargo.toml.orig"
# The crate does not ship Pagefind's MIT license; this is the one its npm package ships.
cp "$patches/LICENSE" "$tree/LICENSE"

# A repository of its own, so that git applies the patches relative to the crate's root.
git -C "$tree" init -q
for patch in "$patches"/[0-9]*.patch; do
  git -C "$tree" apply --whitespace=nowarn "$patch" \
    || { echo "$(basename "$patch") does not apply to pagefind $VERSION" >&2; exit 1; }
done
rm -rf "$tree/.git"

if $check; then
  if ! diff -r "$tree" "$target" >"$work/diff"; then
    cat "$work/diff" >&2
    echo "vendor/pagefind differs from pagefind $VERSION with vendor/pagefind-patches applied:" \
      "run vendor/apply-pagefind-patches.sh, or turn the change into a patch" >&2
    exit 1
  fi
  echo "vendor/pagefind is pagefind $VERSION with $(ls "$patches"/[0-9]*.patch | wc -l) patches"
else
  rm -rf "$target"
  cp -R "$tree" "$target"
  echo "wrote vendor/pagefind: pagefind $VERSION with $(ls "$patches"/[0-9]*.patch | wc -l) patches"
fi
