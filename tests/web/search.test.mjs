// Search in a real browser: the Pagefind index `verbatim build` writes, queried by the default
// theme's search page, on a site served as a static host would serve it, at the root of its host
// and under a sub-path. Needs the release binary (`cargo build --release`) and Debian's Chromium
// at /usr/bin/chromium (or CHROMIUM=/path). Run with `node --test search.test.mjs` here.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { binary, buildAndServe, launch, openPage, repo } from "./browser.mjs";

/** How long a search may take to list its results: generous, it takes tens of ms. */
const TIMEOUT = 10_000;
/** Episodes the search page lists before its "More results" button (search.js). */
const PER_PAGE = 5;

/** A word of the example site spoken in eight episodes of both shows, by many speakers. */
const WORD = "library";

/**
 * A tiny site whose turns hold markup as text (raw, and in a code span), a comma in a show, a
 * title and a speaker's name, and an undated episode.
 */
const TINY = {
  "site.toml": 'title = "Markup test"\nbase_url = "https://tiny.example/"\n',
  "content/tape/_index.md": "---\ntitle: Tape, Toast & Tea\n---\nA show.\n",
  "content/tape/markup.md":
    '---\ntitle: Markup, on purpose\ndate: 2020-01-02\nspeakers: [Ann Lee, "Bob, Jr."]\n---\n' +
    "**Ann Lee:** The quokka typed `<img src=x onerror=alert(1)>` in code, and " +
    "<img src=x onerror=alert(1)> and <script>alert(2)</script> as text.\n\n" +
    "**Bob, Jr.:** A quokka again, from Bob.\n",
  "content/tape/undated.md":
    "---\ntitle: No date\nspeakers: [Ann Lee]\n---\n**Ann Lee:** The quokka has no date here.\n",
};

/**
 * A site whose index has several chunks: Pagefind closes a chunk once it holds 20,000 word
 * positions, so "in", "infer" (what "inference" stems to), "econom" and "economi" (what
 * "economics" and "economy" stem to) each end one.
 */
const CHUNKED = {
  "site.toml": 'title = "Chunk test"\nbase_url = "https://chunked.example/"\n',
  "content/talk/_index.md": "---\ntitle: Talk\n---\nA show.\n",
  "content/talk/words.md":
    "---\ntitle: Many words\ndate: 2021-03-04\nspeakers: [Ann Lee]\n---\n" +
    `**Ann Lee:** ${"in ".repeat(20_000)}\n\n` +
    `**Ann Lee:** ${"inference ".repeat(20_000)}\n\n` +
    `**Ann Lee:** ${"economics ".repeat(20_000)}\n\n` +
    `**Ann Lee:** ${"economy ".repeat(20_000)}\n\n` +
    "**Ann Lee:** Then inflation, and a zebra.\n",
};

