// Drives a running code-server in Debian's chromium (playwright-core) and checks what a
// user sees with the Docksmith extension: a diagnostic in the Problems panel, hover on
// ENTRYPOINT, a quick fix, and Format Document. Run by tests/e2e/vscode.sh.
//
//   node drive.mjs --url URL --workspace DIR --artifacts DIR [--docs-image PNG]
//
// What to expect is data: tests/vscode/expect.json (checks that depend on features not yet
// built are marked "enabled": false there; they run and report, but do not fail).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const url = arg("--url");
const workspace = arg("--workspace");
const artifacts = arg("--artifacts");
const docsImage = arg("--docs-image");
const expect = JSON.parse(fs.readFileSync(path.join(here, "expect.json"), "utf8"));
const docksmith = arg("--docksmith", path.resolve(here, "../../target/release/docksmith"));
if (!url || !workspace || !artifacts) {
  console.error("usage: drive.mjs --url URL --workspace DIR --artifacts DIR [--docs-image PNG]");
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });
const file = path.join(workspace, expect.file);
const STEP_MS = 60_000;

const results = [];
let shot = 0;
const log = (...m) => console.log("drive:", ...m);

async function screenshot(page, name) {
  shot += 1;
  const p = path.join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: p }).catch((e) => log(`screenshot ${name}: ${e}`));
  return p;
}

/** Run one check; a failure of an enabled check fails the run. A check not enabled yet
 * runs with short waits and only reports. */
async function check(page, name, enabled, fn) {
  const t0 = Date.now();
  page.setDefaultTimeout(enabled ? STEP_MS : 8_000);
  try {
    const detail = await fn();
    results.push({ name, ok: true, enabled, detail, ms: Date.now() - t0 });
    log(`ok   ${name} (${Date.now() - t0} ms)${detail ? `: ${detail}` : ""}`);
  } catch (e) {
    results.push({ name, ok: false, enabled, detail: String(e?.message ?? e), ms: Date.now() - t0 });
    log(`${enabled ? "FAIL" : "skip"} ${name}${enabled ? "" : " (not enabled yet)"}: ${String(e?.message ?? e).split("\n")[0]}`);
  }
  await screenshot(page, name.replace(/[^a-z0-9]+/gi, "-").toLowerCase());
  await page.keyboard.press("Escape").catch(() => {});
  page.setDefaultTimeout(STEP_MS);
}

/** The screenshot for docs/editors.md: written when missing, or when UPDATE_DOCS_IMAGES=1
 * (so that a test run does not modify a tracked file). */
async function docsShot(page) {
  if (docsImage && (!fs.existsSync(docsImage) || process.env.UPDATE_DOCS_IMAGES === "1")) {
    fs.mkdirSync(path.dirname(docsImage), { recursive: true });
    await page.screenshot({ path: docsImage });
  }
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: STEP_MS });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: STEP_MS });
  await page.keyboard.press("Enter");
}

async function goTo(page, line, column) {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: STEP_MS });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
}

/** Save the editor and return the file's text from disk. */
async function saveAndRead(page) {
  await page.keyboard.press("Control+S");
  await page.waitForTimeout(800);
  return fs.readFileSync(file, "utf8");
}

