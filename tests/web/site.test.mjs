// The site around the pages, in a real browser at a phone's width and a desktop's: the header and
// its shows, the page of every show, card descriptions held to a few lines, the letters of the
// speakers index, axe-core light and dark, and nothing wider than a 360 px phone.
// Builds the changelog corpus (../shared/corpus) once, and a small site of long descriptions.
// Run with `node --test site.test.mjs` here (VERBATIM_BIN=../../target/debug/verbatim for a
// debug binary).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binary, buildAndServe, launch, openPage, repo, seriousAxeProblems } from "./browser.mjs";

const corpus = join(repo, "../shared/corpus/changelog/content");
const WIDTHS = [375, 1280];
/** Lines a card's description may take: the style sheet clamps it to four. */
const CLAMP = 4;

/** A site of six shows whose descriptions, and their episodes', run to 300 words with URLs. */
async function writeLongSite(root) {
  const words = (n) =>
    Array.from({ length: n }, (_, i) =>
      i % 20 === 19 ? `https://example.org/notes/${i}` : `word${i}`,
    ).join(" ");
  await mkdir(root, { recursive: true });
  await writeFile(join(root, "site.toml"), 'title = "Long notes"\nsearch = false\n');
  for (let s = 0; s < 6; s++) {
    const dir = join(root, "content", `show-${s}`);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "_index.md"),
      `---\ntitle: "Show ${s}"\ndescription: "${words(300)}"\n---\n`,
    );
    for (let e = 0; e <= s; e++) {
      await writeFile(
        join(dir, `e${e}.md`),
        `---\ntitle: "Episode ${e} of show ${s}"\ndate: 2024-0${1 + (e % 9)}-0${1 + s}\n` +
          `description: "${words(300)}"\n---\n**Ann Lee:** Hello.\n`,
      );
    }
  }
}

