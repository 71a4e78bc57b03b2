// Opens an HTML report in headless Chromium, takes screenshots at the
// given widths (and of the print layout), runs axe-core on each and prints
// the outcome as JSON on standard output. Run by TestBrowser:
//
//   NODE_PATH=DIR/node_modules node browser.cjs CHROMIUM PAGE.html OUTDIR WIDTH...
//
// DIR holds playwright-core and axe-core from the npm registry (.ci/run
// installs them); CHROMIUM is Debian's /usr/bin/chromium.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function main() {
  const [chromePath, page, outDir, ...widths] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lofte-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const result = { widths: [] };
  try {
    for (const w of widths.map(Number)) {
      const tab = await context.newPage();
      await tab.setViewportSize({ width: w, height: 900 });
      await tab.goto("file://" + path.resolve(page), { waitUntil: "load" });
      const shot = path.join(outDir, `uppfoljning-${w}.png`);
      await tab.screenshot({ path: shot, fullPage: true });
      const layout = await tab.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        lang: document.documentElement.lang,
        headings: [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => Number(h.tagName[1])),
      }));
      await tab.addScriptTag({ content: axeSource });
      const axe = await tab.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
          resultTypes: ["violations"],
        });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
        }));
      });
      result.widths.push({ width: w, screenshot: shot, layout, violations: axe });
      await tab.close();
    }
    const print = await context.newPage();
    await print.goto("file://" + path.resolve(page), { waitUntil: "load" });
    await print.emulateMedia({ media: "print" });
    await print.setViewportSize({ width: 794, height: 1123 });
    result.print = path.join(outDir, "uppfoljning-print.png");
    await print.screenshot({ path: result.print, fullPage: true });
    result.pdf = path.join(outDir, "uppfoljning.pdf");
    await print.pdf({ path: result.pdf, format: "A4", printBackground: true, preferCSSPageSize: true });
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
