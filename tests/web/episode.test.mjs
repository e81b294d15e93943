// The episode page as a listener uses it, in a real browser at a phone's width and a desktop's:
// the player bar that stays on screen, the turn that follows playback, the speed, the keyboard,
// target sizes, one share control per turn, "Find in this episode" (on the example and on a
// 1,000-turn episode of a real corpus), the way back to the top, the page without JavaScript,
// axe, what the scripts and styles weigh, and the embedded video driven like the audio.
// Run with `node --test episode.test.mjs` here (VERBATIM_BIN=../../target/debug/verbatim for a
// debug build).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { binary, buildAndServe, launch, openPage, repo, sticksOut, axeViolations } from "./browser.mjs";

const TIMEOUT = 5_000;
const PLAY_TIMEOUT = 15_000;
const AUDIO_CHUNK = 256 * 1024;
const WIDTHS = [375, 1280];

/** The example's episode with audio, chapters and timed turns. */
const EPISODE = "signal-and-noise/field-recording-at-the-edge-of-the-marsh/";
/** An episode of the example without audio, with chapters and timed turns. */
const SILENT = "the-long-memory/hot-metal/";
/** An episode of the example with audio and no timestamps. */
const UNTIMED = "signal-and-noise/who-will-keep-the-podcasts/";
/** An episode of the example whose turns say words with accents. */
const ACCENTS = "signal-and-noise/rebuilding-a-community-radio-transmitter/";
/** A changelog episode of some 1,000 turns, without audio or chapters. */
const LONG_SHOW = "friends";
const LONG = "friends/changelog-friends-4/";
const corpusShow = join(repo, "../shared/corpus/changelog/content", LONG_SHOW);


/** Folds as the page does: no accents, lower case. */
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

async function visit(page, url, width) {
  await page.setViewportSize({ width, height: 760 });
  const response = await page.goto(url);
  assert.equal(response.status(), 200, url);
  await page.waitForSelector(".player-bar", { timeout: TIMEOUT });
}

/** Where an element is, rounded: box, window height and the bar's top. */
function place(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    const bar = document.querySelector(".player-bar")?.getBoundingClientRect();
    return {
      top: Math.round(r.top),
      bottom: Math.round(r.bottom),
      left: Math.round(r.left),
      right: Math.round(r.right),
      width: Math.round(r.width),
      height: Math.round(r.height),
      windowHeight: innerHeight,
      windowWidth: innerWidth,
      barTop: bar ? Math.round(bar.top) : null,
      visible: el.checkVisibility({ opacityProperty: false, visibilityProperty: true }),
    };
  });
}

/** The one turn marked as being spoken, or what is marked instead. */
function currentTurn(page) {
  return page.evaluate(() => {
    const marked = [...document.querySelectorAll('[aria-current="time"]')];
    const cues = [...document.querySelectorAll(".now-playing")];
    return marked.length === 1 && cues.length === 1 && marked[0].contains(cues[0])
      ? marked[0].id
      : `${marked.length} marked, ${cues.length} cues`;
  });
}

async function waitForCurrent(page, id) {
  await page
    .waitForFunction(
      (id) => {
        const marked = document.querySelectorAll('[aria-current="time"]');
        return marked.length === 1 && marked[0].id === id && marked[0].querySelector(".now-playing");
      },
      id,
      { timeout: PLAY_TIMEOUT },
    )
    .catch(async () => assert.fail(`${id} is not the current turn: ${await currentTurn(page)}`));
}

/** Waits until the element is wholly on screen above the bar: a smooth scroll takes a moment. */
async function waitInView(page, selector) {
  await page
    .waitForFunction(
      (selector) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        const bar = document.querySelector(".player-bar").getBoundingClientRect();
        return r.top >= -1 && r.top < bar.top - 10;
      },
      selector,
      { timeout: TIMEOUT },
    )
    .catch(async () => assert.fail(`${selector} is not in view: ${JSON.stringify(await place(page, selector))}`));
}

async function settle(page) {
  let last = null;
  for (;;) {
    const now = await page.evaluate(() => window.scrollY);
    if (now === last) return;
    last = now;
    await page.waitForTimeout(100);
  }
}

