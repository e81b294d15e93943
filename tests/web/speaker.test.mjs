// The speaker page in a real browser, at a phone's width and a desktop's: the chart's text keeps
// a readable size and each bar leads somewhere; the newest appearances show without a click and
// the undated come last; host and guest are told apart in words; axe-core, light and dark; and
// "Search within what … said" without words lists the person's own turns.
// Needs a binary (VERBATIM_BIN, else the release build) and Debian's Chromium at
// /usr/bin/chromium (or CHROMIUM=/path). Run with `node --test speaker.test.mjs` here.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binary, buildAndServe, launch, openPage, repo, sticksOut, seriousAxeProblems } from "./browser.mjs";

const TIMEOUT = 10_000;
/** A corpus with dated appearances over years, hosts and guests, and an undated episode. */
const corpus = join(repo, "../shared/corpus/bitcointranscripts/content");
/** Its busiest host (35 episodes over four years), and a host with one undated episode. */
const HOST = "speakers/stephan-livera/";
const WITH_UNDATED = "speakers/aaron-van-wirdum/";
/** Each show opens on at least this many of its newest appearances (src/render/speaker.rs). */
const OPEN_APPEARANCES = 12;
const WIDTHS = [375, 1280];

/** What a speaker page shows of its chart and its list, read in the page. */
function readSpeakerPage() {
  const visible = (el) => el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const bars = [...document.querySelectorAll(".chart-bars > li")];
  const texts = [...document.querySelectorAll(".chart-label, .chart-count, .chart-legend li")];
  const shows = [...document.querySelectorAll(".show-appearances")].map((show) => {
    const years = [...show.querySelectorAll("details.year")];
    return {
      years: years.map((y) => y.querySelector("summary").firstChild.textContent.trim()),
      open: years.filter((y) => y.open).length,
      count: show.querySelectorAll(".appearances > li").length,
      visible: [...show.querySelectorAll(".appearances > li")].filter(visible).length,
      firstVisible: visible(show.querySelector(".appearances > li")),
    };
  });
  return {
    summary: document.querySelector(".chart-summary")?.textContent ?? "",
    bars: bars.length,
    smallestText: Math.min(...texts.map(px)),
    textVisible: texts.every(visible),
    links: [...document.querySelectorAll(".chart-summary a, .chart-bars a")].map((a) => ({
      href: a.getAttribute("href"),
      target: Boolean(document.getElementById(a.getAttribute("href").slice(1))),
    })),
    legend: [...document.querySelectorAll(".chart-legend li")].map((li) => li.textContent.trim()),
    shows,
    scrollWidth: document.documentElement.scrollWidth,
  };
}