async function waitForDisk(page, pred, what) {
  const end = Date.now() + STEP_MS;
  let text = "";
  while (Date.now() < end) {
    text = await saveAndRead(page);
    if (pred(text)) {
      return text;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`${what}; the file reads:\n${text}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
  ],
});
let failed = false;
try {
  // A fresh, throw-away profile.
  const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  log(`opening ${url}`);
  await page.goto(url, { waitUntil: "domcontentloaded", timeout: STEP_MS });
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 120_000 });
  // The explorer shows the workspace once VS Code has started.
  await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ timeout: 120_000 });
  await screenshot(page, "workbench");

  await check(page, "open the Dockerfile", true, async () => {
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(expect.file);
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: expect.file }).first().waitFor();
    await page.keyboard.press("Enter");
    await page.locator(".monaco-editor .view-lines").first().waitFor();
    await page.locator(".view-lines", { hasText: "ENTRYPOINT" }).first().waitFor();
    // The language mode shown in the status bar is ours (or the built-in one we extend).
    const mode = await page.locator(".statusbar-item[id='status.editor.mode']").innerText();
    if (!/docker|containerfile/i.test(mode)) {
      throw new Error(`language mode is ${mode}`);
    }
    return `language mode ${mode.trim()}`;
  });

  await check(page, "diagnostic in the Problems panel", true, async () => {
    await runCommand(page, "View: Focus Problems");
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: expect.diagnostic.message }).first();
    await row.waitFor({ state: "visible" });
    const text = (await row.innerText()).replace(/\s+/g, " ");
    if (expect.diagnostic.source && !text.includes(expect.diagnostic.source)) {
      throw new Error(`problem row "${text}" does not name the source ${expect.diagnostic.source}`);
    }
    await docsShot(page);
    return text;
  });

  await check(page, "hover on ENTRYPOINT", expect.hover.enabled, async () => {
    // Back to the editor.
    await page.locator(".monaco-editor .view-lines").first().click();
    const token = page.locator(".view-lines span span", { hasText: /^ENTRYPOINT$/ }).first();
    await token.waitFor();
    const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: new RegExp(expect.hover.text) });
    // Hovers appear after a delay; move in and out until one shows.
    for (let i = 0; i < (expect.hover.enabled ? 10 : 2); i++) {
      await token.hover();
      try {
        await hover.first().waitFor({ state: "visible", timeout: 3000 });
        break;
      } catch {
        await page.mouse.move(5, 5);
      }
    }
    await hover.first().waitFor({ state: "visible", timeout: 5000 });
    // Problems panel and hover in one picture.
    await docsShot(page);
    return (await hover.first().innerText()).split("\n").slice(0, 2).join(" | ");
  });

  await check(page, "quick fix", expect.quickFix.enabled, async () => {
    const before = fs.readFileSync(file, "utf8");
    await page.locator(".monaco-editor .view-lines").first().click();
    await goTo(page, expect.quickFix.line, expect.quickFix.column);
    await page.keyboard.press("Control+.");
    const want = new RegExp(expect.quickFix.title);
    const item = page.locator(".action-widget .monaco-list-row", { hasText: want }).first();
    await item.waitFor({ state: "visible" });
    const title = (await item.innerText()).trim();
    // Choose it with the keyboard, as a user does: move down until it has the focus.
    for (let i = 0; i < 10; i++) {
      const focused = page.locator(".action-widget .monaco-list-row.focused").first();
      if (want.test(await focused.innerText().catch(() => ""))) {
        break;
      }
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    const after = await waitForDisk(page, (t) => t !== before && t.includes(expect.quickFix.expect), `the quick fix did not produce ${JSON.stringify(expect.quickFix.expect)}`);
    return `${title}: ${after.split("\n").find((l) => l.includes(expect.quickFix.expect))}`;
  });

  await check(page, "Build Stage... command", expect.buildStage.enabled, async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    await runCommand(page, "Docksmith: Build Stage...");
    const item = page.locator(".quick-input-widget .monaco-list-row", { hasText: expect.buildStage.stage }).first();
    await item.waitFor({ state: "visible" });
    await item.click();
    // A terminal named after the target runs docker build --target.
    const tab = page.locator(".terminal-tabs-entry, .single-terminal-tab, .pane-header, .panel .tabs-container", {
      hasText: `build ${expect.buildStage.stage}`,
    });
    await tab.first().waitFor({ state: "visible" });
    return `terminal "Docksmith: build ${expect.buildStage.stage}" opened`;
  });

  await check(page, "code lens Build this stage", expect.buildStage.enabled, async () => {
    // The server's lens above FROM runs the extension's docksmith.buildStage command.
    await page.locator(".monaco-editor .view-lines").first().click();
    const lens = page.locator(".monaco-editor .codelens-decoration a", { hasText: "Build this stage" }).first();
    await lens.waitFor({ state: "visible" });
    await lens.click();
    const tab = page.locator(".terminal-tabs-entry, .single-terminal-tab, .pane-header, .panel .tabs-container", {
      hasText: `build ${expect.buildStage.stage}`,
    });
    await tab.first().waitFor({ state: "visible" });
    return `terminal "Docksmith: build ${expect.buildStage.stage}" opened from the lens`;
  });

  await check(page, "Format Document", true, async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    const before = await saveAndRead(page);
    // What the server's formatter makes of the file, by the CLI on the same text.
    const want = execFileSync(docksmith, ["fmt", "-"], { input: before, encoding: "utf8" });
    if (want === before) {
      throw new Error("the fixture is already formatted: nothing to test");
    }
    await runCommand(page, "Format Document");
    await waitForDisk(page, (t) => t === want, `Format Document did not give the formatted text:\n${want}`);
    return `${before.split("\n").length} lines reformatted as docksmith fmt does`;
  });

  await check(page, "format on type", true, async () => {
    // Enter after a line continuation: the server indents the new line (onTypeFormatting).
    await page.locator(".monaco-editor .view-lines").first().click();
    const [prefix, text] = expect.onType.after;
    const line = fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.startsWith(prefix)) + 1;
    if (line === 0) {
      throw new Error(`no line starts with ${JSON.stringify(prefix)}`);
    }
    await goTo(page, line, 1);
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.waitForTimeout(500);
    await page.keyboard.type(text, { delay: 50 });
    const after = await waitForDisk(page, (t) => t.includes(expect.onType.expect), `format on type did not give ${JSON.stringify(expect.onType.expect)}`);
    return JSON.stringify(after.split("\n").slice(line - 1, line + 2).join("\n"));
  });
} catch (e) {
  failed = true;
  log(`error: ${e?.stack ?? e}`);
} finally {
  await browser.close().catch(() => {});
}

fs.writeFileSync(path.join(artifacts, "results.json"), JSON.stringify(results, null, 2));
const bad = results.filter((r) => r.enabled && !r.ok);
const passed = results.filter((r) => r.ok).length;
const skipped = results.filter((r) => !r.enabled && !r.ok).length;
log(`${passed} passed, ${bad.length} failed, ${skipped} not enabled yet`);
if (failed || bad.length > 0 || results.length === 0) {
  process.exit(1);
}
