// What one search downloads from a built site's index, for a sample of words, as the search
// page fetches it: the parts in order (pagefind/parts.json), each one only while the results
// found so far do not fill the first screen (three results in a 1280 × 720 window), and for
// each part searched its library (pagefind.js as a host gzips it, and the WebAssembly), its
// metadata and the index chunks of the word; then the first three results' fragments. A site of
// one part is measured the same way. Words are whole words drawn with a fixed seed from the
// transcripts under CONTENT, half from every word as said and half from the distinct words.
//
//   node bench/search_parts.mjs PUBLIC CONTENT [--words N] [--seed S]
//
// Prints each word with the parts it searched and the KB it downloaded, then the median and
// the 90th percentile. Needs `npm ci` in tests/web (for nothing but the shared helpers' Node).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { openIndex, pick, random, seed, unpack } from "../tests/web/pagefind_node.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return Number(at >= 0 ? args.splice(at, 2)[1] : fallback);
};
const count = option("--words", 40);
seed(option("--seed", 23));
const [publicDir, content] = args;
if (!publicDir || !content) {
  console.error("usage: node bench/search_parts.mjs PUBLIC CONTENT [--words N] [--seed S]");
  process.exit(2);
}

const files = readdirSync(content, { recursive: true })
  .filter((name) => name.endsWith(".md") && !name.endsWith("_index.md"))
  .sort();
const words = new Set();
for (let tries = 0; words.size < count && tries < count * 20; tries++) {
  const text = readFileSync(join(content, pick(files)), "utf8").split("\n---").slice(1).join(" ");
  const said = text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").match(/\p{L}{3,}/gu) ?? [];
  if (said.length === 0) continue;
  words.add(random() < 0.5 ? pick(said) : pick([...new Set(said)]));
}

const glue = readFileSync(new URL("../vendor/pagefind/vendor/pagefind_web.1.6.0.js", import.meta.url), "utf8");
let parts;
try {
  parts = JSON.parse(readFileSync(join(publicDir, "pagefind", "parts.json"), "utf8")).parts;
} catch {
  parts = [{ path: "pagefind/" }];
}
const SHOWN = 3;
const opened = parts.map((part) => {
  const dir = join(publicDir, part.path);
  const index = openIndex(dir);
  const meta = readdirSync(dir).find((name) => name.endsWith(".pf_meta"));
  const library = gzipSync(readFileSync(join(dir, "pagefind.js"))).length + statSync(join(dir, "wasm.en.pagefind")).size;
  return { dir, index, fixed: library + statSync(join(dir, meta)).size, skip: part.vocabulary };
});

async function download(word) {
  let bytes = 0;
  let searched = 0;
  const shown = [];
  for (const part of opened) {
    if (shown.length >= SHOWN) break;
    searched++;
    const pagefind = new Function(`${glue}; return wasm_bindgen;`)();
    await pagefind({ module_or_path: part.index.wasm });
    let state = pagefind.init_pagefind(part.index.meta);
    bytes += part.fixed;
    for (const hash of JSON.parse(pagefind.request_indexes(state, word))) {
      const file = join(part.dir, "index", `${hash}.pf_index`);
      bytes += statSync(file).size;
      state = pagefind.load_index_chunk(state, unpack(readFileSync(file)));
    }
    const { results } = JSON.parse(pagefind.search(state, word, word, "{}", "", false, false));
    for (const { p } of results.filter(({ p }) => p !== part.skip)) {
      if (shown.length < SHOWN) shown.push(statSync(join(part.dir, "fragment", `${p}.pf_fragment`)).size);
    }
  }
  return { bytes: bytes + shown.reduce((a, b) => a + b, 0), searched };
}

const kb = (n) => Math.round(n / 1024);
const sizes = [];
for (const word of words) {
  const { bytes, searched } = await download(word);
  sizes.push(bytes);
  console.log(`${word}\t${searched} of ${parts.length} parts\t${kb(bytes)} KB`);
}
sizes.sort((a, b) => a - b);
const at = (q) => sizes[Math.min(sizes.length - 1, Math.floor(q * sizes.length))];
console.log(`${sizes.length} words, ${parts.length} parts: median ${kb(at(0.5))} KB, 90th percentile ${kb(at(0.9))} KB`);
