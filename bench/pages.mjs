// What a reader gets from the five kinds of page a site is read through (home, the biggest show,
// the heaviest episode, the speakers index, the heaviest speaker page), measured in headless
// Chromium on the example and on each real corpus, so that a change to the theme can be judged
// before and after by the same numbers and the same pictures:
//
// - screenshots at 375 × 812 (a phone) and 1280 × 800, light and dark: the first screen, and for
//   episode and speaker pages also one screen at 40 % of the page's height (`…-mid.png`); the
//   page's height and its site header's height in px at both widths (no full-page shots: an
//   episode can be 100,000 px tall);
// - weight: bytes over the wire (gzipped, as a static host sends text) of the HTML, the style
//   sheets, the scripts and everything else the page loads at 375 px, the number of requests,
//   and every request that leaves the site (there must be none: other hosts do not resolve);
// - the page's CSS and JS, gzipped: the files it loads plus its inline <style> and <script>
//   (JSON-LD is data, not script), against the budgets of 30 KB and 10 KB;
// - load time on a throttled phone at 375 px: DOMContentLoaded, load and Largest Contentful
//   Paint, the median of three cold loads (new context, cache disabled) under Lighthouse's
//   "Slow 4G" (150 ms RTT, 1.6 Mbps down, 750 kbps up, as Lighthouse applies it through DevTools:
//   request latency × 3.75, throughput × 0.9, since DevTools throttles each request and
//   simulates no handshakes) and a CPU slowed down 4 times;
// - axe-core's violations, light and dark (at 1280 px): how many and their ids.
//
//   node bench/pages.mjs --binary PATH --label LABEL [--sites example,changelog,bitcointranscripts]
//                        [--out bench/out/pages] [--corpus ../shared/corpus] [--same-pages LABEL]
//   node bench/pages.mjs --compare LABEL LABEL [--out bench/out/pages]
//
// Each site is built once with the given binary into a temporary folder, without the build cache
// (nothing is written into the site folders): the repository's own example, and each corpus as
// validate.sh sets it up (its content linked from CORPUS/NAME, a minimal site.toml). The example
// also gets its own episode and speaker page of the browser tests (`episode-marsh`,
// `speaker-soren`). Pages are chosen from the build's files: the show
// with the most episodes, the episode and speaker page with the most HTML bytes. --same-pages
// takes the pages another run chose instead (from OUT/LABEL/report.json), so a theme that makes
// another page the heaviest is still compared page for page.
//
// Writes OUT/LABEL/report.json, the screenshots as OUT/LABEL/SITE/PAGE-WIDTH-SCHEME[-mid].png,
// and prints one row per site and page. --compare prints two reports side by side, with the
// ratio after / before. Needs `npm ci` in tests/web (playwright-core, axe-core) and Chromium
// (CHROMIUM=/path, default /usr/bin/chromium). The numbers are the pages', not the build's: a
// debug binary gives the same pages as a release one. Takes about 5 minutes for the three sites.

import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { axeViolations, launch } from "../tests/web/browser.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const VIEWPORTS = { 375: { width: 375, height: 812 }, 1280: { width: 1280, height: 800 } };
const SCHEMES = ["light", "dark"];
const RUNS = 3;
// Lighthouse's mobileSlow4G as its DevTools throttling applies it (see the header).
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const CPU_SLOWDOWN = 4;
const BUDGET = { js: 10 * 1024, css: 30 * 1024 };
/** Top-level folders of a build that are not shows. */
const NOT_SHOWS = new Set(["speakers", "tags", "search", "pagefind", "images", "page", "shows", "topics"]);
/** The example's own episode and speaker page, the ones the browser tests look at. */
const EXAMPLE_PAGES = {
  "episode-marsh": "signal-and-noise/field-recording-at-the-edge-of-the-marsh/",
  "speaker-soren": "speakers/soren-aberg/",
};
/** Page kinds photographed a second time further down. */
const LONG = /^(episode|speaker)(-|$)/;

