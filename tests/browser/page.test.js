// The live design page in a real browser (Debian's Chromium, driven by playwright-core) against the
// real server. Screenshots go to test-artifacts/ at the project root.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { startServer, token } from "../../clients/js/test/server.js";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "..", "..", "test-artifacts");
mkdirSync(artifacts, { recursive: true });
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function open(session, { width = 1400, height = 1100 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  // The token rides in the fragment, which the browser never sends to the server.
  await page.goto(`${server.url}/?session=${session}#token=${token("page-user")}`);
  await page.waitForSelector('#connection[data-state="open"]');
  // ...and the page keeps it out of its address (and so out of history and of shared links).
  assert.ok(!page.url().includes("token"), page.url());
  await page.waitForSelector('#status[data-status="SUCCESS"], #status[data-status="FAIL"]');
  return { page, context, problems };
}

const text = (page, selector) => page.locator(selector).innerText();

test("a 10 000-row upload never blocks the page, and bad CSV is named precisely", async () => {
  const { page, problems } = await open("browser-batch-big");
  // Long tasks (over 50 ms) are recorded from here on.
  await page.evaluate(() => {
    window.longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longest = Math.max(window.longest, e.duration);
    }).observe({ type: "longtask", buffered: false });
  });
  // Semicolons, headers in capitals and an alias, a decimal comma.
  const rows = ["ID;B;DEPTH;MU;Vu"];
  for (let i = 0; i < 10_000; i++) rows.push(`B${i};300;500;${60 + (i % 150)},5;80`);
  // From a file on disk, as a user picks it: a buffer would be copied into the page by the test's
  // own script, in one long task of its own.
  const { writeFileSync } = await import("node:fs");
  const big = join(artifacts, "big.csv");
  writeFileSync(big, rows.join("\n"));
  await page.setInputFiles("#batch-file", big);
  await page.waitForSelector("#batch-run:not([disabled])");
  assert.match(await text(page, "#batch-status"), /10000 beams ready/);
  await page.click("#batch-run");
  await page.waitForFunction(() => document.querySelector("#batch-progress").value === 100, null, { timeout: 60_000 });
  await page.waitForSelector("#batch-download:not([hidden])");
  // The table shows a page of 100 rows; the pager walks through all 10 000.
  await page.waitForFunction(() => document.querySelector("#batch-rows").textContent === "Rows 1–100 of 10000");
  const longest = await page.evaluate(() => window.longest);
  assert.ok(longest < 100, `the longest task took ${longest} ms`);
  assert.equal(await page.locator("#batch-table tbody tr").count(), 100);
  await page.click("#batch-next");
  assert.equal(await text(page, "#batch-rows"), "Rows 101–200 of 10000");
  assert.equal(await page.locator("#batch-table tbody tr").count(), 100);
  assert.equal(await page.locator("#batch-prev").isDisabled(), false);
  // Bad files are refused with the line and the reason, before anything is sent.
  const bad = async (name, body) => {
    await page.setInputFiles("#batch-file", { name, mimeType: "text/csv", buffer: Buffer.from(body) });
    await page.waitForFunction((n) => document.querySelector("#batch-status").textContent.includes(n), name);
    return text(page, "#batch-status");
  };
  assert.match(await bad("typo.csv", "width,dpeth,Mu\n300,500,100\n"), /unknown column "dpeth"; did you mean "depth"\?/);
  assert.match(await bad("ragged.csv", "width,depth,Mu\n300,500,100\n300,500\n"), /line 3 has 2 cells where the header has 3/);
  assert.match(await bad("shape.json", '{"rows": []}'), /array of beams/);
  assert.equal(await page.locator("#batch-run").isDisabled(), true);
  assert.deepEqual(problems, []);
});