describe("the site around the pages", { skip: !existsSync(corpus) && `no corpus at ${corpus}` }, () => {
  let temp, browser, changelog, long;
  const servers = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: cargo build first`);
    temp = await mkdtemp(join(tmpdir(), "verbatim-site-"));
    const root = join(temp, "changelog");
    await mkdir(root);
    await writeFile(
      join(root, "site.toml"),
      'title = "Changelog"\nbase_url = "https://bench.example/"\nsearch = false\n',
    );
    await symlink(corpus, join(root, "content"));
    await writeLongSite(join(temp, "long"));
    [changelog, long] = await Promise.all([
      buildAndServe(root, "/", temp),
      buildAndServe(join(temp, "long"), "/", temp),
    ]);
    servers.push(changelog.server, long.server);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  /** A page at `width`, its problems kept; closed when the test ends. */
  async function open(t, width, options = {}) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, ...options });
    t.after(() => context.close());
    return openPage(context);
  }

  for (const width of WIDTHS) {
    // Issue 24: the header wrapped six shows picked by slug onto a third of a phone's screen.
    test(`the header is two rows, its navigation one row, at ${width} px`, async (t) => {
      const { page, problems } = await open(t, width);
      await page.goto(changelog.url);
      const header = await page.evaluate(() => {
        const box = (e) => e.getBoundingClientRect();
        const list = document.querySelector(".site-nav ul");
        const links = [...list.querySelectorAll("a")];
        const rows = new Set(links.map((a) => Math.round(box(a).top)));
        return {
          height: box(document.querySelector(".site-header")).height,
          rows: rows.size,
          scrolls: list.scrollWidth > list.clientWidth,
          names: links.map((a) => a.textContent),
        };
      });
      t.diagnostic(`header ${Math.round(header.height)} px, navigation in ${header.rows} row(s)`);
      // Two rows of about 40 px: the title with the theme button, then the navigation.
      assert.ok(header.height <= 110, `the header is ${header.height} px tall`);
      assert.equal(header.rows, 1, "the navigation is one row");
      if (width === 375) assert.ok(header.scrolls, "on a phone the row scrolls sideways");
      // The largest shows of the corpus, then the page of the rest.
      assert.deepEqual(header.names.slice(0, 2), ["The Changelog", "JS Party"]);
      assert.equal(header.names[4], "All shows");
      const allShows = page.locator(".site-nav a", { hasText: "All shows" });
      await allShows.scrollIntoViewIfNeeded();
      assert.ok(await allShows.isVisible(), "the last links are reached by scrolling");
      assert.deepEqual(problems, []);
    });

    test(`"All shows" leads to a page of every show at ${width} px`, async (t) => {
      const { page, problems } = await open(t, width);
      await page.goto(changelog.url);
      await page.locator(".site-nav a", { hasText: "All shows" }).click();
      await page.waitForURL(/\/shows\/$/);
      const link = page.locator(".site-nav a", { hasText: "All shows" });
      assert.equal(await link.getAttribute("aria-current"), "page");
      const cards = page.locator("main .show-card");
      assert.equal(await cards.count(), 13);
      const first = await cards.first().locator(".card-meta").textContent();
      assert.match(first, /^\d[\d,]* episodes?/, first);
      assert.deepEqual(problems, []);
    });

    // Issue 24: 300-word blurbs full of URLs made each card a page long.
    test(`card descriptions stay within ${CLAMP} lines at ${width} px`, async (t) => {
      const { page, problems } = await open(t, width);
      for (const path of ["", "shows/", "show-5/"]) {
        await page.goto(`${long.url}${path}`);
        const cards = await page.evaluate(() =>
          [...document.querySelectorAll(".card-desc")].map((p) => {
            const style = getComputedStyle(p);
            return {
              lines: p.getBoundingClientRect().height / parseFloat(style.lineHeight),
              text: p.textContent,
            };
          }),
        );
        assert.ok(cards.length > 0, `${path}: no card descriptions`);
        for (const card of cards) {
          assert.ok(card.lines <= CLAMP + 0.1, `${path}: ${card.lines} lines: ${card.text}`);
          assert.ok(card.text.endsWith("…"), `${path}: not shortened: ${card.text}`);
          assert.ok(!card.text.includes("https://"), `${path}: a URL on a card: ${card.text}`);
        }
      }
      assert.deepEqual(problems, []);
    });

    // Issue 24: 401 people and no way to jump by letter.
    test(`a letter jumps to the first name of that letter at ${width} px`, async (t) => {
      const { page, problems } = await open(t, width);
      await page.goto(`${changelog.url}speakers/`);
      const m = page.locator("#speaker-letters a", { hasText: /^M$/ });
      await m.waitFor({ state: "visible" });
      await m.click();
      await page.waitForURL(/#letter-m$/);
      const landed = await page.evaluate(() => {
        const rows = [...document.querySelectorAll("#speakers-table tbody tr")];
        const target = document.getElementById("letter-m");
        const at = rows.indexOf(target);
        const box = target.getBoundingClientRect();
        return {
          sort: document.getElementById("speaker-sort").value,
          nameSort: document.querySelector("th[data-key=name]").getAttribute("aria-sort"),
          at,
          letter: target.dataset.letter,
          before: rows.slice(0, at).map((r) => r.dataset.letter),
          after: rows[at + 1]?.dataset.letter,
          top: box.top,
          height: innerHeight,
        };
      });
      assert.equal(landed.sort, "name");
      assert.equal(landed.nameSort, "ascending");
      assert.equal(landed.letter, "M");
      assert.ok(landed.before.every((l) => l < "M"), `letters before M: ${landed.before}`);
      assert.ok(landed.top >= 0 && landed.top < landed.height / 3, `M's row at ${landed.top}px`);
      assert.deepEqual(problems, []);
    });
  }

  test("a link to a letter opens the index sorted by name at that letter", async (t) => {
    const { page, problems } = await open(t, 375);
    await page.goto(`${changelog.url}speakers/#letter-s`);
    await page.waitForFunction(() => document.getElementById("speaker-sort").value === "name");
    const top = await page.evaluate(() =>
      document.getElementById("letter-s").getBoundingClientRect().top,
    );
    assert.ok(top >= 0 && top < 300, `S's row at ${top}px`);
    const letters = await page.locator("#speaker-letters a").allTextContents();
    assert.ok(letters.length > 10 && letters.length <= 27, `${letters.length} letters`);
    assert.deepEqual(problems, []);
  });

  for (const scheme of ["light", "dark"]) {
    test(`axe-core finds nothing serious, ${scheme}`, async (t) => {
      const found = [];
      for (const width of WIDTHS) {
        const { page, problems } = await open(t, width, { colorScheme: scheme });
        for (const url of [changelog.url, `${changelog.url}shows/`, `${changelog.url}speakers/`, long.url]) {
          await page.goto(url);
          await page.waitForSelector("#theme-toggle", { state: "visible" });
          for (const problem of await seriousAxeProblems(page)) found.push(`${url} at ${width}: ${problem}`);
        }
        assert.deepEqual(problems, []);
      }
      assert.deepEqual(found, []);
    });
  }

  test("nothing is wider than a 360 px phone", async (t) => {
    const { page, problems } = await open(t, 360);
    const wide = [];
    for (const url of [changelog.url, `${changelog.url}shows/`, `${changelog.url}speakers/`, long.url]) {
      await page.goto(url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) wide.push(`${url}: ${width}px`);
    }
    assert.deepEqual(wide, []);
    assert.deepEqual(problems, []);
  });
});
