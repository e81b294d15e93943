// Searches a built index with Pagefind's own WebAssembly under Node, as the browser would,
// without a browser: for each word, the index chunks it downloads, their size, how many pages
// it finds, a digest of what it finds (every page, score and word position), and the whole
// search as sent: the library (pagefind.js gzipped, as a host sends it, and the WebAssembly),
// the metadata, the chunks and the first three results, which the search page loads in a
// 1280 × 720 window (`node bench/search_bytes.mjs` measures that in Chromium). Two indexes of
// the same pages, or two metadata files over the same chunks, can be compared word by word.
//
//   node bench/search_wasm.mjs PAGEFIND_DIR [--meta FILE] WORD [WORD…]
//
// PAGEFIND_DIR is a built site's public/pagefind. --meta reads the metadata from FILE instead
// of the folder's own pagefind.*.pf_meta. Words are given as the search page would pass them
// (lowercase, diacritics removed). The WebAssembly is started afresh for each word, so each
// one downloads its chunks from nothing, like a search on a freshly opened page.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";

const args = process.argv.slice(2);
const metaAt = args.indexOf("--meta");
const metaFile = metaAt >= 0 ? args.splice(metaAt, 2)[1] : null;
const [dir, ...words] = args;
if (!dir || words.length === 0) {
  console.error("usage: node bench/search_wasm.mjs PAGEFIND_DIR [--meta FILE] WORD [WORD…]");
  process.exit(2);
}

const vendor = new URL("../vendor/pagefind/vendor/", import.meta.url);
const glue = readFileSync(new URL("pagefind_web.1.6.0.js", vendor), "utf8");

// Pagefind's files are gzipped and signed; a server may have undone the gzip already.
function unpack(bytes) {
  const signed = (data) => new TextDecoder().decode(data.subarray(0, 12)) === "pagefind_dcd";
  const data = signed(bytes) ? bytes : gunzipSync(bytes);
  return signed(data) ? data.subarray(12) : data;
}

const wasmPacked = readFileSync(`${dir}/wasm.en.pagefind`);
const wasm = unpack(wasmPacked);
const ownMeta = readdirSync(dir).find((name) => name.endsWith(".pf_meta"));
const metaPacked = readFileSync(metaFile ?? `${dir}/${ownMeta}`);
const meta = unpack(metaPacked);
const library = gzipSync(readFileSync(`${dir}/pagefind.js`)).length + wasmPacked.length;
const RESULTS_SHOWN = 3;

for (const word of words) {
  const pagefind = new Function(`${glue}; return wasm_bindgen;`)();
  await pagefind({ module_or_path: wasm });
  let index = pagefind.init_pagefind(meta);
  const chunks = JSON.parse(pagefind.request_indexes(index, word));
  let bytes = 0;
  for (const hash of chunks) {
    const chunk = readFileSync(`${dir}/index/${hash}.pf_index`);
    bytes += chunk.length;
    index = pagefind.load_index_chunk(index, unpack(chunk));
  }
  const { results } = JSON.parse(pagefind.search(index, word, word, "{}", "", false, false));
  // `mf` lists the metadata fields a page matched in, in no fixed order.
  const found = JSON.stringify(results.map(({ mf, ...result }) => result));
  const digest = createHash("sha1").update(found).digest("hex").slice(0, 8);
  const shown = results
    .slice(0, RESULTS_SHOWN)
    .map(({ p }) => statSync(`${dir}/fragment/${p}.pf_fragment`).size);
  const search = library + metaPacked.length + bytes + shown.reduce((a, b) => a + b, 0);
  const kb = (n) => `${Math.round(n / 1024)} KB`;
  console.log([word, chunks.length, kb(bytes), results.length, digest, kb(search)].join("\t"));
}
