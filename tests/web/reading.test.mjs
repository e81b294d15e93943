// Reading and listening in a real browser: an episode page's player, highlight, deep links and
// copy links; the theme button; the keyboard; axe-core on every kind of page, light and dark;
// screenshots; the speakers index of a real corpus; what the scripts and style sheets weigh.
// Needs the release binary (`cargo build --release`) and Debian's Chromium at /usr/bin/chromium
// (or CHROMIUM=/path). Run with `node --test reading.test.mjs` here.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { binary, buildAndServe, launch, openPage, repo, sticksOut, axeViolations } from "./browser.mjs";

/** How long the page may take to answer a click or a seek: generous, it takes tens of ms. */
const TIMEOUT = 5_000;
/** How long the player may take to start: generous, it takes less than a second. */
const PLAY_TIMEOUT = 15_000;
/** The silent audio is answered in ranges of this size at most, for the player to start sooner. */
const AUDIO_CHUNK = 256 * 1024;

/** An episode of the example with audio, chapters and every turn timed, all within AUDIO. */
const EPISODE = "signal-and-noise/field-recording-at-the-edge-of-the-marsh/";
/** An episode with audio and no timestamps: its turns are `t-N`. */
const UNTIMED = "signal-and-noise/who-will-keep-the-podcasts/";

/** Each kind of page, as a path under the site. */
const PAGES = {
  home: "",
  show: "signal-and-noise/",
  episode: EPISODE,
  speakers: "speakers/",
  speaker: "speakers/soren-aberg/",
  tags: "tags/",
  search: "search/?q=library",
};
/** The pages checked by axe and photographed. */
const CHECKED = ["home", "show", "episode", "speakers", "speaker", "search"];

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, "screenshots");
const corpus = join(repo, "../shared/corpus/changelog/content");

/** Goes to a page of the site and waits until it is ready to look at: results listed on search. */
async function visit(page, url) {
  const response = await page.goto(url);
  assert.equal(response.status(), 200, url);
  if (new URL(url).pathname.endsWith("/search/")) {
    const listed = () => document.querySelectorAll("#search-results > li").length > 0;
    await page.waitForFunction(listed, null, { timeout: 10_000 });
  }
}

/**
 * Keeps the player's time at each seek and each start, before the page's own scripts run: where
 * a seek landed can be checked however soon the audio plays on from there.
 */
function recordPlayer() {
  window.__playerTimes = [];
  for (const type of ["seeking", "seeked", "playing"]) {
    const record = (event) => {
      if (event.target.id === "player") window.__playerTimes.push(event.target.currentTime);
    };
    // Media events do not bubble: caught on their way down.
    window.addEventListener(type, record, true);
  }
}

/**
 * Opens the page at `path` with the player's times recorded, its audio answered in chunks; the
 * page is closed when the test `t` ends, so that it stops playing.
 */
async function openPlayer(t, browserContext, path) {
  const opened = await openPage(browserContext, { audioChunk: AUDIO_CHUNK });
  t.after(() => opened.page.close());
  await opened.page.addInitScript(recordPlayer);
  await visit(opened.page, path);
  return opened;
}

/** The player's time and state. */
function player(page) {
  return page.evaluate(() => {
    const audio = document.getElementById("player");
    return { time: audio.currentTime, paused: audio.paused };
  });
}

/**
 * Waits until the player is, or was on a seek or a start, at `seconds` (±0.5); then, with
 * `playing`, until it plays on from there: a play() that never gets its audio leaves `paused`
 * false with the time standing still. Needs recordPlayer.
 */
async function waitForPlayer(page, seconds, { playing = false } = {}) {
  await page
    .waitForFunction(
      ({ seconds, playing }) => {
        const audio = document.getElementById("player");
        if (playing && audio.paused) return false;
        const times = [...window.__playerTimes, audio.currentTime];
        return times.some((time) => Math.abs(time - seconds) <= 0.5);
      },
      { seconds, playing },
      { timeout: PLAY_TIMEOUT },
    )
    .catch(async () => {
      const { time, paused } = await player(page);
      const seen = await page.evaluate(() => window.__playerTimes.map((t) => t.toFixed(1)));
      const state = paused ? "paused" : "playing";
      assert.fail(`the player is at ${time} (${state}), not ${seconds}; it was at ${seen}`);
    });
  if (!playing) return;
  await page.waitForFunction(
    (seconds) => document.getElementById("player").currentTime > seconds + 0.2,
    seconds,
    { timeout: PLAY_TIMEOUT },
  );
  const { time } = await player(page);
  assert.ok(time < seconds + 5, `playing at ${time}, not from ${seconds}`);
}

