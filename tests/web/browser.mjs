// What the browser tests share: where the binary and Chromium are, how Chromium is started, how a
// built site is served, and how a page's problems are collected.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const binary = process.env.VERBATIM_BIN ?? join(repo, "target/release/verbatim");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Headless Chromium, quiet: no sandbox (CI runs as root), no background traffic. */
export function launch(...extraArgs) {
  assert.ok(existsSync(browserPath), `${browserPath} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves the folder `dir` under the path `base` of a local HTTP server, the way a static host
 * does: a folder answers with its index.html, a folder without its slash is redirected, anything
 * else is 404. Resolves to the site's URL once listening.
 */
export async function serveStatic(dir, base) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://host").pathname);
    let file = resolve(dir, `.${sep}${path.slice(base.length)}`);
    const inside = path.startsWith(base) && (file + sep).startsWith(resolve(dir) + sep);
    try {
      if (!inside) throw new Error("outside the site");
      if ((await stat(file)).isDirectory()) {
        if (!path.endsWith("/")) {
          response.writeHead(301, { location: `${path}/` }).end();
          return;
        }
        file = join(file, "index.html");
      }
      const body = await readFile(file);
      const type = TYPES[extname(file)] ?? "application/octet-stream";
      response.writeHead(200, { "content-type": type }).end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  return { server, url: `http://127.0.0.1:${server.address().port}${base}` };
}

/** `verbatim build` of the site in `root` into `output`, at `baseUrl`. */
export function build(root, output, baseUrl) {
  const args = ["build", "--root", root, "--output", output, "--base-url", baseUrl];
  return new Promise((done, fail) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (log += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? done(log) : fail(new Error(`verbatim build exited ${code}\n${log}`)),
    );
  });
}

/** Builds the site in `root` into a fresh folder and serves it under `base`. */
export async function buildAndServe(root, base, temp) {
  const output = await mkdtemp(join(temp, "site-"));
  const served = await serveStatic(output, base);
  await build(root, output, served.url);
  return served;
}

/** A silent WAV file of `seconds`, 8 kHz, 8 bits: audio the player can load and seek in. */
function silence(seconds) {
  const rate = 8000;
  const bytes = seconds * rate;
  const wav = Buffer.alloc(44 + bytes, 128);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + bytes, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write("data", 36);
  wav.writeUInt32LE(bytes, 40);
  return wav;
}
const AUDIO = silence(2400);

/**
 * The example's audio lives on the publisher's host, which the test must not reach: a request
 * for it gets the silent file (in ranges, as a media server answers) and is counted; any other
 * request off 127.0.0.1 is refused and counted as a problem. With `chunk`, a range is answered
 * with that many bytes at most, as a server may: the player asks for more as it plays, and starts
 * sooner than with all of the file at once.
 */
async function fakeOutsideHosts(page, problems, audioRequests, chunk = Infinity) {
  await page.route(
    (url) => url.hostname !== "127.0.0.1",
    async (route) => {
      const url = route.request().url();
      if (!/\.(mp3|m4a)$/.test(new URL(url).pathname)) {
        problems.push(`request off the site: ${url}`);
        return route.abort();
      }
      audioRequests.push(url);
      const range = /bytes=(\d+)-(\d*)/.exec(route.request().headers().range ?? "");
      const start = range ? Number(range[1]) : 0;
      const asked = range && range[2] ? Number(range[2]) : AUDIO.length - 1;
      const end = range ? Math.min(asked, start + chunk - 1) : asked;
      return route.fulfill({
        status: range ? 206 : 200,
        contentType: "audio/wav",
        headers: {
          "accept-ranges": "bytes",
          ...(range ? { "content-range": `bytes ${start}-${end}/${AUDIO.length}` } : {}),
        },
        body: AUDIO.subarray(start, end + 1),
      });
    },
  );
}

/** Keeps the console errors, uncaught exceptions, dialogs and failed responses of `page`. */
export function watchProblems(page) {
  const problems = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    // Chromium asks for /favicon.ico by itself; the theme's icon is favicon.svg.
    if (where && new URL(where).pathname === "/favicon.ico") return;
    problems.push(`console: ${message.text()} (${where})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico") {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  return problems;
}

/**
 * A page whose problems are kept (watchProblems), with the example's outside audio hosts faked.
 * `audioChunk` is fakeOutsideHosts's `chunk`.
 */
export async function openPage(context, { audioChunk } = {}) {
  const page = await context.newPage();
  const problems = watchProblems(page);
  const audioRequests = [];
  await fakeOutsideHosts(page, problems, audioRequests, audioChunk);
  return { page, problems, audioRequests };
}

/**
 * In the page (pass it to `page.evaluate`): the first few elements that stick out past `limit`
 * px (the window's width by default), as `tag.class`. What sticks out of a row that scrolls
 * sideways (the header's navigation on a phone) is reached by scrolling that row, not the
 * page, and does not count.
 */
export function sticksOut(limit) {
  const edge = (limit ?? innerWidth) + 1;
  const inScrollingRow = (element) => {
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (/auto|scroll/.test(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > edge && element.checkVisibility())
    .filter((element) => !inScrollingRow(element))
    .slice(0, 3)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
}

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's violations of the open page: id, impact, help, and the targets of every node. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((node) => node.target.join(" ")),
    }));
  });
}

/** The serious and critical violations of the open page, each written out on one line. */
export async function seriousAxeProblems(page) {
  return (await axeViolations(page))
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.targets.join(", ")}`);
}
