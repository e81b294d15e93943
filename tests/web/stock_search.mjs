// Verbatim's search index against one built by stock Pagefind from the same pages: the same
// searches, run with Pagefind's own WebAssembly under Node as a freshly opened search page runs
// them, must find the same pages with the same scores (to rounding), word positions and
// sub-results (in any order among equal scores). The searches are drawn, with a fixed seed, from
// the words of the records: whole words, prefixes as typed ("yo" on the way to "you"), and
// misspellings (a letter doubled, dropped, swapped with the next, or changed).
// stock_pagefind.sh sets this up.
//
//   node stock_search.mjs OURS STOCK RECORDS [--per-kind N] [--seed S] [--max-records N] [--show]
//
// OURS and STOCK are the two pagefind/ folders, RECORDS the folder of records both were built
// from (VERBATIM_SEARCH_RECORDS, vendor/README.md). Prints, per kind, how many searches found the
// same and the index bytes they downloaded from each; exits 1 if any search differs. Words are
// drawn from at most --max-records records (400), a seeded sample of a larger archive. --show
// prints every search: kind, word, pages found and KB downloaded from each index.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
}
const perKind = Number(option("--per-kind", 100));
const maxRecords = Number(option("--max-records", 400));
const seed = Number(option("--seed", 23));
const showAt = args.indexOf("--show");
const show = showAt >= 0 && args.splice(showAt, 1).length > 0;
const [ours, stock, records] = args;
if (!ours || !stock || !records) {
  console.error(
    "usage: node stock_search.mjs OURS STOCK RECORDS [--per-kind N] [--seed S] [--max-records N] [--show]",
  );
  process.exit(2);
}

// A small seeded generator (mulberry32): the same searches on every run and machine.
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith(".html"))
    .sort()
    .map((name) => join(dir, name));
}

// A search is typed lowercase; the search page removes diacritics before it reaches Pagefind.
function wordsOf(html) {
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z]+;|&#[0-9]+;/g, " ")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
  return text.match(/\p{L}+/gu) ?? [];
}

// Every word as it occurs (so common words come up as often as a reader types them) and every
// distinct word (so rare ones come up too): whole words are drawn half from each.
// A large archive's words are drawn from a sample of its records, to keep them in memory.
let files = htmlFiles(records);
while (files.length > maxRecords) files.splice(Math.floor(random() * files.length), 1);
const occurrences = files.flatMap((file) => wordsOf(readFileSync(file, "utf8")));
const distinct = [...new Set(occurrences)].sort();
if (distinct.length === 0) {
  console.error(`no words in the records under ${records}`);
  process.exit(2);
}
const letters = "abcdefghijklmnopqrstuvwxyz";
const longer = (min) => {
  for (;;) {
    const word = pick(random() < 0.5 ? occurrences : distinct);
    if ([...word].length >= min) return [...word];
  }
};

const kinds = {
  "whole word": () => (random() < 0.5 ? pick(occurrences) : pick(distinct)),
  prefix: () => {
    const word = longer(3);
    return word.slice(0, 1 + Math.floor(random() * (word.length - 1))).join("");
  },
  misspelling: () => {
    const word = longer(4);
    const at = Math.floor(random() * (word.length - 1));
    const kind = Math.floor(random() * 4);
    if (kind === 0) word.splice(at, 0, word[at]);
    else if (kind === 1) word.splice(at, 1);
    else if (kind === 2) [word[at], word[at + 1]] = [word[at + 1], word[at]];
    else word[at] = pick([...letters].filter((c) => c !== word[at]));
    return word.join("");
  },
};

const glue = readFileSync(new URL("../../vendor/pagefind/vendor/pagefind_web.1.6.0.js", import.meta.url), "utf8");

// Pagefind's files are gzipped and signed.
function unpack(bytes) {
  const signed = (data) => new TextDecoder().decode(data.subarray(0, 12)) === "pagefind_dcd";
  const data = signed(bytes) ? bytes : gunzipSync(bytes);
  return signed(data) ? data.subarray(12) : data;
}

function openIndex(dir) {
  const meta = readdirSync(dir).find((name) => name.endsWith(".pf_meta"));
  return {
    dir,
    wasm: unpack(readFileSync(join(dir, "wasm.en.pagefind"))),
    meta: unpack(readFileSync(join(dir, meta))),
    urls: new Map(),
  };
}

// A page's URL from its fragment: the page hashes of two indexes need not be the same.
function urlOf(index, page) {
  if (!index.urls.has(page)) {
    const fragment = JSON.parse(unpack(readFileSync(join(index.dir, "fragment", `${page}.pf_fragment`))));
    index.urls.set(page, fragment.url);
  }
  return index.urls.get(page);
}

// What a search on a freshly opened page finds, each page by URL, sorted by URL so that the
// order of equal scores does not count, and the bytes of the chunks it downloaded.
async function search(index, word) {
  const pagefind = new Function(`${glue}; return wasm_bindgen;`)();
  await pagefind({ module_or_path: index.wasm });
  let state = pagefind.init_pagefind(index.meta);
  let bytes = 0;
  for (const hash of JSON.parse(pagefind.request_indexes(state, word))) {
    const file = join(index.dir, "index", `${hash}.pf_index`);
    bytes += statSync(file).size;
    state = pagefind.load_index_chunk(state, unpack(readFileSync(file)));
  }
  const { results } = JSON.parse(pagefind.search(state, word, word, "{}", "", false, false));
  // `mf` lists the metadata fields a page matched in, in no fixed order.
  const found = results
    .map(({ p, mf, ...result }) => ({ url: urlOf(index, p), ...result }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { found, pages: found.length, bytes };
}

// The same results, scores aside from rounding: Pagefind sums in 32-bit floats, in the order of
// the pages, and the two indexes list the pages in different orders, so at 10,000 pages a score
// can differ in its seventh digit.
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") {
    return a === b || Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => same(a[key], b[key]));
  }
  return a === b;
}

const indexes = [openIndex(ours), openIndex(stock)];
const kb = (n) => `${Math.round(n / 1024)} KB`;
let differ = 0;
for (const [kind, draw] of Object.entries(kinds)) {
  const words = new Set();
  for (let tries = 0; words.size < perKind && tries < perKind * 100; tries++) words.add(draw());
  let equal = 0;
  const bytes = [0, 0];
  for (const word of words) {
    const [a, b] = [await search(indexes[0], word), await search(indexes[1], word)];
    bytes[0] += a.bytes;
    bytes[1] += b.bytes;
    if (same(a.found, b.found)) equal++;
    else {
      differ++;
      console.log(`DIFFERS ${kind} "${word}": ${a.pages} pages here, ${b.pages} with stock Pagefind`);
    }
    if (show) console.log([kind, word, a.pages, b.pages, kb(a.bytes), kb(b.bytes)].join("\t"));
  }
  console.log(
    `${kind}: ${equal} of ${words.size} searches found the same as stock Pagefind;` +
      ` chunks downloaded ${kb(bytes[0])} here, ${kb(bytes[1])} with stock`,
  );
}
process.exit(differ === 0 ? 0 : 1);
