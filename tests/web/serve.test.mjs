// `verbatim serve` in a real browser: live reload, the error overlay, and a site served under
// its base path. Needs the release binary (`cargo build --release`) and Debian's Chromium at
// /usr/bin/chromium (or CHROMIUM=/path). Run with `node --test serve.test.mjs` here.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { binary, launch, watchProblems } from "./browser.mjs";

/** How long a rebuild may take to reach the page: generous, a reload takes tens of ms. */
const RELOAD_TIMEOUT = 10_000;

const episode = (title, speaker, words) =>
  `---\ntitle: ${title}\nspeakers: [${speaker}]\ntags: [testing]\n---\n**${speaker}:** ${words}\n`;
const BROKEN = "---\ntitle: [unclosed\n---\n";

/** Writes a small site: two shows, three episodes. Returns the episode paths under the base. */
async function makeSite(dir, baseUrl) {
  const files = {
    "site.toml": `title = "Web test"\n${baseUrl ? `base_url = "${baseUrl}"\n` : ""}`,
    "content/show/_index.md": "---\ntitle: The Show\n---\nA show for the browser test.\n",
    "content/show/one.md": episode("One", "Ann", "The first words."),
    "content/show/two.md": episode("Two", "Bob", "The second words."),
    "content/other/_index.md": "---\ntitle: The Other Show\n---\n",
    "content/other/three.md": episode("Three", "Ann", "The third words."),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return ["show/one/", "show/two/", "other/three/"];
}

/** Starts `verbatim serve --port 0` on `root`; resolves once it prints its URL. */
function startServer(root) {
  const child = spawn(binary, ["--root", root, "serve", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const url = new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`verbatim serve printed no URL in 15 s\n${stdout}\n${stderr}`)),
      15_000,
    );
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      const match = /^Serving on (\S+?);/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`verbatim serve exited (${code ?? signal})\n${stdout}\n${stderr}`));
    });
  });
  return { child, url, log: () => `stdout:\n${stdout}\nstderr:\n${stderr}` };
}

async function stopServer(server) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((done) => server.child.once("exit", done));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Records every EventSource a page opens, so a test can see the live-reload one connect. */
function recordEventSources() {
  const Native = window.EventSource;
  window.__eventSources = [];
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      window.__eventSources.push(this);
    }
  };
}

