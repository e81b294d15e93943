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

import { drawSearches, openIndex, samplingOptions, search, seed } from "./pagefind_node.mjs";

const args = process.argv.slice(2);
const { perKind, maxRecords, seed: seedValue } = samplingOptions(args, 23);
const showAt = args.indexOf("--show");
const show = showAt >= 0 && args.splice(showAt, 1).length > 0;
const [ours, stock, records] = args;
if (!ours || !stock || !records) {
  console.error(
    "usage: node stock_search.mjs OURS STOCK RECORDS [--per-kind N] [--seed S] [--max-records N] [--show]",
  );
  process.exit(2);
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
seed(seedValue);
for (const [kind, words] of Object.entries(drawSearches(records, { perKind, maxRecords }))) {
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
    `${kind}: ${equal} of ${words.length} searches found the same as stock Pagefind;` +
      ` chunks downloaded ${kb(bytes[0])} here, ${kb(bytes[1])} with stock`,
  );
}
process.exit(differ === 0 ? 0 : 1);
