// What a browser downloads to answer one search on a built site: every response of the search
// page for `?q=WORD`, in headless Chromium, split into the page itself (HTML, CSS, scripts of the
// theme) and the search (everything under pagefind/: the library, its WebAssembly, the index
// chunks, filters and the fragments of the results shown). The window is 1280 × 720 (WIDTH and
// HEIGHT change it): the search page loads the results in and near view, not the whole first
// five.
//
//   node bench/search_bytes.mjs PUBLIC_DIR WORD [WORD…]
//
// Needs `npm ci` in tests/web (playwright-core) and Chromium (CHROMIUM=/path, default
// /usr/bin/chromium). Bytes are as sent over the wire: like any static host (GitHub Pages,
// Netlify, nginx with `gzip on`), the server gzips text (HTML, CSS, scripts, JSON, SVG) for a
// browser that accepts it; Pagefind's index files are gzipped already and sent as they are.
// RAW=1 sends every file uncompressed. DETAIL=1 lists every file with its size.

import { createRequire } from "node:module";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { extname, join, resolve } from "node:path";

const require = createRequire(new URL("../tests/web/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [dir, ...words] = process.argv.slice(2);
if (!dir || words.length === 0) {
  console.error("usage: node bench/search_bytes.mjs PUBLIC_DIR WORD [WORD…]");
  process.exit(2);
}
const root = resolve(dir);
const WIDTH = Number(process.env.WIDTH || 1280);
const HEIGHT = Number(process.env.HEIGHT || 720);
const compressible = new Set([".html", ".js", ".css", ".json", ".svg"]);
const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

const server = createServer(async (request, response) => {
  let path = join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
  try {
    if ((await stat(path)).isDirectory()) path = join(path, "index.html");
    let body = await readFile(path);
    const headers = { "content-type": types[extname(path)] || "application/octet-stream" };
    const gzip = /\bgzip\b/.test(request.headers["accept-encoding"] || "");
    if (gzip && !process.env.RAW && compressible.has(extname(path))) {
      body = gzipSync(body);
      headers["content-encoding"] = "gzip";
    }
    response.writeHead(200, headers);
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
for (const word of words) {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT } });
  const page = await context.newPage();
  const sizes = { page: 0, search: 0, files: 0 };
  page.on("requestfinished", async (request) => {
    // The body's size as it came over the wire, before the browser undid any gzip.
    const { responseBodySize } = await request.sizes();
    const kind = new URL(request.url()).pathname.includes("/pagefind/") ? "search" : "page";
    sizes[kind] += responseBodySize;
    sizes.files += 1;
    if (process.env.DETAIL) console.log(`  ${responseBodySize} ${new URL(request.url()).pathname}`);
  });
  const started = performance.now();
  await page.goto(`${base}search/?q=${encodeURIComponent(word)}`);
  await page.waitForFunction(() => /episode|No episode/.test(document.getElementById("search-status").textContent));
  await page.waitForLoadState("networkidle");
  const millis = Math.round(performance.now() - started);
  const results = await page.locator("#search-results > li").count();
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    `${word}: ${results} results listed in ${millis} ms; search ${kb(sizes.search)}, page ${kb(sizes.page)}, ${sizes.files} files`,
  );
  await context.close();
}
await browser.close();
server.close();
