// Opens pages saved as HTML in headless Chromium, takes a full-page
// screenshot of each at each width, runs axe-core on it and prints the
// outcome as JSON on standard output. Run by TestBrowser:
//
//   NODE_PATH=DIR/node_modules node browser.cjs CHROMIUM OUTDIR WIDTHS PAGE.html...
//
// WIDTHS is a comma-separated list (375,1280).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function main() {
  const [chromePath, outDir, widthList, ...pages] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lofte-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath,
    headless: true,
    javaScriptEnabled: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const result = [];
  try {
    for (const page of pages) {
      for (const w of widthList.split(",").map(Number)) {
        const tab = await context.newPage();
        await tab.setViewportSize({ width: w, height: 800 });
        await tab.goto("file://" + path.resolve(page), { waitUntil: "load" });
        const shot = path.join(outDir, `${path.basename(page, ".html")}-${w}.png`);
        await tab.screenshot({ path: shot, fullPage: true });
        const layout = await tab.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          lang: document.documentElement.lang,
          headings: [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => Number(h.tagName[1])),
        }));
        await tab.addScriptTag({ content: axeSource });
        const violations = await tab.evaluate(async () => {
          const r = await window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
            resultTypes: ["violations"],
          });
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
          }));
        });
        result.push({ page: path.basename(page, ".html"), width: w, screenshot: shot, layout, violations });
        await tab.close();
      }
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