test("a change to a field is designed and shown at once", async () => {
  const { page, problems } = await open("browser-one");
  // The span is part of the beam: the deflection check is there.
  await page.waitForSelector("#checks li:nth-child(3)");
  assert.match(await text(page, "#checks"), /deflection/);
  const before = await text(page, "#bars");
  await page.fill("#f-Mu", "320");
  await page.waitForFunction((old) => document.querySelector("#bars").textContent !== old, before);
  assert.notEqual(await text(page, "#bars"), before);
  assert.match(await text(page, "#status"), /utilization/);
  // The cross-section draws the bars provided.
  const bars = await page.locator("#section circle").count();
  assert.ok(bars >= 4, `${bars} bars drawn`);
  // An impossible section shows what to change.
  await page.fill("#f-Vu", "700");
  await page.waitForSelector('#status[data-status="FAIL"]');
  assert.match(await text(page, "#failed"), /increase/);
  // Keyboard: Tab reaches the fields, arrows move a slider, and the design follows.
  await page.fill("#f-Vu", "100");
  await page.waitForSelector('#status[data-status="SUCCESS"]');
  await page.focus('[data-name="depth"] input[type="range"]');
  const d0 = await page.inputValue("#f-depth");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((v) => document.querySelector("#f-depth").value !== v, d0);
  await page.screenshot({ path: join(artifacts, "page-design.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("a T beam draws its flange to scale, and a hogging moment puts the tension bars at the top", async () => {
  const { page, problems } = await open("browser-flange");
  assert.equal(await page.locator("#f-flange_thickness").isVisible(), false);
  await page.selectOption("#f-section", "T");
  await page.waitForSelector("#section path[data-flange]");
  // The span (6 m) fixes the effective width: 6000/6 + 300 + 6·120 = 2020 mm.
  assert.equal(await page.locator("#section path[data-flange]").getAttribute("data-flange"), "2020");
  assert.match(await page.locator("#section").getAttribute("aria-label"), /flange 2020 by 120 mm/);
  // Hogging: the red (tension) bars are drawn near the top face.
  await page.fill("#f-Mu", "-200");
  // The label names the tension bars first: "… top, … bottom, stirrups …" once hogging.
  await page.waitForFunction(() => / bottom, stirrups/.test(document.querySelector("#section").getAttribute("aria-label")));
  const redY = await page.$$eval('#section circle[fill="#c62828"]', (cs) => cs.map((c) => Number(c.getAttribute("cy"))));
  const depth = Number(await page.inputValue("#f-depth"));
  assert.ok(redY.length > 0 && redY.every((y) => y < depth / 2), `tension bars at ${redY}`);
  await page.screenshot({ path: join(artifacts, "page-flange-hogging.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("the calculation downloads as PDF and as HTML, and the HTML renders with nothing fetched", async () => {
  const { page, context, problems } = await open("browser-report");
  const [pdf] = await Promise.all([page.waitForEvent("download"), page.click("#report-pdf")]);
  assert.match(pdf.suggestedFilename(), /calculation\.pdf$/);
  const pdfPath = join(artifacts, "report.pdf");
  await pdf.saveAs(pdfPath);
  const { readFileSync } = await import("node:fs");
  assert.equal(readFileSync(pdfPath).subarray(0, 5).toString(), "%PDF-");
  const [html] = await Promise.all([page.waitForEvent("download"), page.click("#report-html")]);
  const htmlPath = join(artifacts, "report.html");
  await html.saveAs(htmlPath);
  // Open the report as a page of its own: every request it makes is recorded, and there must be none.
  const reader = await context.newPage();
  const requests = [];
  reader.on("request", (r) => requests.push(r.url()));
  await reader.setContent(readFileSync(htmlPath, "utf8"), { waitUntil: "load" });
  assert.deepEqual(requests, []);
  assert.equal(await reader.locator("svg circle").count() >= 4, true);
  assert.match(await reader.locator("body").innerText(), /IS 456 Cl 38\.1/);
  const shot = await reader.screenshot({ path: join(artifacts, "report-html.png"), fullPage: true });
  assert.ok(shot.length > 20_000, `${shot.length} bytes`);
  assert.deepEqual(problems, []);
});

test("an invitation link opens the session for someone without a token, and nothing else", async () => {
  const { page, problems } = await open("browser-invite");
  page.on("dialog", (d) => d.dismiss());
  await page.click("#share");
  await page.waitForFunction(() => document.querySelector("#share").dataset.link);
  const link = await page.locator("#share").getAttribute("data-link");
  assert.match(link, /\?session=browser-invite#token=/);
  // The guest: a fresh browser context with no token of its own.
  const guest = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const other = await guest.newPage();
  await other.goto(link);
  await other.waitForSelector('#connection[data-state="open"]');
  assert.ok(!other.url().includes("token"), other.url());
  await page.fill("#f-Mu", "210");
  await other.waitForFunction(() => document.querySelector("#f-Mu").value === "210");
  // The invitation opens nothing but its session.
  const token = new URL(link).hash.slice("#token=".length);
  const denied = await other.evaluate(async (t) => {
    const r = await fetch("/api/v1/design/beam", { method: "POST", headers: { authorization: `Bearer ${t}`,
      "content-type": "application/json" }, body: JSON.stringify({ width: 300, depth: 500, Mu: 100 }) });
    return [r.status, (await r.json()).code];
  }, token);
  assert.deepEqual(denied, [403, "invitation_only"]);
  await guest.close();
  assert.deepEqual(problems, []);
});

test("detailing preferences reach the design, and the numbers behind each check are one click away", async () => {
  const { page, problems } = await open("browser-detailing");
  await page.selectOption("#f-stirrup_dia", "10");
  await page.waitForFunction(() => /10φ/.test(document.querySelector("#stirrups").textContent));
  await page.selectOption("#f-main_bar_dia", "16");
  await page.waitForFunction(() => /16φ/.test(document.querySelector("#bars").textContent));
  await page.click("#details summary");
  const details = await text(page, "#details-list");
  assert.match(details, /τv [0-9.]+, τc [0-9.]+/);
  assert.match(details, /Mu,cap [0-9.]+ kN·m/);
  assert.match(details, /Crack width\s+[0-9.]+ mm/);
  assert.deepEqual(problems, []);
});

test("a result that no longer matches the form is marked stale, with the error beside the field", async () => {
  const { page, problems } = await open("browser-stale");
  await page.fill("#f-width", "50");
  await page.waitForSelector('#status[data-status="STALE"]');
  assert.equal(await page.locator("#section").getAttribute("data-stale"), "true");
  const note = await page.locator('[data-name="width"] .field-error').innerText();
  assert.match(note, /between 100 and 3000/);
  assert.equal(await page.locator("#f-width").getAttribute("aria-invalid"), "true");
  // An empty moment is an error of its own field too.
  await page.fill("#f-width", "300");
  await page.waitForSelector('#status[data-status="SUCCESS"]');
  assert.equal(await page.locator(".field-error").count(), 0);
  await page.fill("#f-Mu", "");
  await page.waitForSelector('[data-name="Mu"] .field-error');
  assert.match(await page.locator('[data-name="Mu"] .field-error').innerText(), /required/);
  await page.screenshot({ path: join(artifacts, "page-stale.png"), fullPage: true });
  // The console errors of the rejected designs are expected here; nothing else.
  assert.ok(problems.every((p) => /invalid beam|validation/i.test(p)), problems.join("\n"));
});

test("two browsers on one session link see each other's changes live", async () => {
  const a = await open("browser-shared");
  const b = await open("browser-shared");
  await a.page.waitForFunction(() => document.querySelector("#members").textContent.startsWith("2"));
  await a.page.fill("#f-depth", "650");
  await b.page.waitForFunction(() => document.querySelector("#f-depth").value === "650");
  await b.page.waitForFunction(() => document.querySelector("#d").textContent.startsWith("5") || document.querySelector("#d").textContent.startsWith("6"));
  assert.equal(await text(a.page, "#bars"), await text(b.page, "#bars"));
  await b.page.fill("#f-Mu", "90");
  await a.page.waitForFunction(() => document.querySelector("#f-Mu").value === "90");
  await a.page.screenshot({ path: join(artifacts, "page-shared-a.png") });
  await b.page.screenshot({ path: join(artifacts, "page-shared-b.png") });
  await b.context.close();
  await a.page.waitForFunction(() => document.querySelector("#members").textContent.startsWith("1"));
  assert.deepEqual([...a.problems, ...b.problems], []);
});

test("a batch upload reaches 100 % and fills the table", async () => {
  const { page, problems } = await open("browser-batch");
  const rows = ["id,width,depth,Mu,Vu,span"];
  for (let i = 0; i < 300; i++) rows.push(`B${i},${i === 17 ? 40 : 300},500,${60 + (i % 120)},80,6000`);
  await page.setInputFiles("#batch-file", { name: "beams.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
  await page.waitForSelector("#batch-run:not([disabled])");
  await page.click("#batch-run");
  await page.waitForFunction(() => document.querySelector("#batch-progress").value === 100);
  await page.waitForSelector("#batch-download:not([hidden])");
  await page.waitForFunction(() => document.querySelector("#batch-rows").textContent === "Rows 1–100 of 300");
  assert.equal(await page.locator("#batch-table tbody tr").count(), 100);
  assert.equal(await page.locator('#batch-table tbody tr[data-status="INVALID"]').count(), 1);
  // The invalid row names its beam and the line of the file it came from.
  assert.match(await text(page, '#batch-table tbody tr[data-status="INVALID"]'), /B17[\s\S]*line 19: width/);
  assert.match(await text(page, "#batch-status"), /1 invalid/);
  const download = page.waitForEvent("download");
  await page.click("#batch-download");
  assert.match((await download).suggestedFilename(), /^job_[0-9a-f]+\.csv$/);
  await page.screenshot({ path: join(artifacts, "page-batch.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("an ETABS export in the batch panel is imported, designed and drawn", async () => {
  const { readFileSync } = await import("node:fs");
  const example = readFileSync(join(here, "..", "..", "docs", "examples", "etabs-two-storey.csv"));
  const { page, problems } = await open("browser-etabs");
  await page.setInputFiles("#batch-file", { name: "frame.csv", mimeType: "text/csv", buffer: example });
  await page.waitForSelector("#batch-run:not([disabled])");
  assert.match(await text(page, "#batch-status"), /6 members ready from frame\.csv \(10 beam lines/);
  await page.click("#batch-run");
  await page.waitForFunction(() => document.querySelector("#batch-progress").value === 100);
  await page.waitForSelector("#batch-drawings:not([hidden])");
  await page.waitForFunction(() => document.querySelectorAll("#batch-table tbody tr").length === 6);
  const download = page.waitForEvent("download");
  await page.click("#batch-drawings");
  const file = await download;
  assert.match(file.suggestedFilename(), /^job_[0-9a-f]+-drawings\.dxf$/);
  const { readFile } = await import("node:fs/promises");
  const dxf = await readFile(await file.path(), "utf8");
  assert.match(dxf, /\nBEAM SCHEDULE\n/);
  // A table that cannot be read says where.
  const broken = example.toString().replace(",M3,", ",Moment,");
  await page.setInputFiles("#batch-file", { name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from(broken) });
  await page.waitForFunction(() => document.querySelector("#batch-status").textContent.includes("broken.csv"));
  assert.match(await text(page, "#batch-status"), /broken\.csv, line 2: the table "Element Forces - Beams" has no column `M3`$/);
  assert.equal(await page.locator("#batch-run").isDisabled(), true);
  // The browser logs the refused upload itself; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !p.includes("status of 422")), []);
});

test("the page is readable on a phone", async () => {
  const { page, problems } = await open("browser-phone", { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(artifacts, "page-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("a member designed in one tab is drawn in elevation in both, with its zones and schedule", async () => {
  const a = await open("browser-member");
  const b = await open("browser-member");
  await a.page.click("#member-run");
  for (const { page } of [a, b]) {
    await page.waitForSelector('#member-status[data-status="SUCCESS"]');
    // Three supports, bars with marks, stirrup zones, all in the elevation.
    assert.equal(await page.locator('#elevation [data-part="support"]').count(), 3);
    assert.ok((await page.locator('#elevation [data-part="bar"]').count()) >= 4);
    assert.ok((await page.locator('#elevation [data-part="stirrup-zone"]').count()) >= 2);
    assert.equal(await page.locator("#member-zones tbody tr").count(), 6);
    assert.match(await text(page, "#member-schedule"), /kg/);
  }
  // The member's calculation downloads as a PDF.
  const [download] = await Promise.all([a.page.waitForEvent("download"), a.page.click("#member-report")]);
  assert.equal(download.suggestedFilename(), "B12-calculation.pdf");
  // To scale along the length: two equal spans put the middle support in the middle of the drawing.
  const xs = await a.page.$$eval('#elevation [data-part="support"]', (rects) =>
    rects.map((r) => Number(r.getAttribute("x")) + Number(r.getAttribute("width")) / 2));
  assert.ok(Math.abs(xs[1] - (xs[0] + xs[2]) / 2) < 1, `${xs}`);
  await a.page.screenshot({ path: join(artifacts, "member.png"), fullPage: true });
  // Bad JSON, and an invalid member, are told and the drawing is marked stale.
  await a.page.fill("#member-json", "{oops");
  await a.page.click("#member-run");
  await a.page.waitForSelector('#member-status[data-status="stale"]');
  assert.match(await text(a.page, "#member-error"), /not valid JSON/);
  await a.page.fill("#member-json", JSON.stringify({ section: { width: 300, depth: 500 }, spans: [{ length: -1 }], stations: [] }));
  await a.page.click("#member-run");
  await a.page.waitForFunction(() => /spans\[0\]\.length/.test(document.getElementById("member-error").textContent));
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
  await a.context.close();
  await b.context.close();
});