/** The timed turns of the open page, in order: id and seconds. */
function timedTurns(page) {
  return page.$$eval("article.turn[data-seconds]", (turns) =>
    turns.map((turn) => ({ id: turn.id, seconds: Number(turn.dataset.seconds) })),
  );
}

/** The turn that is at `seconds`: the last that starts at or before it. */
function turnAt(turns, seconds) {
  return turns.filter((turn) => turn.seconds <= seconds).at(-1);
}

/** The highlighted turns: those with the class and those with aria-current="time", by id. */
function highlighted(page) {
  return page.evaluate(() => ({
    current: [...document.querySelectorAll(".is-current")].map((el) => el.id || el.tagName),
    aria: [...document.querySelectorAll('[aria-current="time"]')].map((el) => el.id || el.tagName),
  }));
}

/** Waits until exactly the turn `id` is highlighted, and says so if it never is. */
async function waitForHighlight(page, id) {
  await page
    .waitForFunction(
      (id) => {
        const current = document.querySelectorAll(".is-current, [aria-current='time']");
        const turn = document.getElementById(id);
        return (
          current.length === 1 &&
          current[0] === turn &&
          turn.matches("article.turn.is-current[aria-current='time']")
        );
      },
      id,
      { timeout: TIMEOUT },
    )
    .catch(async () => {
      const now = await highlighted(page);
      const { time } = await player(page);
      assert.fail(`${id} is not the one highlighted turn at ${time} s: ${JSON.stringify(now)}`);
    });
}

/** Where the element `id` is on screen: its box and the window's height. */
function box(page, id) {
  return page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: innerHeight };
  }, id);
}

/** The start of the element `id` is on screen (a pixel of rounding allowed). */
function startsOnScreen(page, id) {
  return page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= -1 && r.top < innerHeight - 1;
  }, id);
}

/** Waits until the start of the element `id` is on screen: a smooth scroll takes a moment. */
async function waitOnScreen(page, id) {
  await page
    .waitForFunction(
      (id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return r.top >= -1 && r.top < innerHeight - 1;
      },
      id,
      { timeout: TIMEOUT },
    )
    .catch(async () => {
      assert.fail(`#${id} is not on screen: ${JSON.stringify(await box(page, id))}`);
    });
}

/** Sets the player's time from script, as a seek bar would. */
function seekTo(page, seconds) {
  return page.evaluate((at) => (document.getElementById("player").currentTime = at), seconds);
}

/** Waits until the page has stopped scrolling: a smooth scroll has ended, if one began. */
async function settle(page) {
  let last = null;
  for (;;) {
    const now = await page.evaluate(() => window.scrollY);
    if (now === last) return;
    last = now;
    await page.waitForTimeout(100);
  }
}

/** Scrolls at once, whatever the page's scroll-behavior. */
function scrollTo(page, top) {
  return page.evaluate((top) => window.scrollTo({ top, behavior: "instant" }), top);
}

/** The computed background colour of the body, once a transition, if any, has ended. */
async function background(page) {
  let last = null;
  for (;;) {
    const now = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (now === last) return now;
    last = now;
    await page.waitForTimeout(50);
  }
}

/** The colour theme the page shows: data-theme, aria-pressed of the button, the background. */
async function themeState(page) {
  const state = await page.evaluate(() => ({
    theme: document.documentElement.dataset.theme,
    pressed: document.getElementById("theme-toggle")?.getAttribute("aria-pressed"),
  }));
  return { ...state, background: await background(page) };
}

/** Counts of violations by impact, for the summary line. */
function byImpact(violations) {
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) counts[v.impact ?? "minor"] += 1;
  return Object.entries(counts)
    .map(([impact, count]) => `${count} ${impact}`)
    .join(", ");
}

/** The serious and critical violations, written out for an assertion's message. */
function describeViolations(violations) {
  return violations
    .map((v) => [`  ${v.id} (${v.impact}): ${v.help}`, ...v.targets.map((t) => `    ${t}`)])
    .flat()
    .join("\n");
}

