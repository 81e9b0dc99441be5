// Build the extension and package it into a .vsix with the docksmith binary bundled for
// this platform (server/<platform>-<arch>/docksmith).
//
//   node scripts/package.mjs [--binary PATH] [--out FILE.vsix] [--no-binary]
//
// The binary defaults to $DOCKSMITH_BINARY, then <repo>/target/release/docksmith.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.resolve(here, "../..");
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const exe = process.platform === "win32" ? "docksmith.exe" : "docksmith";
const binary = opt("--binary") ?? process.env.DOCKSMITH_BINARY ?? path.join(repo, "target", "release", exe);
const pkg = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"));
const out = path.resolve(opt("--out") ?? path.join(here, `${pkg.name}-${pkg.version}.vsix`));

const run = (cmd, argv) => execFileSync(cmd, argv, { cwd: here, stdio: "inherit" });
const bin = (name) => path.join(repo, "node_modules", ".bin", name);

run(bin("esbuild"), [
  "src/extension.ts", "--bundle", "--outfile=dist/extension.js", "--external:vscode",
  "--format=cjs", "--platform=node", "--target=node20", "--minify-syntax",
]);

const serverDir = path.join(here, "server");
fs.rmSync(serverDir, { recursive: true, force: true });
if (!args.includes("--no-binary")) {
  if (!fs.existsSync(binary)) {
    console.error(`package: no docksmith binary at ${binary}; build it (cargo build --release) or pass --binary PATH`);
    process.exit(1);
  }
  const dest = path.join(serverDir, `${process.platform}-${process.arch}`, exe);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(binary, dest);
  fs.chmodSync(dest, 0o755);
  console.log(`package: bundled ${binary} as ${path.relative(here, dest)}`);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
run(bin("vsce"), ["package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "-o", out]);
console.log(`package: wrote ${out}`);