async function writeSite(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

/** Notes when the search page first lists a result, in ms since its navigation began. */
function timeFirstResult() {
  new MutationObserver((_, observer) => {
    const list = document.getElementById("search-results");
    if (list && list.children.length > 0) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

/**
 * Waits until the search page shows the search `wanted` (its URL parameters) and has listed what
 * its status line counts, then reads the list: each episode with its turns.
 */
async function readResults(page, wanted) {
  await page.waitForFunction(
    ({ wanted, perPage }) => {
      const params = new URLSearchParams(location.search);
      if (Object.entries(wanted).some(([name, value]) => (params.get(name) ?? "") !== value)) {
        return false;
      }
      const status = document.getElementById("search-status").textContent;
      if (status === "No episode matches.") return true;
      const count = /^(\d+) episodes?\.$/.exec(status);
      const listed = document.querySelectorAll("#search-results > li").length;
      return count !== null && listed === Math.min(Number(count[1]), perPage);
    },
    { wanted, perPage: PER_PAGE },
    { timeout: TIMEOUT, polling: 10 },
  );
  return listResults(page);
}

/** Like readResults, then "More results" until every episode found is listed. */
async function readEveryResult(page, wanted) {
  let found = await readResults(page, wanted);
  while (await page.isVisible("#search-more")) {
    const listed = found.episodes.length;
    await page.click("#search-more");
    await page.waitForFunction(
      (listed) =>
        document.querySelectorAll("#search-results > li").length > listed ||
        document.getElementById("search-more").hidden,
      listed,
      { timeout: TIMEOUT, polling: 10 },
    );
    found = await listResults(page);
  }
  return found;
}

/** The episodes the search page lists now, each with its turns, and its status line. */
function listResults(page) {
  return page.evaluate(() => {
    const status = document.getElementById("search-status").textContent;
    const episodes = [...document.querySelectorAll("#search-results > li")].map((li) => ({
      title: li.querySelector("h2").textContent,
      href: li.querySelector("h2 a").href,
      meta: li.querySelector(".meta")?.textContent ?? "",
      marks: li.querySelectorAll("mark").length,
      turns: [...li.querySelectorAll(".search-turns > li")].map((turn) => ({
        speaker: turn.querySelector(".search-speaker").textContent,
        href: turn.querySelector(".search-speaker").href,
        excerpt: turn.querySelector(".search-excerpt").textContent,
        marks: turn.querySelectorAll(".search-excerpt mark").length,
      })),
    }));
    return { status, count: Number(/^\d+/.exec(status)?.[0] ?? 0), episodes };
  });
}

/** When the page first listed a result, and when the test saw the list complete. */
async function timing(page, started) {
  const seen = Math.round(performance.now() - started);
  const first = await page.evaluate(() => window.__firstResult);
  const at = first === undefined ? "?" : Math.round(first);
  return `first result ${at} ms after navigation began, all listed as the test saw at ${seen} ms`;
}

/** Checks what every search of WORD must show: many episodes, both shows, many speakers. */
function checkWordResults(found, base) {
  assert.ok(found.count >= 6, `few episodes: ${found.status}`);
  const shows = new Set();
  const speakers = new Set();
  for (const episode of found.episodes) {
    assert.ok(episode.title.trim(), "an episode without a title");
    const meta = /^(Signal & Noise|The Long Memory) · \d{1,2} [A-Z][a-z]+ \d{4}$/.exec(
      episode.meta,
    );
    assert.ok(meta, `show and date missing: "${episode.meta}"`);
    shows.add(meta[1]);
    assert.ok(episode.marks > 0, `nothing marked in ${episode.title}`);
    assert.ok(new URL(episode.href).pathname.startsWith(base), episode.href);
    for (const turn of episode.turns) {
      speakers.add(turn.speaker);
      assert.ok(turn.speaker.trim(), `a turn without its speaker in ${episode.title}`);
      assert.ok(turn.marks > 0, `a turn without a marked word: ${turn.excerpt}`);
      assert.match(new URL(turn.href).hash, /^#t-/);
      assert.equal(
        new URL(turn.href).pathname,
        new URL(episode.href).pathname,
        "a turn links to another page than its episode",
      );
      // The excerpt may begin with the turn's heading; the name is shown beside it already.
      assert.ok(!turn.excerpt.startsWith(`${turn.speaker}. `), `name twice: ${turn.excerpt}`);
    }
  }
  assert.deepEqual([...shows].sort(), ["Signal & Noise", "The Long Memory"]);
  assert.ok(speakers.size >= 5, `few speakers: ${[...speakers]}`);
}

/** The element a URL's fragment names is on screen. */
async function assertTurnInView(page) {
  const box = await page.evaluate(() => {
    const turn = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!turn) return null;
    const r = turn.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: innerHeight };
  });
  assert.ok(box, `no element for ${page.url()}`);
  assert.ok(box.top >= 0 && box.top < box.height, `turn not in view: ${JSON.stringify(box)}`);
}

describe("search in Chromium", { timeout: 120_000 }, () => {
  let browser;
  let context;
  let temp;
  let root; // the example at the root of its host
  let sub; // the example under /archive/
  let tiny; // the markup site
  let chunked; // the site with several index chunks
  const servers = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: run cargo build --release first`);
    temp = await mkdtemp(join(tmpdir(), "verbatim-search-"));
    const tinyRoot = join(temp, "tiny");
    await writeSite(tinyRoot, TINY);
    const chunkedRoot = join(temp, "chunked");
    await writeSite(chunkedRoot, CHUNKED);
    [root, sub, tiny, chunked] = await Promise.all([
      buildAndServe(repo, "/", temp),
      buildAndServe(repo, "/archive/", temp),
      buildAndServe(tinyRoot, "/", temp),
      buildAndServe(chunkedRoot, "/", temp),
    ]);
    servers.push(root.server, sub.server, tiny.server, chunked.server);
    // The player is started by script in one test; a click would be allowed anyway.
    browser = await launch("--autoplay-policy=no-user-gesture-required");
    // Tall enough that a page of five results is listed without scrolling: the search page
    // loads a result only once the window nears it (tested below in a phone's window).
    context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
    await context.addInitScript(timeFirstResult);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    for (const server of servers) server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  test("?q= in the URL lists episodes with the matching turns, by whom, marked", async (t) => {
    const { page, problems } = await openPage(context);
    const started = performance.now();
    const response = await page.goto(`${root.url}search/?q=${WORD}`);
    assert.equal(response.status(), 200);
    const first = await readResults(page, { q: WORD });
    t.diagnostic(`root, ?q=${WORD}: ${await timing(page, started)}; ${first.status}`);
    assert.equal(first.episodes.length, Math.min(first.count, PER_PAGE));
    const found = await readEveryResult(page, { q: WORD });
    assert.equal(found.episodes.length, found.count, "More results did not list them all");
    assert.equal(await page.inputValue("#search-q"), WORD);
    checkWordResults(found, "/");
    assert.deepEqual(problems, []);
  });

  test("the speaker filter narrows to the episodes where they said it", async () => {
    const { page, problems } = await openPage(context);
    const filterFiles = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.includes("/pagefind/filter/")) {
        filterFiles.push(request.url());
      }
    });
    await page.goto(`${root.url}search/?q=${WORD}`);
    const all = await readEveryResult(page, { q: WORD });
    // The names of the speakers (Pagefind's filter index) are loaded only for the speaker field.
    assert.deepEqual(filterFiles, [], "a search without filters loaded Pagefind's filters");
    const who = "Søren Åberg";
    await page.focus("#search-speaker");
    await page.waitForFunction(
      (who) => [...document.querySelectorAll("#search-speakers option")].some((o) => o.value === who),
      who,
      { timeout: TIMEOUT },
    );
    await page.fill("#search-speaker", who);
    await page.press("#search-speaker", "Tab");
    const narrowed = await readEveryResult(page, { q: WORD, speaker: who });
    const change = `${all.status} → ${narrowed.status}`;
    assert.ok(narrowed.count > 0 && narrowed.count < all.count, change);
    const titles = new Set(all.episodes.map((episode) => episode.title));
    for (const episode of narrowed.episodes) {
      assert.ok(titles.has(episode.title), `${episode.title} was not found without the filter`);
      // Regression: the filter is per episode, so episodes where only others said the word were
      // listed with someone else's words and no name.
      assert.ok(episode.turns.length > 0, `no turn of ${who} in ${episode.title}`);
      for (const turn of episode.turns) assert.equal(turn.speaker, who);
    }
    assert.equal(new URL(page.url()).searchParams.get("speaker"), who);
    assert.deepEqual(problems, []);
  });

  test("the show and year filters narrow too", async () => {
    const { page, problems } = await openPage(context);
    await page.goto(`${root.url}search/?q=${WORD}`);
    const all = await readResults(page, { q: WORD });
    // The choices come with the page, counted from the archive, not from Pagefind.
    const choices = await page.$$eval("#search-show option, #search-year option", (options) =>
      options.map((option) => option.textContent),
    );
    assert.ok(choices.some((text) => /^The Long Memory \(\d+\)$/.test(text)), `${choices}`);
    assert.ok(choices.some((text) => /^2023 \(\d+\)$/.test(text)), `${choices}`);

    await page.selectOption("#search-show", "The Long Memory");
    const show = await readResults(page, { q: WORD, show: "The Long Memory" });
    assert.ok(show.count > 0 && show.count < all.count, `${all.status} → ${show.status}`);
    for (const episode of show.episodes) assert.match(episode.meta, /^The Long Memory · /);

    await page.selectOption("#search-show", "");
    await page.selectOption("#search-year", "2023");
    const year = await readResults(page, { q: WORD, show: "", year: "2023" });
    assert.ok(year.count > 0 && year.count < all.count, `${all.status} → ${year.status}`);
    for (const episode of year.episodes) assert.match(episode.meta, / 2023$/);
    assert.equal(new URL(page.url()).searchParams.get("year"), "2023");
    assert.deepEqual(problems, []);
  });

  test("the header's search box on another page opens the search page, with results", async (t) => {
    const { page, problems } = await openPage(context);
    await page.goto(`${root.url}the-long-memory/hot-metal/`);
    await page.fill("#site-search-q", WORD);
    const started = performance.now();
    await page.press("#site-search-q", "Enter");
    const found = await readEveryResult(page, { q: WORD });
    t.diagnostic(`header form → search page: ${await timing(page, started)}`);
    assert.equal(new URL(page.url()).pathname, "/search/");
    checkWordResults(found, "/");
    assert.deepEqual(problems, []);
  });

  test("a result's turn opens its episode at that turn, the player cued there", async () => {
    const { page, problems, audioRequests } = await openPage(context);
    await page.goto(`${root.url}search/?q=${WORD}`);
    const found = await readEveryResult(page, { q: WORD });
    const episode = found.episodes.find((e) => e.title.startsWith("Who Said That?"));
    assert.ok(episode?.turns.length, "no turn of “Who Said That?” found");
    const turn = episode.turns[0];
    const { pathname, hash } = new URL(turn.href);
    await Promise.all([
      page.waitForURL(turn.href),
      page.click(`#search-results a.search-speaker[href="${pathname}${hash}"]`),
    ]);
    await page.waitForLoadState("load");
    await assertTurnInView(page);
    const seconds = await page.evaluate(() =>
      Number(document.getElementById(location.hash.slice(1)).dataset.seconds),
    );
    assert.ok(seconds > 0, "the turn has no time");
    // Cued, not loaded: opening a page at a turn must not download the audio.
    const player = () =>
      page.evaluate(() => {
        const audio = document.getElementById("player");
        return { time: audio.currentTime, paused: audio.paused };
      });
    assert.equal((await player()).time, seconds);
    assert.deepEqual(audioRequests, []);

    // Played, it starts at the turn.
    await page.evaluate(() => document.getElementById("player").play());
    await page.waitForFunction(
      (from) => document.getElementById("player").currentTime > from + 0.2,
      seconds,
      { timeout: TIMEOUT },
    );
    const playing = await player();
    assert.ok(playing.time >= seconds && playing.time < seconds + 5, `playing at ${playing.time}`);
    assert.ok(audioRequests.length > 0);
    assert.deepEqual(problems, []);
  });

  // Regression: the cue that follows the URL's fragment ran again when a timestamp's click
  // changed the fragment, and reloaded the source: the player the click had just started
  // stopped at once.
  test("a timestamp clicked on an episode page plays from there and keeps playing", async () => {
    const { page, problems } = await openPage(context);
    await page.goto(`${root.url}signal-and-noise/who-said-that/`);
    const stamp = page.locator(".transcript a.ts[data-seconds]").nth(3);
    const seconds = Number(await stamp.getAttribute("data-seconds"));
    await stamp.click();
    await page.waitForFunction(
      (from) => document.getElementById("player").currentTime > from + 0.5,
      seconds,
      { timeout: TIMEOUT },
    );
    const state = await page.evaluate(() => {
      const audio = document.getElementById("player");
      return { paused: audio.paused, time: audio.currentTime, hash: location.hash };
    });
    assert.equal(state.paused, false);
    assert.ok(state.time < seconds + 5, `playing at ${state.time}, not near ${seconds}`);
    assert.equal(state.hash, await stamp.getAttribute("href"));
    assert.deepEqual(problems, []);
  });

  test("a speaker page's “Search within what … said” lists their episodes", async (t) => {
    const { page, problems } = await openPage(context);
    await page.goto(`${root.url}speakers/soren-aberg/`);
    const stated = Number(await page.textContent(".stats dt:text-is('Episodes') + dd"));
    const started = performance.now();
    await page.click("text=Search within what Søren Åberg said");
    const found = await readResults(page, { speaker: "Søren Åberg" });
    t.diagnostic(`speaker page link → search page: ${await timing(page, started)}`);
    assert.equal(await page.inputValue("#search-speaker"), "Søren Åberg");
    assert.equal(found.count, stated, `${found.status}, the speaker page says ${stated}`);
    const dates = found.episodes.map((episode) => Date.parse(episode.meta.split(" · ")[1]));
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a), "not newest first");
    assert.deepEqual(problems, []);
  });

  test("under a sub-path, search and its links stay under /archive/", async (t) => {
    const { page, problems } = await openPage(context);
    const started = performance.now();
    const response = await page.goto(`${sub.url}search/?q=${WORD}`);
    assert.equal(response.status(), 200);
    const found = await readEveryResult(page, { q: WORD });
    t.diagnostic(`/archive/, ?q=${WORD}: ${await timing(page, started)}`);
    checkWordResults(found, "/archive/");
    const turn = found.episodes.flatMap((episode) => episode.turns)[0];
    await Promise.all([
      page.waitForURL(turn.href),
      page.locator("#search-results a.search-speaker").first().click(),
    ]);
    await page.waitForLoadState("load");
    assert.ok(new URL(page.url()).pathname.startsWith("/archive/"));
    await assertTurnInView(page);

    await page.goto(`${sub.url}speakers/li-ming/`);
    await page.click("text=Search within what 李明 said");
    const spoken = await readResults(page, { speaker: "李明" });
    assert.equal(spoken.count, 2, spoken.status);
    assert.deepEqual(problems, []);
  });

  test("text of a turn cannot inject markup through an excerpt", async () => {
    const { page, problems } = await openPage(context);
    await page.goto(`${tiny.url}search/?q=quokka`);
    const found = await readResults(page, { q: "quokka" });
    assert.ok(found.count >= 1, found.status);
    const excerpts = found.episodes.flatMap((episode) => episode.turns.map((turn) => turn.excerpt));
    assert.ok(
      excerpts.some((text) => text.includes("<img src=x onerror=alert(1)>")),
      `the code span is not shown as text: ${excerpts.join(" | ")}`,
    );
    const injected = await page.locator("#search-results img, #search-results script").count();
    assert.equal(injected, 0);
    await page.waitForTimeout(200); // an onerror would have run by now
    assert.deepEqual(problems, []);
  });

  test(
    "markup written as text in a turn is found as the page shows it",
    async () => {
      const { page, problems } = await openPage(context);
      await page.goto(`${tiny.url}search/?q=script`);
      const found = await readResults(page, { q: "script" });
      const excerpts = found.episodes.flatMap((e) => e.turns.map((turn) => turn.excerpt));
      assert.ok(
        excerpts.some((text) => text.includes("<script>alert(2)</script>")),
        `${found.status} ${excerpts.join(" | ")}`,
      );
      assert.equal(await page.locator("#search-results script").count(), 0);
      assert.deepEqual(problems, []);
    },
  );

  test("a result is loaded once the window nears it, five to a page", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const { page, problems } = await openPage(phone);
    const fragments = [];
    page.on("request", (request) => {
      if (request.url().endsWith(".pf_fragment")) fragments.push(request.url());
    });
    const listed = () => page.locator("#search-results > li").count();
    await page.goto(`${root.url}search/?q=${WORD}`);
    await page.waitForFunction(
      () => /^\d+ episodes\.$/.test(document.getElementById("search-status").textContent),
      null,
      { timeout: TIMEOUT },
    );
    await page.waitForLoadState("networkidle");
    const first = await listed();
    assert.ok(first >= 1 && first < PER_PAGE, `${first} listed before any scrolling`);
    assert.equal(fragments.length, first, "results were loaded that are not listed");
    assert.equal(await page.isVisible("#search-more"), false);

    // Scrolling to the end of the list lists the rest of the page, then offers more. The count
    // is read once a round: a listing still running may add results between two reads.
    for (let before = first; before < PER_PAGE; before = await listed()) {
      await page.locator("#search-end").scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (before) => document.querySelectorAll("#search-results > li").length > before,
        before,
        { timeout: TIMEOUT },
      );
    }
    await page.waitForSelector("#search-more", { state: "visible", timeout: TIMEOUT });
    assert.equal(await listed(), PER_PAGE);
    assert.equal(fragments.length, PER_PAGE);

    await page.click("#search-more");
    await page.waitForFunction(
      (perPage) => document.querySelectorAll("#search-results > li").length > perPage,
      PER_PAGE,
      { timeout: TIMEOUT },
    );
    await page.waitForLoadState("networkidle");
    assert.equal(fragments.length, await listed());
    assert.deepEqual(problems, []);
    await phone.close();
  });

  test("a word is found whichever index chunk holds it", async () => {
    // A search looks up the word as typed and its stem, in the chunks whose ranges could hold
    // them: "inference" (stem "infer") and "economy" (stem "economi") are each beside a chunk
    // filled by one word. Which chunks a search downloads is stock Pagefind's choice (see
    // vendor/README.md); what it finds must not depend on it.
    for (const word of ["inference", "infer", "in", "inflation", "economy"]) {
      const { page, problems } = await openPage(context);
      const chunks = [];
      page.on("request", (request) => {
        if (request.url().endsWith(".pf_index")) chunks.push(new URL(request.url()).pathname);
      });
      await page.goto(`${chunked.url}search/?q=${word}`);
      const found = await readResults(page, { q: word });
      assert.deepEqual(
        found.episodes.map((episode) => episode.title),
        ["Many words"],
        `?q=${word}`,
      );
      assert.ok(chunks.length >= 1, `?q=${word} loaded no index chunk`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  });

  // Regression: with no words the list is sorted by date, and Pagefind leaves out every page
  // without the sort key, so an undated episode was missing from "what … said".
  test("a speaker's episodes include the undated ones, after the dated", async () => {
    const { page, problems } = await openPage(context);
    await page.goto(`${tiny.url}speakers/ann-lee/`);
    await page.click("text=Search within what Ann Lee said");
    const found = await readResults(page, { speaker: "Ann Lee" });
    assert.equal(found.count, 2, found.status);
    assert.equal(found.episodes[1].title, "No date");
    assert.deepEqual(problems, []);
  });

  test(
    "a comma in a title, a show or a speaker's name reaches the search page as written",
    async () => {
      const { page, problems } = await openPage(context);
      await page.goto(`${tiny.url}speakers/bob-jr/`);
      await page.click("text=Search within what Bob, Jr. said");
      const found = await readResults(page, { speaker: "Bob, Jr." });
      assert.equal(found.count, 1, found.status);
      assert.equal(found.episodes[0].title, "Markup, on purpose");
      assert.match(found.episodes[0].meta, /^Tape, Toast & Tea · /);
      assert.deepEqual(problems, []);
    },
  );

  test("a search whose index files cannot be fetched says so", async () => {
    for (const missing of ["**/*.pf_meta", "**/*.pf_fragment"]) {
      const { page, problems } = await openPage(context);
      await page.route(missing, (route) => route.fulfill({ status: 404, body: "Not found" }));
      await page.goto(`${root.url}search/?q=${WORD}`);
      await page.waitForFunction(
        () => document.getElementById("search-status").textContent.startsWith("The search failed"),
        null,
        { timeout: TIMEOUT },
      );
      assert.ok(problems.some((problem) => problem.startsWith("404 ")), problems.join("\n"));
      await page.close();
    }
  });

  describe("verbatim serve", () => {
    let child;
    let dir;

    after(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await exited;
      }
    });

    test("serves the index, and an edit is found once it is indexed again", async (t) => {
      dir = join(temp, "served");
      await cp(join(temp, "tiny"), dir, { recursive: true });
      child = spawn(binary, ["--root", dir, "serve", "--port", "0"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let log = "";
      child.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
      const url = await new Promise((found, fail) => {
        const timer = setTimeout(() => fail(new Error(`no URL in 15 s\n${log}`)), 15_000);
        child.stdout.setEncoding("utf8").on("data", (chunk) => {
          log += chunk;
          const match = /^Serving on (\S+?);/m.exec(log);
          if (match) {
            clearTimeout(timer);
            found(match[1]);
          }
        });
        child.on("exit", (code) => fail(new Error(`verbatim serve exited ${code}\n${log}`)));
      });

      const { page, problems } = await openPage(context);
      await page.goto(`${url}search/?q=quokka`);
      assert.equal((await readResults(page, { q: "quokka" })).count, 2);
      await page.goto(`${url}search/?q=wombat`);
      assert.equal((await readResults(page, { q: "wombat" })).status, "No episode matches.");

      const started = performance.now();
      await writeFile(
        join(dir, "content/tape/undated.md"),
        TINY["content/tape/undated.md"].replace("quokka", "wombat"),
      );
      // The open page reloads with the edit's pages; the index follows a moment later without
      // another reload, so the search is run again until it finds the word.
      let tries = 0;
      let found;
      for (;;) {
        await page.waitForTimeout(100);
        tries += 1;
        // The live reload may cut in on this navigation: then look again.
        found = await page
          .goto(`${url}search/?q=wombat`)
          .then(() => readResults(page, { q: "wombat" }))
          .catch(() => ({ count: 0, status: "interrupted" }));
        if (found.count > 0 || performance.now() - started > TIMEOUT) break;
      }
      const took = Math.round(performance.now() - started);
      t.diagnostic(`serve: an edited word found ${took} ms after the write (${tries} searches)`);
      assert.equal(found.count, 1, `${found.status}\n${log}`);
      assert.equal(found.episodes[0].title, "No date");
      assert.deepEqual(problems, []);
    });
  });
});
