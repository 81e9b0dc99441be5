// Unit tests of the server lookup (src/server.ts): setting, then bundled binary, then PATH;
// a setting that points nowhere is reported, not silently replaced.
//   node --test editors/vscode/test/
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "docksmith-vscode-test-"));
const out = path.join(tmp, "server.cjs");
buildSync({ entryPoints: [path.join(here, "../src/server.ts")], bundle: true, platform: "node", format: "cjs", outfile: out, logLevel: "silent" });
const { findServer, platformDir } = createRequire(import.meta.url)(out);

function exe(p) {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, "#!/bin/sh\n");
  fs.chmodSync(p, 0o755);
  return p;
}

const ext = path.join(tmp, "ext");
const bin = path.join(tmp, "bin");
const onPath = exe(path.join(bin, "docksmith"));
const notExecutable = path.join(tmp, "plain", "docksmith");
fs.mkdirSync(path.dirname(notExecutable), { recursive: true });
fs.writeFileSync(notExecutable, "");

test("PATH when nothing is bundled or configured", () => {
  assert.deepEqual(findServer("", ext, undefined, bin), { path: onPath, source: "PATH" });
});

test("the bundled binary before PATH", () => {
  const bundled = exe(path.join(ext, "server", platformDir(), "docksmith"));
  assert.deepEqual(findServer(undefined, ext, undefined, bin), { path: bundled, source: "bundled" });
  fs.rmSync(path.join(ext, "server"), { recursive: true });
});

test("the setting before everything, relative to the workspace folder", () => {
  exe(path.join(ext, "server", platformDir(), "docksmith"));
  const ws = path.join(tmp, "ws");
  const mine = exe(path.join(ws, "tools", "docksmith"));
  assert.deepEqual(findServer("tools/docksmith", ext, ws, bin), { path: mine, source: "setting" });
  assert.deepEqual(findServer(mine, ext, undefined, bin), { path: mine, source: "setting" });
  fs.rmSync(path.join(ext, "server"), { recursive: true });
});

test("a setting that is not an executable file is an error of its own", () => {
  const r = findServer(notExecutable, ext, undefined, bin);
  assert.equal(r.badSetting, notExecutable);
  assert.match(r.tried[0], /not an executable file/);
});

test("nothing found: what was tried", () => {
  const r = findServer("", ext, undefined, path.join(tmp, "empty"));
  assert.equal(r.path, undefined);
  assert.equal(r.tried.length, 2);
  assert.match(r.tried[0], /bundled: .*server/);
  assert.match(r.tried[1], /PATH: no docksmith/);
});