/** What the visible turns say and who says it, and how many there are in all. */
function shownTurns(page) {
  return page.$$eval("article.turn", (turns) =>
    turns.map((turn) => ({
      id: turn.id,
      shown: turn.checkVisibility(),
      speaker: turn.querySelector(".speaker").textContent.trim(),
      text: turn.querySelector(".turn-text").textContent,
      marks: [...turn.querySelectorAll(".turn-text mark")].map((m) => m.textContent),
    })),
  );
}

/** A fake of YouTube's embed: answers the iframe API's postMessage commands as YouTube does. */
const FAKE_EMBED = `<!doctype html><html lang="en"><title>video</title><body><script>
var t = 0, state = -1, rate = 1, timer = 0;
var m = /[?&]start=(\\d+)/.exec(location.search);
if (m) t = Number(m[1]);
window.commands = [];
function send(event, info) {
  parent.postMessage(JSON.stringify({ event: event, info: info, id: 1, channel: "widget" }), "*");
}
function play() {
  state = 1;
  clearInterval(timer);
  timer = setInterval(function () { t += 0.25 * rate; send("infoDelivery", { currentTime: t, playerState: 1 }); }, 250);
}
window.addEventListener("message", function (e) {
  var d = JSON.parse(e.data);
  window.commands.push(d.event === "command" ? d.func : d.event);
  if (d.event === "listening") {
    send("onReady");
    send("initialDelivery", { currentTime: t, playerState: state, duration: 5077 });
    if (/autoplay=1/.test(location.search)) play();
  } else if (d.func === "seekTo") {
    t = d.args[0];
    send("infoDelivery", { currentTime: t });
  } else if (d.func === "playVideo") {
    play();
  } else if (d.func === "pauseVideo") {
    clearInterval(timer);
    state = 2;
    send("infoDelivery", { playerState: 2 });
  } else if (d.func === "setPlaybackRate") {
    rate = d.args[0];
  }
});
</script></body></html>`;

const VIDEO_ID = "abcDEF12345";

/**
 * The episode page as the server writes it for a YouTube `link` without audio: the transcript
 * section carries the video id, timestamps open YouTube at their time, and with `embed`, the
 * site's opt-in box to play the video on the page.
 */
function withVideo(html, embed) {
  let out = html
    .replace('<section class="transcript', `<section data-video-id="${VIDEO_ID}" class="transcript`)
    .replace(
      /href="#[^"]*" data-seconds="([\d.]+)"/g,
      (_, s) => `href="https://www.youtube.com/watch?v=${VIDEO_ID}&amp;t=${Math.floor(s)}s" data-seconds="${s}"`,
    );
  if (embed) {
    const box =
      `<div class="video" data-video-id="${VIDEO_ID}" ` +
      `data-embed="https://www.youtube-nocookie.com/embed/${VIDEO_ID}">` +
      `<button type="button">Play the video</button></div>`;
    out = out.replace("</header>\n  \n\n  \n  <nav class=\"toc", `${box}</header><nav class="toc`);
    if (!out.includes(box)) out = out.replace('<nav class="toc', `${box}<nav class="toc`);
  }
  return out;
}

