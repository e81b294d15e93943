// Searches a built index with Pagefind's own WebAssembly under Node, as the browser would,
// without a browser: for each word, the index chunks it downloads, their size, how many pages
// it finds and a digest of what it finds (every page, score and word position). Two indexes
// of the same pages, or two metadata files over the same chunks, can be compared word by word.
//
//   node bench/search_wasm.mjs PAGEFIND_DIR [--meta FILE] WORD [WORD…]
//
// PAGEFIND_DIR is a built site's public/pagefind. --meta reads the metadata from FILE instead
// of the folder's own pagefind.*.pf_meta. Words are given as the search page would pass them
// (lowercase, diacritics removed). The WebAssembly is started afresh for each word, so each
// one downloads its chunks from nothing, like a search on a freshly opened page.

import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
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

const wasm = unpack(readFileSync(`${dir}/wasm.en.pagefind`));
const ownMeta = readdirSync(dir).find((name) => name.endsWith(".pf_meta"));
const meta = unpack(readFileSync(metaFile ?? `${dir}/${ownMeta}`));

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
  console.log([word, chunks.length, `${Math.round(bytes / 1024)} KB`, results.length, digest].join("\t"));
}
