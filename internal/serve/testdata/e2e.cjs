// Drives lofte serve in headless Chromium as the police officer would on a
// phone: signs in through the OpenID Connect provider, records a traffic
// control (first with a mistake, shown at its field), uploads a CSV file
// from Excel, follows up, and signs out; then runs axe-core on every page
// at each width. Prints what it saw as JSON. Run by TestBrowserEndToEnd:
//
//   NODE_PATH=DIR/node_modules node e2e.cjs CHROMIUM BASEURL OUTDIR CSVFILE
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function audit(tab, name, width, outDir, out) {
  const shot = path.join(outDir, `${name}-${width}.png`);
  await tab.screenshot({ path: shot, fullPage: true });
  const layout = await tab.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    lang: document.documentElement.lang,
  }));
  await tab.addScriptTag({ content: axeSource });
  const violations = await tab.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  out.pages.push({ page: name, width, url: tab.url(), layout, violations });
}

async function trafikValue(tab, base) {
  return tab.evaluate(async (base) => {
    const rep = await (await fetch(base + "/api/status")).json();
    for (const ev of rep.evaluations) for (const c of ev.commitments) if (c.id === "trafik") return c.windows[0].value;
    return null;
  }, base);
}

async function main() {
  const [chromePath, base, outDir, csvFile] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lofte-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath, headless: true, bypassCSP: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const out = { pages: [], steps: {} };
  try {
    const tab = await context.newPage();
    await tab.setViewportSize({ width: 375, height: 812 });
    await tab.goto(base + "/");
    out.steps.before = await trafikValue(tab, base);

    // Sign in: the form sends to the chooser of the two organisations.
    await tab.goto(base + "/registrera/trafikkontroll");
    out.steps.chooserURL = tab.url();
    await audit(tab, "logga-in", 375, outDir, out);
    await tab.getByRole("link", { name: "Polisen" }).click();
    await tab.waitForURL((u) => u.pathname === "/registrera/trafikkontroll");
    await audit(tab, "trafikkontroll", 375, outDir, out);

    // A mistake: the count in words. The error is at its field.
    await tab.locator('input[name="form"][value="civil"]').check();
    const by = tab.locator('input[name="by"][value="polisen"]');
    if (await by.count()) await by.check();
    await tab.locator('input[name="plats"]').fill("Väg 47 vid Mullsjö");
    await tab.locator('input[name="antal"]').fill("många");
    await tab.getByRole("button", { name: "Spara" }).click();
    await tab.waitForLoadState("load");
    const antal = tab.locator('input[name="antal"]');
    const describedBy = await antal.getAttribute("aria-describedby");
    out.steps.error = {
      invalid: await antal.getAttribute("aria-invalid"),
      message: describedBy ? await tab.evaluate((ids) => ids.split(/\s+/).map((id) => document.getElementById(id)?.innerText || "").join(" "), describedBy) : "",
      kept: await tab.locator('input[name="plats"]').inputValue(),
    };
    await audit(tab, "trafikkontroll-fel", 375, outDir, out);

    // Put right and saved: a commit, and the status moves on.
    await antal.fill("3");
    await tab.getByRole("button", { name: "Spara" }).click();
    await tab.waitForURL((u) => u.pathname.endsWith("/klart"));
    out.steps.saved = await tab.locator("main").innerText();
    await audit(tab, "sparat", 375, outDir, out);
    out.steps.after = await trafikValue(tab, base);

    // An upload from Excel: previewed, then saved as one commit.
    await tab.goto(base + "/ladda-upp");
    await tab.locator('input[type="file"]').setInputFiles(csvFile);
    await tab.getByRole("button", { name: "Förhandsgranska" }).click();
    await tab.waitForLoadState("load");
    await audit(tab, "forhandsgranskning", 375, outDir, out);
    await tab.getByRole("button", { name: "Spara alla rader" }).click();
    await tab.waitForLoadState("load");
    out.steps.uploaded = await tab.locator("main").innerText();
    out.steps.afterUpload = await trafikValue(tab, base);

    // Every page at both widths.
    for (const [name, p] of [["start", "/"], ["registrera", "/registrera"], ["mina", "/mina"], ["ladda-upp", "/ladda-upp"],
      ["bedomning", "/registrera/assessment"], ["logga-ut", "/auth/logout"]]) {
      for (const w of [375, 1280]) {
        await tab.setViewportSize({ width: w, height: 812 });
        await tab.goto(base + p);
        await audit(tab, name, w, outDir, out);
      }
    }
    out.steps.mina = await (await tab.goto(base + "/mina")) && await tab.locator("main").innerText();

    // Sign out: the forms ask for sign-in again.
    await tab.goto(base + "/auth/logout");
    await tab.getByRole("button", { name: "Logga ut" }).click();
    await tab.waitForLoadState("load");
    await tab.goto(base + "/mina");
    out.steps.afterLogout = tab.url();
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + "\n");
  process.exit(1);
});
