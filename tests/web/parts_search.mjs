// An index built in parts against the same archive's index in one part: the same searches, run
// with Pagefind's own WebAssembly under Node, each the first on a freshly opened page. Exact
// searches and searches as typed must find the same pages, the parts' results taken together
// (docs/configuration.md, "The search index in parts", says how the parts make sure of it).
// Scores are not compared: Pagefind ranks by how rare a word is among the pages of its index,
// so a page's score depends on its part. parts_search.sh sets this up.
//
//   node parts_search.mjs ONE PARTS RECORDS [--per-kind N] [--seed S] [--max-records N]
//
// ONE is the pagefind/ folder of the build in one part; PARTS the site folder of the build in
// parts (its pagefind/parts.json names them); RECORDS the folder of records both were built
// from (VERBATIM_SEARCH_RECORDS). Prints, per kind of search, how many found the same pages,
// and each search that did not; exits 1 if any search differs, or if PARTS is not in at least
// two parts.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { drawSearches, openIndex, recordWords, samplingOptions, search, seed } from "./pagefind_node.mjs";

const args = process.argv.slice(2);
const { perKind, maxRecords, seed: seedValue } = samplingOptions(args, 29);
seed(seedValue);
const [one, site, records] = args;
if (!one || !site || !records) {
  console.error("usage: node parts_search.mjs ONE PARTS RECORDS [--per-kind N] [--seed S] [--max-records N]");
  process.exit(2);
}

const { parts } = JSON.parse(readFileSync(join(site, "pagefind", "parts.json"), "utf8"));
if (parts.length < 2) {
  console.error(`${site} has ${parts.length} part: nothing to compare`);
  process.exit(1);
}
const whole = openIndex(one);
const pieces = parts.map((part) => ({ index: openIndex(join(site, part.path)), skip: part.vocabulary }));

const urls = (found) => found.map((result) => result.url);
const sameUrls = (a, b) => a.length === b.length && a.every((url, i) => url === b[i]);

// The pages a search finds in one index, and in the parts taken together; `before`, the
// searches run earlier on the page, whose chunks the search page has every part load first.
async function both(word, exact, before = []) {
  const a = urls((await search(whole, word, { exact, before })).found).sort();
  const b = [];
  for (const { index, skip } of pieces) b.push(...urls((await search(index, word, { skip, exact, before })).found));
  return [a, b.sort()];
}

// Exact searches (a word as written, a phrase) are decided page by page. Searches as typed are
// widened to the words that begin with them among the words of the chunks a search downloads:
// every part holds every word and has the chunks of one index, so they widen as one index does.
let differ = 0;
const drawn = drawSearches(records, { perKind, maxRecords });
for (const [kind, words] of Object.entries(drawn)) {
  let exactSame = 0;
  let typedSame = 0;
  const exactKind = kind === "whole word" || kind === "phrase";
  for (const word of words) {
    if (exactKind) {
      const [a, b] = await both(word, true);
      if (sameUrls(a, b)) exactSame++;
      else {
        differ++;
        console.log(`DIFFERS exact ${kind} "${word}": ${a.length} pages in one part, ${b.length} in ${parts.length} parts`);
      }
    }
    const [a, b] = await both(word, false);
    if (sameUrls(a, b)) typedSame++;
    else {
      differ++;
      console.log(`DIFFERS typed ${kind} "${word}": ${a.length} pages in one part, ${b.length} in ${parts.length} parts`);
    }
  }
  const exact = exactKind ? `${exactSame} of ${words.length} exact searches and ` : "";
  console.log(`${kind}: ${exact}${typedSame} of ${words.length} searches as typed found the same pages in ${parts.length} parts as in one`);
}
// A search after another on the same page: Pagefind widens a word among the chunks of the
// earlier searches too, in one index as in every part, since the search page has a part load
// the chunks of the searches that did not reach it (search.js, catchUp). Each prefix is
// searched after the last word, in order, that begins with it: often in a later chunk than
// the prefix's own, whose words the prefix is then widened to as well.
const typed = drawn["prefix"] || [];
const { distinct } = recordWords(records, maxRecords);
const lower = [...new Set(distinct.map((word) => word.toLowerCase()))].sort();
let afterSame = 0;
for (const word of typed) {
  const longer = lower.filter((other) => other.startsWith(word.toLowerCase()));
  const before = longer.slice(-1);
  const [a, b] = await both(word, false, before);
  if (sameUrls(a, b)) afterSame++;
  else {
    differ++;
    console.log(`DIFFERS typed prefix "${word}" after "${before}": ${a.length} pages in one part, ${b.length} in ${parts.length} parts`);
  }
}
console.log(`prefix after other searches: ${afterSame} of ${typed.length} searches as typed found the same pages in ${parts.length} parts as in one`);
process.exit(differ === 0 ? 0 : 1);