describe("the episode page in Chromium", { timeout: 240_000 }, () => {
  let browser;
  let context;
  let temp;
  let site;
  let corpus; // the changelog show with the 1,000-turn episode, or null
  const servers = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: run cargo build first`);
    temp = await mkdtemp(join(tmpdir(), "verbatim-episode-"));
    site = await buildAndServe(repo, "/", temp);
    servers.push(site.server);
    if (existsSync(corpusShow)) {
      // One show of the corpus, with this theme: the build takes seconds, not minutes.
      const root = join(temp, "changelog");
      await mkdir(join(root, "content"), { recursive: true });
      await mkdir(join(root, "themes"));
      await cp(corpusShow, join(root, "content", LONG_SHOW), { recursive: true });
      await symlink(join(repo, "themes/default"), join(root, "themes/default"));
      await writeFile(
        join(root, "site.toml"),
        'title = "Changelog"\nbase_url = "https://bench.example/"\nsearch = false\ntheme = "default"\n',
      );
      corpus = await buildAndServe(root, "/", temp);
      servers.push(corpus.server);
    }
    browser = await launch("--autoplay-policy=no-user-gesture-required");
    context = await browser.newContext();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    for (const server of servers) server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  for (const width of WIDTHS) {
    test(`${width} px: the bar stays on screen to the end, above the page's last line`, async (t) => {
      const { page, problems } = await openPage(context);
      t.after(() => page.close());
      for (const path of [EPISODE, SILENT]) {
        await visit(page, `${site.url}${path}`, width);
        await page.evaluate(() => window.scrollTo({ top: document.body.scrollHeight, behavior: "instant" }));
        await settle(page);
        const bar = await place(page, ".player-bar");
        assert.ok(bar.visible, `${path}: the bar is hidden`);
        assert.equal(bar.bottom, bar.windowHeight, `${path}: the bar is not at the foot of the window`);
        assert.ok(bar.width <= bar.windowWidth && bar.left >= 0, `${path}: bar ${JSON.stringify(bar)}`);
        const last = await place(page, ".site-footer .generator");
        assert.ok(last.bottom <= bar.top, `${path}: the last line is under the bar: ${JSON.stringify(last)}`);
        const controls = await page.$$eval(".player-bar button:not([hidden]), .player-bar select:not([hidden])",
          (els) => els.map((el) => el.className));
        assert.deepEqual(controls, path === EPISODE ? ["bar-play", "bar-speed"] : [], path);
      }
      // Nothing wider than a 360 px phone.
      await page.setViewportSize({ width: 360, height: 740 });
      for (const path of [EPISODE, SILENT]) {
        await page.goto(`${site.url}${path}`);
        const wide = await page.evaluate(sticksOut);
        assert.deepEqual(wide, [], `${path} at 360 px`);
      }
      assert.deepEqual(problems, []);
    });

    test(`${width} px: a timestamp's tap plays, the current turn follows and stays in view`, async (t) => {
      const { page, problems } = await openPage(context, { audioChunk: AUDIO_CHUNK });
      t.after(() => page.close());
      await visit(page, `${site.url}${EPISODE}`, width);
      const turns = await page.$$eval("article.turn[data-seconds]", (turns) =>
        turns.map((turn) => {
          let chapter = turn.previousElementSibling;
          while (chapter && !chapter.matches("h2.chapter")) chapter = chapter.previousElementSibling;
          const title = chapter ? chapter.cloneNode(true) : null;
          title?.querySelector(".ts")?.remove();
          return { id: turn.id, seconds: Number(turn.dataset.seconds), chapter: title?.textContent.trim() };
        }),
      );
      // Before the audio is fetched, the total is the episode's duration.
      assert.equal(await page.textContent(".bar-time"), "Played 0:00 /  of 39:50");
      const first = turns[8];
      await page.click(`#${first.id} .turn-head a.ts`);
      await page.waitForFunction(() => !document.getElementById("player").paused, null, { timeout: PLAY_TIMEOUT });
      await waitForCurrent(page, first.id);
      await waitInView(page, `#${first.id}`);
      const bar = await page.evaluate(() => ({
        play: document.querySelector(".bar-play").textContent.trim(),
        chapter: document.querySelector(".bar-chapter-title").textContent,
        time: document.querySelector(".bar-time").textContent,
      }));
      assert.equal(bar.play, "Pause");
      assert.equal(bar.chapter, first.chapter);
      // The episode's duration until the audio says its own (the silent stand-in lasts 40:00).
      assert.match(bar.time, /^Played \d+:\d\d \/  of (39:50|40:00)$/);

      // Further on, far below: the page follows, the chapter in the bar too.
      const far = turns.at(-3);
      await page.evaluate((at) => (document.getElementById("player").currentTime = at), far.seconds + 0.5);
      await waitForCurrent(page, far.id);
      await waitInView(page, `#${far.id}`);
      assert.equal(await page.textContent(".bar-chapter-title"), far.chapter);

      // The bar's button pauses.
      await page.click(".bar-play");
      await page.waitForFunction(() => document.getElementById("player").paused);
      await page.waitForFunction(() => document.querySelector(".bar-play").textContent === "Play", null, {
        timeout: TIMEOUT,
      });
      assert.deepEqual(problems, []);
    });
  }

  test("the speed menu sets the playback rate", async (t) => {
    const { page, problems } = await openPage(context);
    t.after(() => page.close());
    await visit(page, `${site.url}${EPISODE}`, 375);
    const label = await page.$eval("#bar-speed", (s) => s.labels[0].textContent);
    assert.equal(label, "Playback speed");
    for (const rate of ["1.5", "0.75", "2", "1"]) {
      await page.selectOption("#bar-speed", rate);
      assert.equal(await page.evaluate(() => document.getElementById("player").playbackRate), Number(rate));
    }
    assert.deepEqual(problems, []);
  });

  test("Tab reaches the bar's play button; Space and Enter play and pause", async (t) => {
    const { page, problems } = await openPage(context, { audioChunk: AUDIO_CHUNK });
    t.after(() => page.close());
    await visit(page, `${site.url}${EPISODE}`, 1280);
    let reached = false;
    for (let i = 0; i < 80 && !reached; i += 1) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement.matches(".bar-play"));
    }
    assert.ok(reached, "80 Tabs never reach the play button");
    const focus = await page.$eval(".bar-play", (b) => getComputedStyle(b).outlineStyle);
    assert.notEqual(focus, "none", "no visible focus on the play button");
    const paused = () => page.evaluate(() => document.getElementById("player").paused);
    await page.keyboard.press("Space");
    await page.waitForFunction(() => !document.getElementById("player").paused, null, { timeout: PLAY_TIMEOUT });
    // The button's label follows the `play` event, which comes after `paused` is false.
    await page
      .waitForFunction(() => document.querySelector(".bar-play").textContent.trim() === "Pause", null, { timeout: TIMEOUT })
      .catch(() => {});
    assert.equal((await page.textContent(".bar-play")).trim(), "Pause");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("player").paused, null, { timeout: PLAY_TIMEOUT });
    assert.equal(await paused(), true);
    assert.deepEqual(problems, []);
  });

  for (const width of WIDTHS) {
    test(`${width} px: timestamps, chapter links and share controls are at least 24 × 24 px`, async (t) => {
      const { page, problems } = await openPage(context);
      t.after(() => page.close());
      for (const path of [EPISODE, SILENT]) {
        await visit(page, `${site.url}${path}`, width);
        const small = await page.$$eval(
          ".turn-head a.ts, .turn-head .copy-link, nav.toc a, .chapter a.ts, .marker-label a.ts, .player-bar a, .player-bar button",
          (els) =>
            els
              .filter((el) => el.checkVisibility())
              .map((el) => {
                const r = el.getBoundingClientRect();
                return { what: `${el.className} ${el.closest("[id]")?.id}`, w: r.width, h: r.height };
              })
              .filter((s) => s.w < 24 || s.h < 24),
        );
        assert.deepEqual(small.slice(0, 5), [], `${path}: ${small.length} targets under 24 px`);
      }
      assert.deepEqual(problems, []);
    });
  }

  test("one share control per turn, and it copies the turn's link", async () => {
    const clipboard = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    try {
      // A timed turn: its timestamp (which plays from there) and the share control. An untimed
      // turn: the share control alone, in place of the `#` link a page without JS shows.
      for (const [path, links] of [[EPISODE, 1], [SILENT, 1], [UNTIMED, 0]]) {
        const { page, problems } = await openPage(clipboard);
        await visit(page, `${site.url}${path}`, 375);
        const counts = await page.$$eval("article.turn", (turns) =>
          turns.map((turn) => ({
            buttons: turn.querySelectorAll("button").length,
            shares: turn.querySelectorAll("button.copy-link").length,
            links: turn.querySelectorAll(`.turn-head a[href="#${turn.id}"]`).length,
          })),
        );
        assert.ok(counts.length >= 10);
        for (const c of counts) assert.deepEqual(c, { buttons: 1, shares: 1, links }, path);
        const named = page.getByRole("button", { name: /^Copy link to this turn by /, includeHidden: true });
        assert.equal(await named.count(), counts.length);
        const id = await page.$$eval("article.turn", (turns) => turns[5].id);
        await page.click(`#${id} button.copy-link`);
        await page.waitForFunction((id) => document.querySelector(`#${id} .copy-link`).textContent === "Copied", id);
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${site.url}${path}#${id}`);
        assert.deepEqual(problems, []);
        await page.close();
      }
    } finally {
      await clipboard.close();
    }
  });

  for (const width of WIDTHS) {
    test(`${width} px: find filters by words and by speaker, marks the words, counts, clears`, async (t) => {
      const { page, problems } = await openPage(context);
      t.after(() => page.close());
      await visit(page, `${site.url}${SILENT}`, width);
      const all = await shownTurns(page);
      assert.ok(all.every((turn) => turn.shown));
      // Two words of one turn, one typed without its accents and in capitals.
      const words = ["LINOTYPE", "machine"];
      await page.fill("#find-q", words.join(" "));
      await page.waitForFunction(() => document.getElementById("find-status").textContent !== "");
      let turns = await shownTurns(page);
      const matching = (turn) => words.every((w) => fold(turn.text).includes(fold(w)));
      assert.ok(turns.some((turn) => turn.shown), "nothing found");
      for (const turn of turns) {
        assert.equal(turn.shown, matching(turn), `${turn.id}: shown ${turn.shown}`);
        if (turn.shown) {
          const marked = turn.marks.map(fold);
          for (const w of words) assert.ok(marked.includes(fold(w)), `${turn.id} marks ${turn.marks}`);
        }
      }
      const found = turns.filter((turn) => turn.shown).length;
      const status = await page.textContent("#find-status");
      assert.equal(status, `${found} of ${turns.length} turns ${found === 1 ? "matches" : "match"}.`);
      assert.equal(await page.getAttribute("#find-status", "role"), "status");
      // Chapters and markers step aside while filtering.
      assert.equal(await page.locator(".transcript > h2.chapter:visible").count(), 0);

      // Accents: a word typed without them finds it with them.
      // A speaker, and a speaker with words.
      await page.fill("#find-q", "");
      const speaker = all[1].speaker;
      await page.selectOption("#find-speaker", speaker);
      turns = await shownTurns(page);
      for (const turn of turns) assert.equal(turn.shown, turn.speaker === speaker, turn.id);
      const theirs = turns.filter((turn) => turn.shown).length;
      assert.equal(await page.textContent("#find-status"), `${theirs} of ${turns.length} turns match.`);
      await page.fill("#find-q", "the");
      await page.waitForFunction(
        (theirs) => !document.getElementById("find-status").textContent.startsWith(`${theirs} `),
        theirs,
      ).catch(() => {});
      turns = await shownTurns(page);
      for (const turn of turns) {
        assert.equal(turn.shown, turn.speaker === speaker && fold(turn.text).includes("the"), turn.id);
      }

      await page.click(".find button[type=reset]");
      await page.waitForFunction(() => document.getElementById("find-status").textContent === "");
      turns = await shownTurns(page);
      assert.ok(turns.every((turn) => turn.shown && turn.marks.length === 0), "not cleared");
      assert.deepEqual(turns.map((turn) => turn.text), all.map((turn) => turn.text), "the text changed");
      assert.ok(await page.locator(".transcript > h2.chapter").first().isVisible());

      // Accents and case: typed plainly, found and marked as written.
      await visit(page, `${site.url}${ACCENTS}`, width);
      for (const [typed, written] of [["tomas", "Tomás"], ["DONA", "Doña"]]) {
        await page.fill("#find-q", "");
        await page.waitForFunction(() => document.getElementById("find-status").textContent === "");
        await page.fill("#find-q", typed);
        await page.waitForFunction(() => /match/.test(document.getElementById("find-status").textContent));
        turns = await shownTurns(page);
        const marks = turns.filter((turn) => turn.shown).flatMap((turn) => turn.marks);
        assert.ok(marks.includes(written), `${typed} does not mark ${written}: ${marks}`);
        assert.ok(marks.every((m) => fold(m) === fold(typed)), `${typed}: ${marks}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  test("the bar leads back to the top and to the chapters from the end of the page", async (t) => {
    const { page, problems } = await openPage(context);
    t.after(() => page.close());
    for (const path of [EPISODE, SILENT]) {
      await visit(page, `${site.url}${path}`, 375);
      await page.evaluate(() => window.scrollTo({ top: document.body.scrollHeight, behavior: "instant" }));
      await page.click(".bar-chapter");
      await settle(page);
      const toc = await place(page, "nav.toc");
      assert.ok(toc.top >= -2 && toc.top < toc.windowHeight / 2, `${path}: chapters at ${toc.top}`);
      await page.evaluate(() => window.scrollTo({ top: document.body.scrollHeight, behavior: "instant" }));
      await page.click(".bar-top");
      await settle(page);
      const top = await page.evaluate(() => window.scrollY);
      assert.ok(top < 120, `${path}: scrolled to ${top}, not the top`);
    }
    // Without audio the bar names the chapter being read.
    await page.evaluate(() => {
      const chapters = document.querySelectorAll(".transcript > h2.chapter");
      chapters[2].scrollIntoView({ block: "start", behavior: "instant" });
    });
    await page.waitForFunction(
      () => /Six thousand drawers/.test(document.querySelector(".bar-chapter-title").textContent),
      null,
      { timeout: TIMEOUT },
    );
    assert.deepEqual(problems, []);
  });

  test("without JavaScript: the native player, every turn, no bar, no find, no share buttons", async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await noScript.newPage();
      await page.goto(`${site.url}${EPISODE}`);
      const plain = await page.evaluate(() => ({
        controls: document.getElementById("player").controls,
        shown: document.getElementById("player").checkVisibility(),
        turns: [...document.querySelectorAll("article.turn")].filter((t) => t.checkVisibility()).length,
        all: document.querySelectorAll("article.turn").length,
        extra: document.querySelectorAll(".player-bar, .find, button.copy-link").length,
      }));
      assert.equal(plain.controls, true);
      assert.equal(plain.shown, true);
      assert.ok(plain.all >= 10);
      assert.equal(plain.turns, plain.all);
      assert.equal(plain.extra, 0);
    } finally {
      await noScript.close();
    }
  });

  for (const scheme of ["light", "dark"]) {
    test(`axe-core: nothing serious on the episode page with the bar and a find, ${scheme}`, async (t) => {
      const themed = await browser.newContext({ colorScheme: scheme });
      try {
        const { page, problems } = await openPage(themed, { audioChunk: AUDIO_CHUNK });
        await visit(page, `${site.url}${EPISODE}`, 375);
        const id = await page.$$eval("article.turn[data-seconds]", (turns) => turns[3].id);
        await page.click(`#${id} .turn-head a.ts`);
        await waitForCurrent(page, id);
        await page.fill("#find-q", "marsh");
        await page.waitForFunction(() => document.getElementById("find-status").textContent !== "");
        const violations = await axeViolations(page);
        t.diagnostic(`axe episode, ${scheme}: ${violations.map((v) => `${v.id} (${v.impact})`).join(", ") || "none"}`);
        const bad = violations.filter((v) => ["serious", "critical"].includes(v.impact));
        assert.deepEqual(bad, []);
        assert.deepEqual(problems, []);
        await page.close();
      } finally {
        await themed.close();
      }
    });
  }

  test("the episode page's scripts and style sheets weigh within budget", async (t) => {
    const { page, problems } = await openPage(context);
    t.after(() => page.close());
    const loaded = [];
    page.on("response", (response) => {
      const type = response.request().resourceType();
      if (["script", "stylesheet"].includes(type)) loaded.push({ type, body: response.body() });
    });
    await visit(page, `${site.url}${EPISODE}`, 1280);
    await page.waitForLoadState("load");
    const inline = await page.$$eval("script:not([src]):not([type])", (s) => s.map((el) => el.textContent).join(""));
    const weigh = async (type) => {
      const bodies = await Promise.all(loaded.filter((f) => f.type === type).map((f) => f.body));
      return gzipSync(Buffer.concat([...bodies, ...(type === "script" ? [Buffer.from(inline)] : [])])).length;
    };
    const scripts = await weigh("script");
    const styles = await weigh("stylesheet");
    t.diagnostic(`episode page: scripts ${scripts} B, style sheets ${styles} B gzipped (inline scripts included)`);
    assert.ok(scripts < 10_000, `scripts ${scripts} B`);
    assert.ok(styles < 30_000, `styles ${styles} B`);
    assert.deepEqual(problems, []);
  });

  describe("a video instead of audio", () => {
    /** Opens the silent episode as the server writes it for a YouTube link. */
    async function openVideo(t, embed) {
      const opened = await openPage(context);
      t.after(() => opened.page.close());
      const youtube = [];
      await opened.page.route(/^https:\/\/www\.youtube(-nocookie)?\.com\//, (route) => {
        youtube.push(route.request().url());
        return route.fulfill({ contentType: "text/html", body: FAKE_EMBED });
      });
      await opened.page.route(`${site.url}${SILENT}`, async (route) => {
        const response = await route.fetch();
        return route.fulfill({ response, body: withVideo(await response.text(), embed) });
      });
      await visit(opened.page, `${site.url}${SILENT}`, 1280);
      return { ...opened, youtube };
    }

    test("without the embed, a timestamp opens YouTube at its time in a new tab", async (t) => {
      const { page, problems, youtube } = await openVideo(t, false);
      const stamps = await page.$$eval(".turn-head a.ts[data-seconds]", (links) =>
        links.map((a) => ({ href: a.href, target: a.target, seconds: Math.floor(a.dataset.seconds) })),
      );
      assert.ok(stamps.length > 3);
      for (const s of stamps) {
        assert.equal(s.href, `https://www.youtube.com/watch?v=${VIDEO_ID}&t=${s.seconds}s`);
        assert.equal(s.target, "_blank");
      }
      assert.deepEqual(youtube, [], "YouTube asked before anything was pressed");
      assert.deepEqual(problems, []);
    });

    test("with the embed, nothing loads until pressed; timestamps seek it and the turn follows", async (t) => {
      const { page, problems, youtube } = await openVideo(t, true);
      await page.waitForTimeout(300);
      assert.deepEqual(youtube, [], "YouTube asked before the video was pressed");
      await page.click(".video button");
      const frame = await page.waitForSelector(".video iframe");
      const src = await frame.getAttribute("src");
      assert.match(src, new RegExp(`^https://www\\.youtube-nocookie\\.com/embed/${VIDEO_ID}\\?enablejsapi=1`));
      const turns = await page.$$eval("article.turn[data-seconds]", (turns) =>
        turns.map((turn) => ({ id: turn.id, seconds: Number(turn.dataset.seconds) })),
      );
      const target = turns[6];
      await page.click(`#${target.id} .turn-head a.ts`);
      await waitForCurrent(page, target.id);
      assert.equal(new URL(page.url()).pathname, `/${SILENT}`, "the timestamp left the page");
      const commands = await (await frame.contentFrame()).evaluate(() => window.commands);
      assert.ok(commands.includes("listening") && commands.includes("seekTo"), `${commands}`);
      // Playing on, the time in the bar comes from the video.
      await page.waitForFunction(() => /^Played \d/.test(document.querySelector(".bar-time").textContent));
      assert.equal(await page.isVisible(".bar-play"), true);
      // A message from any other origin is not the video's.
      await page.evaluate(() =>
        window.postMessage(JSON.stringify({ event: "infoDelivery", info: { currentTime: 1 } }), "*"),
      );
      await page.waitForTimeout(300);
      assert.notEqual(await currentTurn(page), turns[0].id, "a foreign message moved the player");
      assert.ok(youtube.every((url) => url.startsWith("https://www.youtube-nocookie.com/")), `${youtube}`);
      assert.deepEqual(problems, []);
    });
  });

  describe("a 1,000-turn episode of a real corpus", () => {
    test("find is fast, the bar is slim, the page has no problem", { skip: !existsSync(corpusShow) && "no corpus" }, async (t) => {
      const { page, problems } = await openPage(context);
      t.after(() => page.close());
      await visit(page, `${corpus.url}${LONG}`, 375);
      const total = await page.locator("article.turn").count();
      assert.ok(total >= 900, `${total} turns`);
      assert.equal(await page.isVisible(".bar-play"), false, "a play button without audio");
      assert.ok(await page.isVisible(".bar-top"));
      const options = await page.$$eval("#find-speaker option", (o) => o.map((x) => x.value));
      assert.ok(options.includes("Mat Ryer") && options.includes("Jerod Santo"), `${options}`);
      for (const query of ["back to the future", "go"]) {
        const took = await page.evaluate(async (query) => {
          const input = document.getElementById("find-q");
          const status = document.getElementById("find-status");
          const start = performance.now();
          input.value = query;
          input.dispatchEvent(new Event("input"));
          await new Promise((done) => new MutationObserver(done).observe(status, { childList: true, characterData: true, subtree: true }));
          await new Promise(requestAnimationFrame);
          return performance.now() - start;
        }, query);
        const status = await page.textContent("#find-status");
        t.diagnostic(`find "${query}" on ${total} turns: ${status} in ${Math.round(took)} ms (200 ms of it the debounce)`);
        assert.ok(took < 1200, `${took} ms`);
      }
      await page.selectOption("#find-speaker", "Mat Ryer");
      const status = await page.textContent("#find-status");
      assert.match(status, /^[\d,]+ of [\d,]+ turns match\.$/);
      await page.evaluate(() => window.scrollTo({ top: document.body.scrollHeight, behavior: "instant" }));
      await page.click(".bar-top");
      await settle(page);
      assert.ok((await page.evaluate(() => window.scrollY)) < 120);
      assert.deepEqual(problems, []);
    });
  });
});
