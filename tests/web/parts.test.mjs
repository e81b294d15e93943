// Search of an index in parts, in a real browser: the example archive (with an undated episode
// added) built twice, once with its whole index in one part and once with a `words_per_part` so
// small that it comes in three or more parts (pagefind/parts.json, part 0 in pagefind/, part K in
// pagefind/part-K/), as a large archive's index does. The search page must
// find the same episodes in both, load a part only once its list needs it, and skip the parts
// outside a chosen year. At a phone's width and a desktop's. Run with
// `node --test parts.test.mjs` here (VERBATIM_BIN=… for another binary than the release one).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { binary, buildAndServe, launch, openPage, repo } from "./browser.mjs";

/** How long a search may take to list its results: generous, it takes tens of ms. */
const TIMEOUT = 10_000;

/** Words of transcript in a part: the example's dozen episodes of 650–1,300 words, in 3 parts. */
const WORDS_PER_PART = 3000;

/** A speaker heard in every part, in the undated episode too. */
const HOST = "Zoë Okonkwo-Brandt";
/** A speaker heard only in the undated episode, so only in the last part. */
const ONLY_LAST = "Una Archer";

/** An episode without a date: a part of its own kind, listed after every dated one. */
const UNDATED = {
  "content/signal-and-noise/an-undated-tape.md":
    `---\ntitle: An undated tape\nspeakers: [${HOST}, ${ONLY_LAST}]\n---\n` +
    `**${HOST}:** This tape came to the library without a label.\n\n` +
    `**${ONLY_LAST}:** And the library kept it anyway.\n`,
};

const VIEWPORTS = [
  { name: "phone", width: 375, height: 812 },
  { name: "desktop", width: 1280, height: 800 },
];

/** Paths of the requests under pagefind/ the page makes from now on. */
function watchIndex(page) {
  const paths = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pagefind/")) paths.push(path);
  });
  return paths;
}

