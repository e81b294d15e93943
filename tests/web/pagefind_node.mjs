// Running Pagefind's own searches under Node, as a freshly opened search page runs them, and
// drawing the words to search for from the records an index was built from. Shared by
// stock_search.mjs (our index against stock Pagefind's) and parts_search.mjs (an index in parts
// against the same index in one).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

// The options every comparison takes, removed from `args`: how many searches of each kind,
// from how many records at most, and the seed they are drawn with.
export function samplingOptions(args, defaultSeed) {
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return Number(at >= 0 ? args.splice(at, 2)[1] : fallback);
  };
  return {
    perKind: option("--per-kind", 100),
    maxRecords: option("--max-records", 400),
    seed: option("--seed", defaultSeed),
  };
}

// A small seeded generator (mulberry32): the same searches on every run and machine.
let state = 23;
export function seed(value) {
  state = value >>> 0;
}

export function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const pick = (list) => list[Math.floor(random() * list.length)];

export function htmlFiles(dir) {
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

// The words of the records under `records` (of at most `maxRecords` of them, drawn at random),
// every occurrence in order, and the distinct ones sorted.
export function recordWords(records, maxRecords) {
  const files = htmlFiles(records);
  while (files.length > maxRecords) files.splice(Math.floor(random() * files.length), 1);
  const occurrences = files.flatMap((file) => wordsOf(readFileSync(file, "utf8")));
  return { occurrences, distinct: [...new Set(occurrences)].sort() };
}

// Searches of each kind drawn from the words of the records under `records`: whole words,
// prefixes as typed ("yo" on the way to "you"), and misspellings (a letter doubled, dropped,
// swapped with the next, or changed), and phrases of two words. Every word as it occurs (so common words come up as often
// as a reader types them) and every distinct word (so rare ones come up too): whole words are
// drawn half from each. A large archive's words are drawn from a sample of its records, to keep
// them in memory.
export function drawSearches(records, { perKind, maxRecords }) {
  const { occurrences, distinct } = recordWords(records, maxRecords);
  if (distinct.length === 0) throw new Error(`no words in the records under ${records}`);
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
    // Two words that follow each other in a record.
    phrase: () => {
      const at = Math.floor(random() * (occurrences.length - 1));
      return `${occurrences[at]} ${occurrences[at + 1]}`;
    },
  };
  const searches = {};
  for (const [kind, draw] of Object.entries(kinds)) {
    const words = new Set();
    for (let tries = 0; words.size < perKind && tries < perKind * 100; tries++) words.add(draw());
    searches[kind] = [...words];
  }
  return searches;
}

const glue = readFileSync(new URL("../../vendor/pagefind/vendor/pagefind_web.1.6.0.js", import.meta.url), "utf8");

// Pagefind's files are gzipped and signed.
export function unpack(bytes) {
  const signed = (data) => new TextDecoder().decode(data.subarray(0, 12)) === "pagefind_dcd";
  const data = signed(bytes) ? bytes : gunzipSync(bytes);
  return signed(data) ? data.subarray(12) : data;
}

export function openIndex(dir) {
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
// order of equal scores does not count, and the bytes of the chunks it downloaded. `before`:
// the searches run on the page before it, whose chunks it has loaded too.
export async function search(index, word, { skip = null, exact = false, before = [] } = {}) {
  const pagefind = new Function(`${glue}; return wasm_bindgen;`)();
  await pagefind({ module_or_path: index.wasm });
  let state = pagefind.init_pagefind(index.meta);
  let bytes = 0;
  const loaded = new Set();
  for (const query of [...before, word]) {
    for (const hash of JSON.parse(pagefind.request_indexes(state, query))) {
      if (loaded.has(hash)) continue;
      loaded.add(hash);
      const file = join(index.dir, "index", `${hash}.pf_index`);
      bytes += statSync(file).size;
      state = pagefind.load_index_chunk(state, unpack(readFileSync(file)));
    }
  }
  const { results } = JSON.parse(pagefind.search(state, word, word, "{}", "", exact, false));
  // `mf` lists the metadata fields a page matched in, in no fixed order.
  const found = results
    .filter(({ p }) => p !== skip)
    .map(({ p, mf, ...result }) => ({ url: urlOf(index, p), ...result }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { found, pages: found.length, bytes };
}