function usage(message) {
  if (message) console.error(message);
  console.error(
    "usage: node bench/pages.mjs --binary PATH --label LABEL [--sites a,b] [--out DIR] [--corpus DIR] [--same-pages LABEL]\n" +
      "       node bench/pages.mjs --compare LABEL LABEL [--out DIR]",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    sites: ["example", "changelog", "bitcointranscripts"],
    out: join(repo, "bench/out/pages"),
    corpus: join(repo, "../shared/corpus"),
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? usage(`${argv[i - 1]} needs a value`);
    switch (argv[i]) {
      case "--binary": options.binary = resolve(value()); break;
      case "--label": options.label = value(); break;
      case "--sites": options.sites = value().split(",").filter(Boolean); break;
      case "--out": options.out = resolve(value()); break;
      case "--corpus": options.corpus = resolve(value()); break;
      case "--same-pages": options.samePages = value(); break;
      case "--compare": options.compare = [value(), value()]; break;
      default: usage(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.compare && (!options.binary || !options.label)) usage("--binary and --label are needed");
  return options;
}

// ---------------------------------------------------------------------------------------------
// Building and serving

function run(command, args) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (log += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done(log) : fail(new Error(`${command} exited ${code}\n${log}`))));
  });
}

/** The folder to build `site` from: the repository for the example, else a corpus as validate.sh sets it up. */
async function siteRoot(site, options, temp) {
  if (site === "example") return repo;
  const content = join(options.corpus, site, "content");
  if (!existsSync(content)) throw new Error(`no corpus ${site}: ${content} is missing (--corpus DIR)`);
  const root = join(temp, `root-${site}`);
  await mkdir(root, { recursive: true });
  await writeFile(join(root, "site.toml"), `title = "${site}"\nbase_url = "https://corpus.example/"\n`);
  await symlink(content, join(root, "content"));
  return root;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg", ".xml", ".txt"]);

/** Serves `dir` as a static host does: index.html for a folder, text gzipped for a browser that asks. */
async function serve(dir) {
  const gzipped = new Map();
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://host").pathname);
    let file = resolve(dir, `.${sep}${path}`);
    try {
      if (!(file + sep).startsWith(resolve(dir) + sep)) throw new Error("outside the site");
      if ((await stat(file)).isDirectory()) {
        if (!path.endsWith("/")) return response.writeHead(301, { location: `${path}/` }).end();
        file = join(file, "index.html");
      }
      let body = await readFile(file);
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream" };
      if (COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
        if (!gzipped.has(file)) gzipped.set(file, gzipSync(body));
        body = gzipped.get(file);
        headers["content-encoding"] = "gzip";
      }
      response.writeHead(200, headers).end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

// ---------------------------------------------------------------------------------------------
// Choosing the pages

const subfolders = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "page" && existsSync(join(dir, entry.name, "index.html")))
    .map((entry) => entry.name);

const htmlBytes = (dir, path) => statSync(join(dir, path, "index.html")).size;

/** The `path` among `paths` whose index.html is the biggest. */
function heaviest(dir, paths) {
  return paths.reduce((best, path) => (htmlBytes(dir, path) > htmlBytes(dir, best) ? path : best));
}

/** Page name → path under the site, from what the build wrote. */
function choosePages(dir, site) {
  const shows = subfolders(dir).filter((name) => !NOT_SHOWS.has(name) && subfolders(join(dir, name)).length > 0);
  if (shows.length === 0) throw new Error(`${site}: no show folder in ${dir}`);
  const episodeCount = (show) => subfolders(join(dir, show)).length;
  const show = shows.reduce((best, name) => (episodeCount(name) > episodeCount(best) ? name : best));
  const episodes = shows.flatMap((name) => subfolders(join(dir, name)).map((episode) => `${name}/${episode}/`));
  const speakers = subfolders(join(dir, "speakers")).map((name) => `speakers/${name}/`);
  const pages = {
    home: "",
    show: `${show}/`,
    episode: heaviest(dir, episodes),
    speakers: "speakers/",
    speaker: heaviest(dir, speakers),
  };
  if (site === "example") Object.assign(pages, EXAMPLE_PAGES);
  return pages;
}

// ---------------------------------------------------------------------------------------------
// Measuring one page

const wait = (ms) => new Promise((done) => setTimeout(done, ms));

/** Height and width of the open page's document, and the height of the site's header. */
const pageSize = (page) =>
  page.evaluate(() => {
    const header = document.querySelector("body > header") ?? document.querySelector("header");
    return {
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
      header: header ? Math.round(header.getBoundingClientRect().height) : null,
    };
  });

/** Screenshots of the first screen and, for long page kinds, of one at 40 % of the height. */
async function photograph(page, name, width, scheme, folder, height) {
  const files = [];
  const base = join(folder, `${name}-${width}-${scheme}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await wait(100);
  await page.screenshot({ path: `${base}.png` });
  files.push(`${name}-${width}-${scheme}.png`);
  if (LONG.test(name)) {
    await page.evaluate((y) => window.scrollTo(0, y), Math.round(height * 0.4));
    await wait(200);
    await page.screenshot({ path: `${base}-mid.png` });
    files.push(`${name}-${width}-${scheme}-mid.png`);
  }
  return files;
}

/** The inline scripts (not JSON data) and style elements of the open page, gzipped. */
async function inlineBytes(page) {
  const text = await page.evaluate(() => ({
    js: [...document.querySelectorAll("script:not([src])")]
      .filter((s) => !s.type || /javascript|module/.test(s.type))
      .map((s) => s.textContent)
      .join("\n"),
    css: [...document.querySelectorAll("style")].map((s) => s.textContent).join("\n"),
  }));
  const gz = (s) => (s ? gzipSync(s).length : 0);
  return { js: gz(text.js), css: gz(text.css) };
}

const KIND = { document: "html", stylesheet: "css", script: "js" };

/**
 * One cold load at 375 px, counting every response as it came over the wire. Returns the
 * weights, the requests off the site, the console errors and the open page for more.
 */
async function weigh(context, url, origin) {
  const page = await context.newPage();
  const weight = { html: 0, css: 0, js: 0, other: 0, total: 0, requests: 0, files: [] };
  const outside = [];
  const consoleErrors = [];
  const sizes = [];
  page.on("request", (request) => {
    if (/^https?:/.test(request.url()) && new URL(request.url()).origin !== origin) outside.push(request.url());
  });
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("requestfinished", (request) => {
    if (new URL(request.url()).origin !== origin) return;
    sizes.push(
      request.sizes().then(({ responseBodySize }) => {
        const kind = KIND[request.resourceType()] ?? "other";
        weight[kind] += responseBodySize;
        weight.total += responseBodySize;
        weight.requests += 1;
        weight.files.push({ path: new URL(request.url()).pathname, kind, bytes: responseBodySize });
      }),
    );
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (response.status() !== 200) throw new Error(`${url} answered ${response.status()}`);
  await page.waitForLoadState("networkidle");
  await Promise.all(sizes);
  return { page, weight, outside, consoleErrors };
}

/** Records the page's Largest Contentful Paint as it happens, before its own scripts run. */
function watchLcp() {
  window.__lcp = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__lcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
}

/** One cold load on a throttled phone: DOMContentLoaded, load and LCP in ms from navigation start. */
async function throttledLoad(browser, url) {
  const context = await browser.newContext({ viewport: VIEWPORTS[375], colorScheme: "light" });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchLcp);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.goto(url, { waitUntil: "load", timeout: 300_000 });
    // LCP is reported after the frame that paints it: let two frames pass.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))));
    return await page.evaluate(() => {
      const [nav] = performance.getEntriesByType("navigation");
      return {
        dcl: Math.round(nav.domContentLoadedEventEnd),
        load: Math.round(nav.loadEventEnd),
        lcp: window.__lcp === null ? null : Math.round(window.__lcp),
      };
    });
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const known = values.filter((v) => v !== null).sort((a, b) => a - b);
  return known.length ? known[Math.floor(known.length / 2)] : null;
};

async function measurePage(browser, base, name, path, folder) {
  const url = `${base}${path}`;
  const origin = new URL(base).origin;
  const result = { path, heights: {}, widths: {}, headers: {}, screenshots: [], axe: {} };
  for (const scheme of SCHEMES) {
    const context = await browser.newContext({ viewport: VIEWPORTS[375], colorScheme: scheme });
    context.setDefaultTimeout(300_000);
    try {
      const { page, weight, outside, consoleErrors } = await weigh(context, url, origin);
      if (scheme === "light") {
        Object.assign(result, { weight, outside, consoleErrors, inline: await inlineBytes(page) });
      }
      for (const width of [375, 1280]) {
        await page.setViewportSize(VIEWPORTS[width]);
        await wait(200);
        const size = await pageSize(page);
        result.heights[width] = size.height;
        result.widths[width] = size.width;
        result.headers[width] = size.header;
        result.screenshots.push(...(await photograph(page, name, width, scheme, folder, size.height)));
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      const violations = (await axeViolations(page)).map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.targets.length,
        targets: v.targets.slice(0, 5),
      }));
      result.axe[scheme] = { count: violations.length, ids: violations.map((v) => v.id), violations };
    } finally {
      await context.close();
    }
  }
  const { weight, inline } = result;
  result.js = weight.js + inline.js;
  result.css = weight.css + inline.css;
  result.withinBudget = result.js <= BUDGET.js && result.css <= BUDGET.css;
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await throttledLoad(browser, url));
  result.throttled = {
    dcl: median(runs.map((r) => r.dcl)),
    load: median(runs.map((r) => r.load)),
    lcp: median(runs.map((r) => r.lcp)),
    runs,
  };
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const kb = (bytes) => (bytes === undefined ? "-" : (bytes / 1024).toFixed(1));
const ms = (value) => (value === null || value === undefined ? "-" : String(value));

function table(rows, header) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function printReport(report) {
  const rows = [];
  const notes = [];
  for (const [site, { pages }] of Object.entries(report.sites)) {
    for (const [name, p] of Object.entries(pages)) {
      rows.push([
        site,
        name,
        p.heights[375],
        p.headers[375] ?? "-",
        kb(p.weight.html),
        kb(p.css),
        kb(p.js),
        kb(p.weight.total),
        p.weight.requests,
        ms(p.throttled.dcl),
        ms(p.throttled.load),
        ms(p.throttled.lcp),
        `${p.axe.light.count}/${p.axe.dark.count}`,
      ]);
      notes.push(`${site} ${name}: /${p.path}`);
      if (p.outside.length) notes.push(`  OUTSIDE REQUESTS: ${p.outside.join(", ")}`);
      if (!p.withinBudget) notes.push(`  OVER BUDGET: JS ${kb(p.js)} KB, CSS ${kb(p.css)} KB`);
      if (p.widths[375] > 375) notes.push(`  wider than the phone: ${p.widths[375]} px at 375`);
      for (const scheme of SCHEMES) {
        const found = p.axe[scheme].violations.map((v) => `${v.id} (${v.impact}, ${v.nodes}×)`);
        if (found.length) notes.push(`  axe ${scheme}: ${found.join(", ")}`);
      }
      if (p.consoleErrors.length) notes.push(`  console errors: ${p.consoleErrors.join(" | ")}`);
    }
  }
  console.log(`\n${report.label}: ${report.binary}`);
  console.log(
    table(rows, ["site", "page", "h@375", "header", "HTML", "CSS", "JS", "total", "req", "DCL", "load", "LCP", "axe L/D"]),
  );
  console.log("KB are gzipped bytes over the wire (CSS and JS with their inline part); ms on a throttled phone (median of 3).");
  console.log(notes.join("\n"));
}

const ratio = (before, after) =>
  before === null || after === null || before === undefined || after === undefined || before === 0
    ? "-"
    : `×${(after / before).toFixed(2)}`;

function printComparison(a, b) {
  const rows = [];
  const notes = [];
  const pair = (x, y, format = String) => `${format(x)} → ${format(y)} ${ratio(x, y)}`;
  for (const [site, { pages }] of Object.entries(a.sites)) {
    for (const [name, p] of Object.entries(pages)) {
      const q = b.sites[site]?.pages[name];
      if (!q) {
        notes.push(`${site} ${name}: not in ${b.label}`);
        continue;
      }
      if (p.path !== q.path) notes.push(`${site} ${name}: /${p.path} in ${a.label}, /${q.path} in ${b.label}`);
      rows.push([
        site,
        name,
        pair(p.heights[375], q.heights[375]),
        `${p.headers[375] ?? "-"} → ${q.headers[375] ?? "-"}`,
        pair(p.weight.html, q.weight.html, kb),
        pair(p.css, q.css, kb),
        pair(p.js, q.js, kb),
        pair(p.weight.total, q.weight.total, kb),
        `${p.weight.requests} → ${q.weight.requests}`,
        pair(p.throttled.load, q.throttled.load, ms),
        pair(p.throttled.lcp, q.throttled.lcp, ms),
        `${p.axe.light.count}/${p.axe.dark.count} → ${q.axe.light.count}/${q.axe.dark.count}`,
      ]);
    }
  }
  console.log(`${a.label} → ${b.label} (ratio ${b.label} / ${a.label})`);
  console.log(
    table(rows, ["site", "page", "h@375", "header", "HTML KB", "CSS KB", "JS KB", "total KB", "req", "load ms", "LCP ms", "axe L/D"]),
  );
  if (notes.length) console.log(notes.join("\n"));
}

async function readReport(out, label) {
  return JSON.parse(await readFile(join(out, label, "report.json"), "utf8"));
}

// ---------------------------------------------------------------------------------------------

async function measure(options) {
  const same = options.samePages ? await readReport(options.out, options.samePages) : null;
  const temp = await mkdtemp(join(tmpdir(), "verbatim-pages-"));
  // Other hosts do not resolve: a page that reaches out is listed, and the bench stays offline.
  const browser = await launch("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
  const report = {
    label: options.label,
    binary: options.binary,
    date: new Date().toISOString(),
    chromium: browser.version(),
    throttling: { ...SLOW_4G, cpuSlowdown: CPU_SLOWDOWN, runs: RUNS },
    sites: {},
  };
  try {
    for (const site of options.sites) {
      const root = await siteRoot(site, options, temp);
      const output = join(temp, site);
      const started = Date.now();
      const log = await run(options.binary, ["build", "--no-cache", "--root", root, "--output", output]);
      const built = { buildMs: Date.now() - started, buildLog: log.trim().split("\n").pop() };
      console.log(`${site}: ${built.buildLog}`);
      const pages = same?.sites[site]
        ? Object.fromEntries(Object.entries(same.sites[site].pages).map(([name, p]) => [name, p.path]))
        : choosePages(output, site);
      const folder = join(options.out, options.label, site);
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder, { recursive: true });
      const { server, url } = await serve(output);
      report.sites[site] = { ...built, pages: {} };
      try {
        for (const [name, path] of Object.entries(pages)) {
          const started = Date.now();
          report.sites[site].pages[name] = await measurePage(browser, url, name, path, folder);
          console.log(`  ${name} /${path} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        }
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
    await rm(temp, { recursive: true, force: true });
  }
  await mkdir(join(options.out, options.label), { recursive: true });
  await writeFile(join(options.out, options.label, "report.json"), `${JSON.stringify(report, null, 1)}\n`);
  printReport(report);
}

const options = parseArgs(process.argv.slice(2));
if (options.compare) {
  const [a, b] = await Promise.all(options.compare.map((label) => readReport(options.out, label)));
  printComparison(a, b);
} else {
  await measure(options);
}