describe("reading in Chromium", { timeout: 180_000 }, () => {
  let browser;
  let context;
  let temp;
  let site; // the example at the root of its host
  let changelog; // the changelog corpus, built while the other tests run
  const servers = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: run cargo build --release first`);
    temp = await mkdtemp(join(tmpdir(), "verbatim-reading-"));
    if (existsSync(corpus)) {
      // Its search index is not looked at here and takes most of the build's time.
      const root = join(temp, "changelog");
      await mkdir(root);
      await writeFile(
        join(root, "site.toml"),
        'title = "Changelog"\nbase_url = "https://bench.example/"\nsearch = false\n',
      );
      await symlink(corpus, join(root, "content"));
      changelog = buildAndServe(root, "/", temp).then((served) => {
        servers.push(served.server);
        return served;
      });
      changelog.catch(() => {}); // awaited, and reported, by its test
    }
    site = await buildAndServe(repo, "/", temp);
    servers.push(site.server);
    // A timestamp's click starts the player; a click would be allowed to anyway.
    browser = await launch("--autoplay-policy=no-user-gesture-required");
    context = await browser.newContext();
  });

  after(async () => {
    await changelog?.catch(() => {});
    await context?.close();
    await browser?.close();
    for (const server of servers) server.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  test("the player and the turns are marked up to be played", async () => {
    const { page, problems } = await openPage(context);
    await visit(page, `${site.url}${EPISODE}`);
    const audio = await page.$eval("audio#player", (a) => ({
      controls: a.controls,
      preload: a.getAttribute("preload"),
    }));
    assert.deepEqual(audio, { controls: true, preload: "none" });
    const turns = await page.$$eval("article.turn", (turns) =>
      turns.map((turn) => ({
        id: turn.id,
        seconds: turn.dataset.seconds,
        stamps: [...turn.querySelectorAll(".turn-head a.ts[data-seconds]")].map((a) => ({
          seconds: a.dataset.seconds,
          href: a.getAttribute("href"),
        })),
      })),
    );
    assert.ok(turns.length >= 10, `${turns.length} turns`);
    for (const turn of turns) {
      assert.match(turn.id, /^t-/, `a turn's anchor: ${JSON.stringify(turn)}`);
      assert.ok(turn.seconds !== undefined, `${turn.id} has no data-seconds`);
      assert.deepEqual(turn.stamps, [{ seconds: turn.seconds, href: `#${turn.id}` }], turn.id);
    }
    assert.deepEqual(problems, []);
  });

  test("a timestamp's click plays the audio from its time", async (t) => {
    const { page, problems, audioRequests } = await openPlayer(t, context, `${site.url}${EPISODE}`);
    const stamp = page.locator("article.turn .turn-head a.ts[data-seconds]").nth(8);
    const seconds = Number(await stamp.getAttribute("data-seconds"));
    assert.deepEqual(audioRequests, [], "the audio was fetched before it was played");
    await stamp.click();
    await waitForPlayer(page, seconds, { playing: true });
    assert.deepEqual(problems, []);
  });

  test("the turn being spoken is highlighted, one at a time, and after a seek", async (t) => {
    const { page, problems } = await openPlayer(t, context, `${site.url}${EPISODE}`);
    const turns = await timedTurns(page);
    const first = turns[8];
    await page.click(`#${first.id} .turn-head a.ts`);
    await waitForPlayer(page, first.seconds, { playing: true });
    await waitForHighlight(page, first.id);

    // Set from script while it plays, forward and back: the highlight follows the time.
    for (const at of [turns[12].seconds + 2, turns[4].seconds + 10]) {
      await seekTo(page, at);
      await waitForHighlight(page, turnAt(turns, at).id);
    }
    // And while paused, between two turns: the earlier one.
    const between = (turns[1].seconds + turns[2].seconds) / 2;
    await page.evaluate((at) => {
      const audio = document.getElementById("player");
      audio.pause();
      audio.currentTime = at;
    }, between);
    await waitForHighlight(page, turns[1].id);
    assert.deepEqual(problems, []);
  });

  test("the page follows the highlight unless the reader has scrolled away", async (t) => {
    const { page, problems } = await openPlayer(t, context, `${site.url}${EPISODE}`);
    await page.setViewportSize({ width: 1280, height: 720 });
    const turns = await timedTurns(page);
    // Two turns in a row with time between them, and two more far below.
    const [a, b, far] = [turns[8], turns[9], turns[12]];
    const c = turnAt(turns, far.seconds - 3);
    assert.ok(c !== b && c !== far, "no turn between B and the far one");
    await page.click(`#${a.id} .turn-head a.ts`);
    await waitForPlayer(page, a.seconds, { playing: true });
    await waitForHighlight(page, a.id);

    // A seek within the turn changes nothing; then B is put just below the window, A on it.
    await seekTo(page, b.seconds - 1.5);
    await waitForPlayer(page, b.seconds - 1.5);
    await settle(page);
    const below = await box(page, b.id);
    const scrollY = await page.evaluate(() => window.scrollY);
    await scrollTo(page, scrollY + below.top - below.height - 1);
    const [boxA, boxB] = [await box(page, a.id), await box(page, b.id)];
    const shown = boxA.top >= 0 && boxA.bottom <= boxA.height;
    assert.ok(shown, `A is not on screen: ${JSON.stringify(boxA)}`);
    assert.ok(boxB.top >= boxB.height, `B is not below the window: ${JSON.stringify(boxB)}`);
    await waitForHighlight(page, b.id);
    await waitOnScreen(page, b.id);

    // Scrolled away to the top: the highlight moves on down the page, the page stays.
    await seekTo(page, far.seconds - 3);
    await waitForHighlight(page, c.id);
    await settle(page); // a scroll that follows C, if any, ends
    await scrollTo(page, 0);
    await waitForHighlight(page, far.id);
    await page.waitForTimeout(500); // time for a scroll that should not happen
    assert.equal(await page.evaluate(() => window.scrollY), 0, "the page scrolled to the turn");
    assert.equal(await startsOnScreen(page, far.id), false);
    assert.deepEqual(problems, []);
  });

  test("a time in the URL cues the player there, highlights its turn and shows it", async (t) => {
    for (const hash of ["#t=754", "#t=12:34", "#t=0:12:34"]) {
      const opened = await openPlayer(t, context, `${site.url}${EPISODE}${hash}`);
      const { page, problems, audioRequests } = opened;
      await waitForPlayer(page, 754);
      assert.equal((await player(page)).paused, true, `${hash} started the player`);
      const turn = turnAt(await timedTurns(page), 754);
      await waitForHighlight(page, turn.id);
      await waitOnScreen(page, turn.id);
      assert.deepEqual(audioRequests, [], `${hash}: audio fetched before it was played`);
      assert.deepEqual(problems, []);
    }
  });

  test("a turn's anchor in the URL cues the player at that turn and shows it", async (t) => {
    const { page, problems } = await openPlayer(t, context, `${site.url}${EPISODE}`);
    const turn = (await timedTurns(page))[8];
    await page.goto("about:blank"); // not the same document: the URL is opened anew
    await visit(page, `${site.url}${EPISODE}#${turn.id}`);
    await waitForPlayer(page, turn.seconds);
    assert.equal((await player(page)).paused, true);
    await waitOnScreen(page, turn.id);
    assert.deepEqual(problems, []);
  });

  test("every turn has a button that copies its link", async () => {
    const clipboard = await browser.newContext({
      permissions: ["clipboard-read", "clipboard-write"],
    });
    try {
      for (const path of [EPISODE, UNTIMED]) {
        const { page, problems } = await openPage(clipboard);
        await visit(page, `${site.url}${path}`);
        const turns = await page.$$eval("article.turn", (turns) => turns.map((turn) => turn.id));
        const buttons = await page.$$eval("article.turn", (turns) =>
          turns.map((turn) => {
            const button = turn.querySelectorAll("button.copy-link");
            return button.length === 1 ? button[0].getAttribute("type") : button.length;
          }),
        );
        assert.deepEqual(buttons, turns.map(() => "button"), `${path}: a button.copy-link each`);
        const named = page.getByRole("button", { name: /^Copy link/, includeHidden: true });
        assert.equal(await named.count(), turns.length, `${path}: named "Copy link…"`);

        const id = turns[Math.floor(turns.length / 2)];
        const button = page.locator(`#${id} button.copy-link`);
        const before = (await button.textContent()).trim();
        await button.click();
        await page
          .waitForFunction((id) => {
            const text = document.querySelector(`#${id} button.copy-link`).textContent.trim();
            return text.startsWith("Copied");
          }, id, { timeout: TIMEOUT })
          .catch(async () => assert.fail(`the button says "${await button.textContent()}"`));
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        const expected = `${new URL(page.url()).origin}/${path}#${id}`;
        assert.equal(copied, expected);
        // "Copied" for a moment, then the button is as it was (waited for once).
        if (path === EPISODE) {
          await page.waitForFunction(
            ({ id, before }) =>
              document.querySelector(`#${id} button.copy-link`).textContent.trim() === before,
            { id, before },
            { timeout: TIMEOUT },
          );
        }
        assert.deepEqual(problems, []);
        await page.close();
      }
    } finally {
      await clipboard.close();
    }
  });

  test("a chapter's link seeks the audio and shows its heading", async (t) => {
    const { page, problems } = await openPlayer(t, context, `${site.url}${EPISODE}`);
    const links = page.locator("nav.toc a[data-seconds]");
    assert.ok((await links.count()) >= 3, "fewer than three chapters with times");
    const link = links.nth(2);
    const seconds = Number(await link.getAttribute("data-seconds"));
    const id = (await link.getAttribute("href")).replace(/^#/, "");
    assert.match(id, /^ch-/);
    await link.click();
    await waitForPlayer(page, seconds);
    await waitOnScreen(page, id);
    assert.deepEqual(problems, []);
  });

  test("without JavaScript the episode page is whole, without copy buttons", async () => {
    const { page } = await openPage(context);
    await visit(page, `${site.url}${EPISODE}`);
    const read = (page) =>
      page.evaluate(() => ({
        audio: document.querySelectorAll("audio#player source[src]").length,
        turns: [...document.querySelectorAll("article.turn")].map((turn) => ({
          id: turn.id,
          linked: turn.querySelector(`.turn-head a[href="#${turn.id}"]`) !== null,
        })),
        chapters: [...document.querySelectorAll("nav.toc a[href^='#ch-']")].map((a) => ({
          href: a.getAttribute("href"),
          target: document.getElementById(a.getAttribute("href").slice(1)) !== null,
        })),
        copy: document.querySelectorAll("button.copy-link").length,
        toggle: (() => {
          const button = document.getElementById("theme-toggle");
          return button ? button.checkVisibility() : "absent";
        })(),
      }));
    const scripted = await read(page);
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await visit(plain, `${site.url}${EPISODE}`);
      const without = await read(plain);
      assert.equal(without.audio, 1, "no audio element with a source");
      assert.ok(without.turns.length >= 10);
      assert.deepEqual(without.turns, scripted.turns);
      for (const turn of without.turns) assert.ok(turn.linked, `${turn.id} has no link to itself`);
      assert.ok(without.chapters.length >= 3);
      assert.deepEqual(without.chapters, scripted.chapters);
      for (const chapter of without.chapters) assert.ok(chapter.target, chapter.href);
      assert.equal(without.copy, 0, "copy buttons without the script that makes them work");
      assert.ok(without.toggle !== true, "the theme button shows without JavaScript");
    } finally {
      await noScript.close();
    }
  });

  test("Tab reaches the skip link, the player, a timestamp, a copy link; focus shows", async () => {
    const { page, problems } = await openPage(context);
    await visit(page, `${site.url}${EPISODE}`);
    const stops = [];
    for (let i = 0; i < 150; i += 1) {
      await page.keyboard.press("Tab");
      const stop = await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        const text = (el.textContent ?? "").trim().slice(0, 30);
        const kind = el.matches("a.skip-link")
          ? "skip"
          : el.matches("audio#player")
            ? "audio"
            : el.matches("article.turn .turn-head a.ts[data-seconds]")
              ? "timestamp"
              : el.matches("article.turn button.copy-link")
                ? "copy"
                : "other";
        return {
          kind,
          what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} "${text}"`,
          // Tab also walks the player's own buttons: the audio element stays the active one,
          // without :focus-visible, and Chromium rings the button inside its closed controls.
          inside: el.matches("audio") && !el.matches(":focus-visible"),
          visible: outlined || style.boxShadow !== "none",
        };
      });
      // Round again to the top: the rest of the page has nothing more.
      if (stops.length > 0 && (stop.kind === "skip" || stop.what.startsWith("body"))) break;
      stops.push(stop);
      if (["audio", "timestamp", "copy"].every((kind) => stops.some((s) => s.kind === kind))) break;
    }
    assert.equal(stops[0].kind, "skip", `the first Tab reaches ${stops[0].what}`);
    assert.match(stops[0].what, /"Skip to content"/);
    const names = { audio: "player", timestamp: "turn's timestamp", copy: "copy-link button" };
    for (const [kind, name] of Object.entries(names)) {
      assert.ok(
        stops.some((s) => s.kind === kind),
        `${stops.length} Tabs never reach a ${name}: ${stops.map((s) => s.what).join(", ")}`,
      );
    }
    const unseen = stops.filter((s) => !s.inside && !s.visible).map((s) => s.what);
    assert.deepEqual(unseen, [], "focused without a visible outline or shadow");
    assert.deepEqual(problems, []);
  });

  test("space plays and pauses when the player has the focus", async () => {
    const { page, problems } = await openPage(context, { audioChunk: 256 * 1024 });
    await visit(page, `${site.url}${EPISODE}`);
    await page.focus("#player");
    const paused = () => page.evaluate(() => document.getElementById("player").paused);
    await page.keyboard.press("Space");
    await page.waitForFunction(() => !document.getElementById("player").paused, null, {
      timeout: 10_000,
    });
    await page.keyboard.press("Space");
    await page.waitForFunction(() => document.getElementById("player").paused, null, {
      timeout: 10_000,
    });
    assert.equal(await paused(), true);
    assert.deepEqual(problems, []);
  });

  test("the theme button switches light and dark over the system's, and remembers", async () => {
    for (const system of ["light", "dark"]) {
      const other = system === "light" ? "dark" : "light";
      const themed = await browser.newContext({ colorScheme: system });
      try {
        const { page, problems } = await openPage(themed);
        await visit(page, site.url);
        const toggle = page.locator("header button#theme-toggle");
        assert.equal(await toggle.isVisible(), true, "no button#theme-toggle in the header");
        const start = await themeState(page);
        assert.equal(start.pressed, String(system === "dark"), `aria-pressed, ${system} system`);
        assert.ok([undefined, system].includes(start.theme), `data-theme ${start.theme}`);

        await toggle.click();
        const switched = await themeState(page);
        assert.equal(switched.theme, other, `${system} system, toggled`);
        assert.equal(switched.pressed, String(other === "dark"));
        assert.notEqual(switched.background, start.background, "the background stayed the same");

        await page.reload();
        assert.deepEqual(await themeState(page), switched, "not kept over a reload");
        // Kept on the other pages too, and the button is on each (once is enough for that).
        for (const [name, path] of Object.entries(system === "light" ? PAGES : {})) {
          await visit(page, `${site.url}${path}`);
          assert.equal(await toggle.isVisible(), true, `no theme button on ${name}`);
          assert.equal((await themeState(page)).theme, other, `${name} forgot the theme`);
        }

        await toggle.click();
        const back = await themeState(page);
        assert.equal(back.theme, system);
        assert.equal(back.pressed, String(system === "dark"));
        assert.equal(back.background, start.background);
        assert.deepEqual(problems, []);
      } finally {
        await themed.close();
      }
    }
  });

  test("no console error, page error or failed response on any kind of page", async () => {
    const found = [];
    for (const [name, path] of Object.entries(PAGES)) {
      const { page, problems } = await openPage(context);
      await visit(page, `${site.url}${path}`);
      await page.waitForLoadState("load");
      found.push(...problems.map((problem) => `${name}: ${problem}`));
      await page.close();
    }
    assert.deepEqual(found, []);
  });

  // Light and dark as the system asks, and dark chosen with the button over a light system.
  for (const theme of ["light", "dark", "dark by the button"]) {
    test(`axe-core: no serious or critical violation, ${theme}`, async (t) => {
      const light = theme !== "dark";
      const themed = await browser.newContext({ colorScheme: light ? "light" : "dark" });
      const failures = [];
      try {
        const { page, problems } = await openPage(themed);
        for (const name of CHECKED) {
          await visit(page, `${site.url}${PAGES[name]}`);
          if (theme === "dark by the button") {
            // The choice is remembered: only the first page needs the click.
            if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== "dark") {
              const toggle = page.locator("#theme-toggle");
              assert.ok(await toggle.isVisible(), `${name}: no theme button to click`);
              await toggle.click();
            }
            assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
          }
          const violations = await axeViolations(page);
          t.diagnostic(
            `axe ${name}, ${theme}: ${byImpact(violations)}` +
              (violations.length ? ` (${violations.map((v) => v.id).join(", ")})` : ""),
          );
          const bad = violations.filter((v) => ["serious", "critical"].includes(v.impact));
          if (bad.length) failures.push(`${name}, ${theme}:\n${describeViolations(bad)}`);
        }
        assert.deepEqual(problems, []);
      } finally {
        await themed.close();
      }
      assert.equal(failures.length, 0, `axe found:\n${failures.join("\n")}`);
    });
  }

  test("no page is wider than a 360 px phone", async () => {
    const { page, problems } = await openPage(context);
    await page.setViewportSize({ width: 360, height: 740 });
    const wide = [];
    for (const [name, path] of Object.entries(PAGES)) {
      await visit(page, `${site.url}${path}`);
      // What sticks out of a row that scrolls sideways (the header's navigation on a phone) is
      // reached by scrolling that row, not the page.
      const sticking = await page.evaluate(sticksOut);
      if (sticking.length) wide.push(`${name}: ${sticking.join(", ")}`);
    }
    await page.close();
    assert.deepEqual(wide, []);
    assert.deepEqual(problems, []);
  });

  test("screenshots of each kind of page, narrow and wide, light and dark", async (t) => {
    await mkdir(shots, { recursive: true });
    let count = 0;
    for (const theme of ["light", "dark"]) {
      const themed = await browser.newContext({ colorScheme: theme });
      try {
        const { page, problems } = await openPage(themed);
        for (const name of CHECKED) {
          await page.setViewportSize({ width: 1280, height: 800 });
          await visit(page, `${site.url}${PAGES[name]}`);
          // Wide, then narrow: the same page laid out again, without loading it twice.
          for (const width of [1280, 375]) {
            await page.setViewportSize({ width, height: 800 });
            const path = join(shots, `${name}-${width}-${theme}.png`);
            await page.screenshot({ path, fullPage: true });
            count += 1;
          }
        }
        assert.deepEqual(problems, []);
      } finally {
        await themed.close();
      }
    }
    t.diagnostic(`${count} screenshots written to ${shots}`);
  });

  test("the scripts and style sheets of an episode page are light", async (t) => {
    const { page, problems } = await openPage(context);
    const loaded = [];
    page.on("response", (response) => {
      const type = response.request().resourceType();
      const path = new URL(response.url()).pathname;
      if (!["script", "stylesheet"].includes(type)) return;
      // Search loads its own, only on the search page or for a search.
      if (path.includes("/pagefind/") || path.endsWith("/search.js")) return;
      loaded.push({ type, path, body: response.body() });
    });
    await visit(page, `${site.url}${EPISODE}`);
    await page.waitForLoadState("load");
    const weigh = async (type) => {
      const files = loaded.filter((file) => file.type === type);
      let total = 0;
      const each = [];
      for (const file of files) {
        const body = await file.body;
        const gzipped = gzipSync(body).length;
        total += gzipped;
        each.push(`${file.path} ${body.length} B, ${gzipped} B gzipped`);
      }
      t.diagnostic(`${type}s: ${total} B gzipped in all (${each.join("; ") || "none"})`);
      return total;
    };
    const scripts = await weigh("script");
    const styles = await weigh("stylesheet");
    assert.ok(scripts < 10_000, `scripts weigh ${scripts} B gzipped, over 10 KB`);
    assert.ok(styles > 0 && styles < 30_000, `style sheets weigh ${styles} B gzipped, over 30 KB`);
    assert.deepEqual(problems, []);
  });

  describe("a real corpus", () => {
    test(
      "the speakers index of some 400 speakers filters and sorts; the busiest speaker's page loads",
      { skip: !existsSync(corpus) && `no corpus at ${corpus}` },
      async (t) => {
        const served = await changelog;
        const { page, problems } = await openPage(context);
        await visit(page, `${served.url}speakers/`);
        await page.waitForSelector("#speaker-filter", { state: "visible", timeout: TIMEOUT });
        const total = await page.locator("#speakers-table tbody tr").count();
        // 399 since labels resolve within their episode (`MIB` is local, `Paul Frazee✌` is
        // Paul Frazee).
        assert.ok(total >= 390, `${total} speakers`);

        /** The rows shown now: name, text, appearances. */
        const shown = () =>
          page.$$eval("#speakers-table tbody tr", (rows) =>
            rows
              .filter((row) => !row.hidden && getComputedStyle(row).display !== "none")
              .map((row) => ({
                name: row.cells[0].textContent.trim(),
                text: `${row.textContent} ${row.dataset.search ?? ""}`,
                appearances: Number(row.dataset.appearances),
              })),
          );
        const fold = (text) =>
          text.normalize("NFD").replace(/\p{Mark}/gu, "").toLowerCase();
        const all = await shown();
        assert.equal(all.length, total, "rows hidden before any filter");

        // A name written with accents, found without; one found with accents of another case.
        for (const [query, wanted] of [["jose", "José Valim"], ["KÖRBES", "V Körbes"]]) {
          await page.fill("#speaker-filter", query);
          const rows = await shown();
          const names = rows.map((row) => row.name);
          assert.ok(names.includes(wanted), `"${query}" does not find ${wanted}: ${names}`);
          assert.ok(rows.length < total, `"${query}" hides nothing`);
          for (const row of rows) {
            assert.ok(fold(row.text).includes(fold(query)), `"${query}" shows ${row.name}`);
          }
          for (const row of all) {
            if (fold(row.name).includes(fold(query))) {
              assert.ok(names.includes(row.name), `"${query}" hides ${row.name}`);
            }
          }
          const count = (await page.textContent("#speaker-count")).trim();
          assert.equal(count, `${rows.length} of ${total} speakers`);
          t.diagnostic(`speakers filter "${query}": ${count}`);
        }

        await page.fill("#speaker-filter", "");
        await page.selectOption("#speaker-sort", "name");
        const byName = (await shown()).map((row) => row.name);
        assert.equal(byName.length, total);
        const collator = new Intl.Collator("en", { sensitivity: "base" });
        const before = (name, i) => i > 0 && collator.compare(byName[i - 1], name) > 0;
        const disorder = byName.findIndex(before);
        assert.equal(disorder, -1, `by name, ${byName[disorder - 1]} before ${byName[disorder]}`);
        assert.notDeepEqual(byName, all.map((row) => row.name), "sorting by name changed nothing");

        await page.selectOption("#speaker-sort", "appearances");
        const byCount = await shown();
        const counts = byCount.map((row) => row.appearances);
        assert.equal(counts.length, total);
        assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "not most appearances first");
        assert.deepEqual(problems, []);

        // The busiest speaker, a host: hundreds of appearances, grouped.
        const busiest = await page.$eval("#speakers-table tbody tr", (row) => ({
          name: row.cells[0].textContent.trim(),
          href: row.querySelector("a").href,
          appearances: Number(row.dataset.appearances),
        }));
        const host = await openPage(context);
        const started = performance.now();
        await visit(host.page, busiest.href);
        await host.page.waitForLoadState("load");
        const took = Math.round(performance.now() - started);
        const listing = () =>
          host.page.evaluate(() => {
            const items = [...document.querySelectorAll("ol.appearances > li")];
            return {
              details: document.querySelectorAll("details").length,
              items: items.length,
              outside: items.filter((item) => !item.closest("details")).length,
              next: document.querySelector('.pagination a[rel="next"]')?.href ?? null,
            };
          });
        const grouped = await listing();
        t.diagnostic(
          `${busiest.name}: ${busiest.appearances} appearances, ${grouped.items} on the first ` +
            `page in ${grouped.details} <details>, page loaded in ${took} ms`,
        );
        assert.equal(grouped.outside, 0, "appearances outside a <details>");
        assert.ok(grouped.details > 1);
        // A hundred appearances to a page ([speakers] appearances_per_page); the pages after
        // the first list the rest.
        assert.equal(grouped.items, Math.min(busiest.appearances, 100), "appearances on page 1");
        let listed = grouped.items;
        for (let next = grouped.next; next; ) {
          await visit(host.page, next);
          const more = await listing();
          listed += more.items;
          next = more.next;
        }
        assert.equal(listed, busiest.appearances, "appearances listed over the pages");
        assert.deepEqual(host.problems, []);
      },
    );
  });
});