/** A page whose console errors, uncaught exceptions and failed responses are kept. */
async function openPage(context) {
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

const liveReloadConnected = (page) =>
  page.waitForFunction(
    () =>
      (window.__eventSources ?? []).some(
        (source) => source.url.endsWith("/__verbatim/events") && source.readyState === 1,
      ),
    null,
    { timeout: RELOAD_TIMEOUT },
  );

/** Marks the current document: a reload replaces it, and the mark is gone. */
const mark = (page) => page.evaluate(() => (window.__beforeEdit = true));

/** Waits until the page was reloaded, shows `text` and has no error overlay. */
const reloadedWith = (page, text) =>
  page.waitForFunction(
    (wanted) =>
      window.__beforeEdit === undefined &&
      document.readyState !== "loading" &&
      document.body.innerText.includes(wanted) &&
      !document.getElementById("verbatim-error"),
    text,
    { timeout: RELOAD_TIMEOUT, polling: 20 },
  );

/** The reload as the page timed it, in ms after `written` (epoch ms). */
const reloadTimes = (page, written) =>
  page.evaluate((since) => {
    const nav = performance.getEntriesByType("navigation")[0];
    const at = (ms) => Math.round(performance.timeOrigin + ms - since);
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return (
      `reload began at ${at(0)} ms, page received at ${at(nav.responseEnd)} ms, ` +
      `loaded at ${at(nav.loadEventEnd)} ms, first painted at ${paint ? at(paint.startTime) : "?"} ms`
    );
  }, written);

const overlayText = (page) =>
  page
    .locator("#verbatim-error[role=alert] pre")
    .textContent({ timeout: RELOAD_TIMEOUT });

describe("verbatim serve in Chromium", { timeout: 60_000 }, () => {
  let browser;
  const servers = [];
  const dirs = [];

  before(async () => {
    assert.ok(existsSync(binary), `${binary} is missing: run cargo build --release first`);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await Promise.all(servers.map(stopServer));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function serveSite(baseUrl) {
    const dir = await mkdtemp(join(tmpdir(), "verbatim-web-"));
    dirs.push(dir);
    const episodes = await makeSite(dir, baseUrl);
    const server = startServer(dir);
    servers.push(server);
    return { dir, episodes, server, url: await server.url };
  }

  describe("live reload", () => {
    let site;
    let context;
    let first;
    let episodeUrl;
    let episodeFile;

    before(async () => {
      site = await serveSite(null);
      episodeUrl = new URL("show/one/", site.url).href;
      episodeFile = join(site.dir, "content/show/one.md");
      context = await browser.newContext();
      await context.addInitScript(recordEventSources);
    });

    after(() => context?.close());

    test("the episode page loads without errors and live reload connects", async () => {
      first = await openPage(context);
      const events = first.page.waitForResponse((r) => r.url().endsWith("/__verbatim/events"));
      const response = await first.page.goto(episodeUrl);
      assert.equal(response.status(), 200);
      assert.match(await first.page.title(), /^One/);
      assert.ok((await first.page.textContent("main")).includes("The first words."));
      const stream = await events;
      assert.equal(stream.status(), 200);
      assert.match(stream.headers()["content-type"], /^text\/event-stream/);
      await liveReloadConnected(first.page);
      assert.equal(await first.page.locator("#verbatim-error").count(), 0);
      assert.deepEqual(first.problems, []);
    });

    test("an edit on disk reloads the open page with the new text", async (t) => {
      await mark(first.page);
      const start = performance.now();
      const written = Date.now();
      await writeFile(episodeFile, episode("One", "Ann", "The edited words."));
      await reloadedWith(first.page, "The edited words.").catch((error) => {
        throw new Error(`${error.message}\n${site.server.log()}`);
      });
      const took = Math.round(performance.now() - start);
      t.diagnostic(`edit: new text seen by the test ${took} ms after the write; ${await reloadTimes(first.page, written)}`);
      assert.ok(!(await first.page.textContent("main")).includes("The first words."));
      await liveReloadConnected(first.page);
      assert.deepEqual(first.problems, []);
    });

    let second;
    test("a broken file shows the error over open and new pages; the last good site is served", async () => {
      await mark(first.page);
      await writeFile(episodeFile, BROKEN);
      const shown = await overlayText(first.page);
      assert.match(shown, /content\/show\/one\.md/);
      // The overlay came over the page: no reload, the last good text is under it.
      assert.equal(await first.page.evaluate(() => window.__beforeEdit), true);
      assert.ok((await first.page.textContent("main")).includes("The edited words."));

      second = await openPage(context);
      const response = await second.page.goto(episodeUrl);
      assert.equal(response.status(), 200);
      assert.match(await overlayText(second.page), /content\/show\/one\.md/);
      assert.ok((await second.page.textContent("main")).includes("The edited words."));

      const served = await second.page.evaluate(async (url) => {
        const r = await fetch(url, { cache: "no-store" });
        return { status: r.status, body: await r.text() };
      }, episodeUrl);
      assert.equal(served.status, 200);
      assert.ok(served.body.includes("The edited words."));
      assert.ok(!served.body.includes("unclosed"));
      assert.deepEqual(first.problems, []);
      assert.deepEqual(second.problems, []);
    });

    test("fixing the file clears the overlay and shows the fixed text", async (t) => {
      await mark(first.page);
      await mark(second.page);
      const start = performance.now();
      const written = Date.now();
      await writeFile(episodeFile, episode("One", "Ann", "The fixed words."));
      let took;
      await Promise.all([
        reloadedWith(first.page, "The fixed words.").then(() => {
          took = Math.round(performance.now() - start);
        }),
        reloadedWith(second.page, "The fixed words."),
      ]);
      t.diagnostic(`fix: fixed text seen by the test ${took} ms after the write; ${await reloadTimes(first.page, written)}`);
      for (const { page, problems } of [first, second]) {
        assert.equal(await page.locator("#verbatim-error").count(), 0);
        await liveReloadConnected(page);
        assert.deepEqual(problems, []);
      }
    });
  });

  describe("a base_url with a path", () => {
    let site;
    let context;

    before(async () => {
      site = await serveSite("https://host.example/archive/");
      context = await browser.newContext();
    });

    after(() => context?.close());

    test("is served under /archive/ and its links work", async () => {
      assert.equal(new URL(site.url).pathname, "/archive/");
      const { page, problems } = await openPage(context);

      // The bare root sends the browser to the base path.
      const root = await page.goto(new URL("/", site.url).href);
      assert.equal(root.status(), 200);
      assert.equal(new URL(page.url()).pathname, "/archive/");

      const wanted = site.episodes.map((path) => `/archive/${path}`);
      const links = page.locator("a[href]");
      const paths = await links.evaluateAll((anchors) =>
        anchors.map((a) => new URL(a.href).pathname),
      );
      const index = paths.findIndex((path) => wanted.includes(path));
      assert.notEqual(index, -1, `no episode link on the home page: ${paths.join(" ")}`);

      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().isNavigationRequest()),
        links.nth(index).click(),
      ]);
      await page.waitForLoadState("load");
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, paths[index]);
      assert.ok(new URL(page.url()).pathname.startsWith("/archive/"));
      assert.equal(await page.locator("#verbatim-error").count(), 0);

      // Every link on the episode page stays under /archive/ and answers 200.
      const targets = await page.locator("a[href]").evaluateAll((anchors) => [
        ...new Set(
          anchors
            .map((a) => new URL(a.href))
            .filter((u) => u.origin === location.origin)
            .map((u) => u.pathname),
        ),
      ]);
      assert.ok(targets.length > 3, `few links: ${targets}`);
      const statuses = await page.evaluate(
        (list) =>
          Promise.all(list.map(async (path) => [path, (await fetch(path)).status])),
        targets,
      );
      for (const [path, status] of statuses) {
        assert.ok(path.startsWith("/archive/"), `${path} is outside /archive/`);
        assert.equal(status, 200, `${path} answered ${status}`);
      }
      assert.deepEqual(problems, []);
    });
  });
});
