// What the browser tests share: where the binary and Chromium are, and how Chromium is started.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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