describe("the speaker page in Chromium", { timeout: 120_000 }, () => {
  let browser;
  let temp;
  let example; // the example, with its search index
  let bitcoin; // the corpus, when there is one
  const servers = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: build it first`);
    temp = await mkdtemp(join(tmpdir(), "verbatim-speaker-"));
    const sites = [buildAndServe(repo, "/", temp)];
    if (existsSync(corpus)) {
      const root = join(temp, "bitcoin");
      await mkdir(root);
      await writeFile(join(root, "site.toml"), 'title = "Bitcoin"\nsearch = false\n');
      await symlink(corpus, join(root, "content"));
      sites.push(buildAndServe(root, "/", temp));
    }
    [example, bitcoin] = await Promise.all(sites);
    for (const site of [example, bitcoin]) if (site) servers.push(site.server);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  for (const width of WIDTHS) {
    // Issue 24: the chart was an SVG scaled from 640 units, its labels ~6 px on a phone; a
    // 35-episode host opened on one episode; "Undated" came first; bars linked nowhere.
    test(`a busy host's page at ${width} px: legible chart, newest open, undated last`, {
      skip: !existsSync(corpus) && `no corpus at ${corpus}`,
    }, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const { page, problems } = await openPage(context);
      for (const path of [HOST, WITH_UNDATED]) {
        await page.goto(`${bitcoin.url}${path}`);
        const seen = await page.evaluate(readSpeakerPage);
        assert.ok(seen.bars > 1, `${path}: no bars`);
        assert.ok(seen.smallestText >= 11, `${path}: chart text of ${seen.smallestText} px`);
        assert.ok(seen.textVisible, `${path}: chart text hidden`);
        assert.ok(seen.links.length >= 2, `${path}: the bars link nowhere`);
        for (const link of seen.links) assert.ok(link.target, `${path}: ${link.href} leads nowhere`);
        assert.deepEqual(seen.legend, ["As host", "As guest"], path);
        const first = seen.shows[0];
        assert.ok(first.firstVisible, `${path}: the newest appearance is hidden`);
        assert.ok(
          first.visible >= Math.min(OPEN_APPEARANCES, first.count),
          `${path}: ${first.visible} of ${first.count} appearances open`,
        );
        for (const show of seen.shows) {
          const undated = show.years.indexOf("Undated");
          assert.ok(undated === -1 || undated === show.years.length - 1, `${path}: ${show.years}`);
        }
        if (width === 375) assert.ok(seen.scrollWidth <= width, `${path}: ${seen.scrollWidth} px wide`);
      }
      const undated = await page.evaluate(readSpeakerPage);
      assert.match(undated.summary, /1 undated/);
      // A bar's link shows its year's appearances.
      await page.click(".chart-bars a >> nth=0");
      const hash = new URL(page.url()).hash.slice(1);
      const inView = await page.evaluate((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return r.top >= 0 && r.top < innerHeight;
      }, hash);
      assert.ok(inView, `#${hash} not scrolled into view`);
      // The first bar is the oldest year, a closed group until its bar is followed. The page
      // opens it on `hashchange`, which the browser dispatches after the click has returned.
      const opened = await page
        .waitForFunction((id) => document.getElementById(id).open, hash, { timeout: TIMEOUT })
        .then(() => true, () => false);
      assert.equal(opened, true, `#${hash} is still closed`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test("nothing is wider than a 360 px phone", {
    skip: !existsSync(corpus) && `no corpus at ${corpus}`,
  }, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const { page } = await openPage(context);
    for (const [site, path] of [[bitcoin, HOST], [example, "speakers/soren-aberg/"]]) {
      await page.goto(`${site.url}${path}`);
      const wide = await page.evaluate(sticksOut, 360);
      assert.deepEqual(wide, [], path);
    }
    await context.close();
  });

  // Issue 24: one appearance was one bar filling the chart. It is a sentence now.
  test("one appearance reads as a sentence, not a bar", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const { page, problems } = await openPage(context);
    await page.goto(`${example.url}speakers/`);
    const once = await page.evaluate(() =>
      [...document.querySelectorAll("a[href*='speakers/']")].map((a) => a.href),
    );
    let checked = 0;
    for (const href of once) {
      await page.goto(href);
      const seen = await page.evaluate(readSpeakerPage);
      if (!/^One appearance, in /.test(seen.summary)) continue;
      assert.equal(seen.bars, 0, `${href}: one appearance drawn as bars`);
      checked += 1;
    }
    assert.ok(checked > 0, "the example has no speaker with one dated appearance");
    assert.deepEqual(problems, []);
    await context.close();
  });

  for (const scheme of ["light", "dark"]) {
    test(`axe-core finds nothing serious on speaker pages, ${scheme}`, async () => {
      const context = await browser.newContext({ colorScheme: scheme });
      const { page } = await openPage(context);
      const pages = [[example, "speakers/soren-aberg/"]];
      if (bitcoin) pages.push([bitcoin, HOST], [bitcoin, WITH_UNDATED]);
      const failures = [];
      for (const [site, path] of pages) {
        await page.goto(`${site.url}${path}`);
        for (const v of await seriousAxeProblems(page)) failures.push(`${path}: ${v}`);
      }
      assert.deepEqual(failures, []);
      await context.close();
    });
  }

  // Issue 24: with a speaker and no words, the search listed episodes by their opening lines,
  // spoken by others. It lists that person's own turns now, newest episode first.
  for (const width of WIDTHS) {
    test(`"Search within what … said" lists their own turns, at ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 2000 } });
      const { page, problems } = await openPage(context);
      await page.goto(`${example.url}speakers/soren-aberg/`);
      const stated = Number(await page.textContent(".stats dt:text-is('Episodes') + dd"));
      await page.click("text=Search within what Søren Åberg said");
      await page.waitForFunction(
        () => /^\d+ episodes?\.$/.test(document.getElementById("search-status").textContent),
        null,
        { timeout: TIMEOUT },
      );
      const found = await page.evaluate(() => ({
        status: document.getElementById("search-status").textContent,
        episodes: [...document.querySelectorAll("#search-results > li")].map((li) => ({
          date: li.querySelector(".meta")?.textContent.split(" · ")[1],
          turns: [...li.querySelectorAll(".search-turns > li")].map((turn) => ({
            who: turn.querySelector(".search-speaker").textContent,
            href: turn.querySelector(".search-speaker").getAttribute("href"),
            said: turn.querySelector(".search-excerpt").textContent,
          })),
        })),
      }));
      assert.equal(found.status, `${stated} episode${stated === 1 ? "" : "s"}.`);
      assert.ok(found.episodes.length > 0);
      for (const episode of found.episodes) {
        assert.ok(episode.turns.length > 0, "an episode without their turns");
        for (const turn of episode.turns) {
          assert.equal(turn.who, "Søren Åberg");
          assert.match(turn.href, /#t-/);
          assert.ok(turn.said.trim().split(/\s+/).length >= 2, `an empty turn: ${turn.said}`);
          assert.ok(!turn.said.startsWith("Søren Åberg"), `the name twice: ${turn.said}`);
        }
      }
      const dates = found.episodes.map((e) => Date.parse(e.date)).filter((d) => !Number.isNaN(d));
      assert.deepEqual(dates, [...dates].sort((a, b) => b - a), "not newest first");
      // The first turn listed is theirs on the episode page.
      const first = found.episodes[0].turns[0];
      await page.click(`#search-results a[href="${first.href}"]`);
      await page.waitForLoadState("load");
      const speaker = await page.evaluate(
        () => document.getElementById(location.hash.slice(1))?.textContent ?? "",
      );
      assert.match(speaker, /Søren Åberg/);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
