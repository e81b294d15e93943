// What an episode page gets from the server, in a real browser: chapter times from the first
// timed turn, timestamps that open a linked YouTube video when there is no audio, the opt-in
// video box (16:9, nothing loaded from YouTube), and "More with" at the end. At a phone width
// (375 px) and a desktop width (1280 px), light and dark, with axe-core.
// Run with `VERBATIM_BIN=../../target/debug/verbatim node --test episode-data.test.mjs` here.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAndServe, launch, openPage, seriousAxeProblems } from "./browser.mjs";

const WIDTHS = [375, 1280];
const VIDEO = "I2ZmAPI3e_Q";

const FILES = {
  "site.toml": 'title = "Episode data"\nbase_url = "https://test.example/"\n[video]\nembed = true\n',
  "content/talks/_index.md": "---\ntitle: Talks\n---\nTalks.\n",
  "content/talks/video.md": [
    "---",
    "title: A talk with a video and no audio",
    "date: 2024-06-01",
    `link: https://www.youtube.com/watch?v=${VIDEO}&feature=share`,
    "speakers:\n  - {name: Ann Host, role: host}\n  - {name: Bea Guest, role: guest}",
    "---",
    "## Opening",
    "",
    "**Ann Host:** Welcome. This turn has no time.",
    "",
    "**Bea Guest:** [00:01:05] Thanks for having me, it is good to be here at last.",
    "",
    "## Questions",
    "",
    "**Ann Host:** [00:12:30] A question from the hall.",
    "",
  ].join("\n"),
  "content/talks/earlier.md": [
    "---",
    "title: An earlier talk with a rather long title that has to wrap on a phone screen",
    "date: 2023-02-01",
    "speakers:\n  - {name: Ann Host, role: host}\n  - {name: Bea Guest, role: guest}",
    "---",
    "**Bea Guest:** Hello again.",
    "",
    "**Ann Host:** Hi.",
    "",
  ].join("\n"),
};

describe("episode page data", () => {
  let temp, site, browser;

  before(async () => {
    temp = await mkdtemp(join(tmpdir(), "verbatim-epdata-"));
    const root = join(temp, "root");
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(root, path, ".."), { recursive: true });
      await writeFile(join(root, path), text);
    }
    site = await buildAndServe(root, "/", temp);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    site?.server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  for (const width of WIDTHS) {
    for (const scheme of ["light", "dark"]) {
      test(`${width} px, ${scheme}`, async () => {
        const context = await browser.newContext({
          viewport: { width, height: 800 },
          colorScheme: scheme,
        });
        try {
          const { page, problems } = await openPage(context);
          await page.goto(`${site.url}talks/video/`);

          // The chapter list gives the time of the first timed turn under each chapter.
          const times = await page.$$eval(".toc .ts", (spans) => spans.map((s) => s.textContent));
          assert.deepEqual(times, ["01:05", "12:30"]);

          // Every timestamp opens the video at its time; the turn keeps its anchor.
          const links = await page.$$eval(".transcript a.ts[data-seconds]", (as) =>
            as.map((a) => [a.getAttribute("href"), a.dataset.seconds]),
          );
          const at = (s) => `https://www.youtube.com/watch?v=${VIDEO}&t=${s}s`;
          assert.deepEqual(links, [
            [at(65), "65.0"],
            [at(65), "65.0"],
            [at(750), "750.0"],
            [at(750), "750.0"],
          ]);
          assert.equal(
            await page.$eval(".transcript", (s) => s.dataset.videoId),
            VIDEO,
          );
          assert.ok(await page.$("#t-00-01-05"), "the turn keeps its id");

          // The video box: 16:9, in the header, a visible link of a good size, no iframe.
          const box = await page.locator(".episode-header .video").boundingBox();
          assert.ok(box, "the video box is shown");
          assert.ok(Math.abs(box.width / box.height - 16 / 9) < 0.02, `16:9: ${box.width}x${box.height}`);
          const play = page.locator(".video-play");
          assert.ok(await play.isVisible());
          const playBox = await play.boundingBox();
          assert.ok(playBox.height >= 24 && playBox.width >= 24, JSON.stringify(playBox));
          assert.equal(await play.getAttribute("href"), `https://www.youtube.com/watch?v=${VIDEO}`);
          assert.equal(await page.$("iframe"), null, "nothing is embedded before the reader asks");

          // "More with" the guest, then the host, each with their other episode.
          const more = page.locator(".more-with");
          await more.scrollIntoViewIfNeeded();
          assert.ok(await more.isVisible());
          assert.deepEqual(await page.$$eval(".more-with h3", (hs) => hs.map((h) => h.textContent)), [
            "Bea Guest",
            "Ann Host",
          ]);
          const fontSize = await page.$eval(".more-with-meta", (m) => parseFloat(getComputedStyle(m).fontSize));
          assert.ok(fontSize >= 11, `show and date legible: ${fontSize}px`);

          // Nothing wider than the screen, and axe is clean.
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(wide <= width, `${wide} px wide at ${width}`);
          assert.deepEqual(await seriousAxeProblems(page), []);
          assert.deepEqual(problems, [], "no console errors and no request off the site");

          // Pressed, the link plays the video here: the embed (a stand-in: no network) in the
          // box, the page itself not left.
          await page.route("https://www.youtube-nocookie.com/**", (route) =>
            route.fulfill({ contentType: "text/html", body: "<!doctype html><title>video</title>" }),
          );
          const embed = await page.$eval(".video", (v) => v.dataset.embed);
          await play.click();
          const frame = await page.waitForSelector(".video iframe", { timeout: 5_000 });
          const src = await frame.getAttribute("src");
          assert.ok(src.startsWith(embed), src);
          assert.equal((src.match(/enablejsapi=1/g) || []).length, 1, src);
          assert.match(src, /[?&]autoplay=1/);
          assert.equal(new URL(page.url()).pathname, "/talks/video/");
        } finally {
          await context.close();
        }
      });
    }
  }
});