/** The part folders (`part-1`, …) among the requested paths, each once. */
function partsRequested(paths) {
  return [...new Set(paths.map((path) => /^\/pagefind\/(part-\d+)\//.exec(path)?.[1]))]
    .filter(Boolean)
    .sort();
}

/** Waits until the search page has listed its first screen: its status counts. */
async function firstScreen(page) {
  await page.waitForFunction(
    () => /episode/.test(document.getElementById("search-status").textContent),
    null,
    { timeout: TIMEOUT },
  );
  await page.waitForLoadState("networkidle");
  return listed(page);
}

/**
 * Scrolls to the end of the list and presses "More results" until every episode found is
 * listed: the count is exact (no "+") and as long as the list.
 */
async function listEvery(page) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const now = await listed(page);
    const exact = /^(\d+) episodes?\.$/.exec(now.status);
    if (now.status === "No episode matches." || (exact && now.episodes.length === now.count)) {
      return now;
    }
    if (/failed/.test(now.status)) return now;
    const stuck = `${page.url()}: ${now.status}, ${now.episodes.length} listed`;
    assert.ok(Date.now() < deadline, `stuck at ${stuck}`);
    await scrollOrMore(page);
    await page.waitForTimeout(30);
  }
}

/**
 * What a reader does at the end of the list: press "More results" when it is there, else scroll
 * to the end. (Looked at and clicked in one step: a listing may hide the button in between.)
 */
async function scrollOrMore(page) {
  const pressed = await page.evaluate(() => {
    const more = document.getElementById("search-more");
    if (more.hidden) return false;
    more.click();
    return true;
  });
  if (!pressed) await page.locator("#search-end").scrollIntoViewIfNeeded();
}

/** The status line and the episodes listed: URL path, title, meta line. */
function listed(page) {
  return page.evaluate(() => {
    const status = document.getElementById("search-status").textContent;
    const episodes = [...document.querySelectorAll("#search-results > li")].map((li) => ({
      path: new URL(li.querySelector("h2 a").href).pathname,
      title: li.querySelector("h2").textContent,
      meta: li.querySelector(".meta")?.textContent ?? "",
    }));
    return { status, count: Number(/^\d+/.exec(status)?.[0] ?? 0), episodes };
  });
}

/** A result's date from its meta line ("Show · 5 March 2024"), or null when undated. */
function dateOf(episode) {
  const day = episode.meta.split(" · ")[1];
  return day === undefined ? null : Date.parse(day);
}

describe("search of an index in parts, in Chromium", { timeout: 120_000 }, () => {
  let browser;
  let temp;
  let whole; // the example in one part
  let parted; // the same site, its index in parts
  let parts; // parted's parts.json
  const servers = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: run cargo build --release first`);
    temp = await mkdtemp(join(tmpdir(), "verbatim-parts-"));
    const root = join(temp, "example");
    await mkdir(root);
    for (const name of ["site.toml", "content", "static"]) {
      await cp(join(repo, name), join(root, name), { recursive: true });
    }
    for (const [name, text] of Object.entries(UNDATED)) await writeFile(join(root, name), text);
    const rootInParts = join(temp, "example-in-parts");
    await cp(root, rootInParts, { recursive: true });
    await appendFile(
      join(rootInParts, "site.toml"),
      `\n[search_index]\nwords_per_part = ${WORDS_PER_PART}\n`,
    );
    whole = await buildAndServe(root, "/", temp);
    parted = await buildAndServe(rootInParts, "/", temp);
    servers.push(whole.server, parted.server);
    parts = (await (await fetch(`${parted.url}pagefind/parts.json`)).json()).parts;
    assert.ok(parts.length >= 3, `${parts.length} parts`);
    assert.equal(parts.at(-1).undated, 1);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  for (const viewport of VIEWPORTS) {
    describe(`${viewport.name}, ${viewport.width} px`, () => {
      let context;
      before(async () => {
        context = await browser.newContext({
          viewport: { width: viewport.width, height: viewport.height },
        });
      });
      after(() => context?.close());

      /** Every episode the search `query` lists on `site`, with the index requests it made. */
      async function searchAll(site, query) {
        const { page, problems } = await openPage(context);
        const requests = watchIndex(page);
        await page.goto(`${site.url}search/?${query}`);
        const first = await firstScreen(page);
        const all = await listEvery(page);
        assert.deepEqual(problems, []);
        await page.close();
        return { first, all, requests };
      }

      test("a common word lists what one whole index lists, N+ until the last part", async () => {
        const one = await searchAll(whole, "q=library");
        const many = await searchAll(parted, "q=library");
        assert.ok(one.all.count >= 6, one.all.status);
        assert.deepEqual(
          many.all.episodes.map((e) => e.path).sort(),
          one.all.episodes.map((e) => e.path).sort(),
        );
        assert.equal(many.all.status, one.all.status);
        // The first screen searched only the parts it needed, and said so.
        assert.match(many.first.status, /^\d+\+ episodes\.$/);
        assert.ok(many.first.count < one.all.count, many.first.status);
        assert.match(one.first.status, /^\d+ episodes\.$/, "a one-part index is counted exactly");
        const last = `part-${parts.length - 1}`;
        assert.ok(partsRequested(many.requests).includes(last), `${last} never searched`);
      });

      test("a word that fills the first screen from part 0 downloads no other part", async () => {
        const { page, problems } = await openPage(context);
        const requests = watchIndex(page);
        await page.goto(`${parted.url}search/?q=the`);
        const first = await firstScreen(page);
        assert.ok(first.episodes.length >= 2, `${first.episodes.length} listed`);
        assert.match(first.status, /^\d+\+ episodes\.$/);
        assert.deepEqual(partsRequested(requests), []);
        assert.ok(requests.includes("/pagefind/parts.json"), requests.join("\n"));
        assert.deepEqual(problems, []);
        await page.close();
      });

      test("a speaker without words: newest first across the parts, undated last", async () => {
        const query = `speaker=${encodeURIComponent(HOST)}`;
        const one = await searchAll(whole, query);
        const many = await searchAll(parted, query);
        assert.ok(many.all.count >= 5, many.all.status);
        const paths = (found) => found.all.episodes.map((e) => e.path);
        assert.deepEqual(paths(many), paths(one));
        const dates = many.all.episodes.map(dateOf);
        assert.equal(dates.at(-1), null, `not undated: ${many.all.episodes.at(-1).meta}`);
        const dated = dates.slice(0, -1);
        assert.ok(dated.every((date) => date !== null), "an undated episode among the dated");
        assert.deepEqual(dated, [...dated].sort((a, b) => b - a), "not newest first");
      });

      test("a year filter searches only the parts that hold that year", async () => {
        for (const year of ["2021", "2022", "2023"]) {
          const reaches = (part) =>
            part.newest && part.oldest.slice(0, 4) <= year && year <= part.newest.slice(0, 4);
          const holding = parts.map((part, k) => ({ ...part, k })).filter(reaches);
          const one = await searchAll(whole, `q=the&year=${year}`);
          const many = await searchAll(parted, `q=the&year=${year}`);
          assert.ok(many.all.count > 0, `${year}: ${many.all.status}`);
          assert.deepEqual(
            many.all.episodes.map((e) => e.path).sort(),
            one.all.episodes.map((e) => e.path).sort(),
            year,
          );
          for (const episode of many.all.episodes) {
            assert.match(episode.meta, new RegExp(` ${year}$`));
          }
          const expected = holding.filter((part) => part.k > 0).map((part) => `part-${part.k}`);
          assert.deepEqual(partsRequested(many.requests), expected, year);
          // Part 0 sits at pagefind/ itself: its files are requested only when it holds the year.
          const partZero = many.requests.filter(
            (path) => /^\/pagefind\/[^/]+$/.test(path) && !path.endsWith(".json"),
          );
          const zeroHolds = holding.some((part) => part.k === 0);
          assert.equal(partZero.length > 0, zeroHolds, `${year}: ${partZero}`);
        }
      });

      test("the speaker field lists every part's speakers from one file", async () => {
        const { page, problems } = await openPage(context);
        const requests = watchIndex(page);
        await page.goto(`${parted.url}search/`);
        await page.focus("#search-speaker");
        const options = "#search-speakers option";
        await page.waitForFunction(
          ({ options, who }) => [...document.querySelectorAll(options)].some((o) => o.value === who),
          { options, who: ONLY_LAST },
          { timeout: TIMEOUT },
        );
        const names = await page.$$eval(options, (all) => all.map((option) => option.value));
        assert.ok(names.includes(HOST) && names.includes("Søren Åberg"), names.join(", "));
        assert.ok(requests.includes("/pagefind/speakers.json"));
        assert.deepEqual(requests.filter((path) => path.includes("/filter/")), []);
        assert.deepEqual(partsRequested(requests), []);
        assert.deepEqual(problems, []);
        await page.close();
      });

      test("a part that cannot be fetched fails the search, as one index does", async () => {
        const { page, problems } = await openPage(context);
        await page.route("**/pagefind/part-1/**", (route) =>
          route.fulfill({ status: 404, body: "Not found" }),
        );
        await page.goto(`${parted.url}search/?q=the&year=2022`);
        await page.waitForFunction(
          () => document.getElementById("search-status").textContent.startsWith("The search failed"),
          null,
          { timeout: TIMEOUT },
        );
        assert.ok(problems.some((problem) => problem.startsWith("404 ")), problems.join("\n"));
        await page.close();
      });

      test("the search page's scripts stay within 10 KB gzipped", async () => {
        const { page, problems } = await openPage(context);
        const scripts = [];
        page.on("response", async (response) => {
          const theme = !new URL(response.url()).pathname.startsWith("/pagefind/");
          if (response.request().resourceType() === "script" && theme) {
            scripts.push(response.body());
          }
        });
        await page.goto(`${parted.url}search/?q=library`);
        await firstScreen(page);
        const inline = await page.$$eval("script:not([src])", (all) =>
          all.map((script) => script.textContent).join(""),
        );
        const bodies = await Promise.all(scripts);
        const size = gzipSync(Buffer.concat([...bodies, Buffer.from(inline)])).length;
        assert.ok(bodies.length >= 1, "search.js not seen");
        assert.ok(size <= 10_000, `${size} B gzipped`);
        assert.deepEqual(problems, []);
        await page.close();
      });
    });
  }
});
