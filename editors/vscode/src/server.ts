// Finding the `docksmith` binary: the `docksmith.server.path` setting, then the binary
// bundled in the extension for this platform, then `docksmith` on PATH.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Found {
  path: string;
  /** Where it came from, for the output channel. */
  source: "setting" | "bundled" | "PATH";
}

export interface NotFound {
  /** What was tried, one line each. */
  tried: string[];
  /** A configured path that is not an executable file. */
  badSetting?: string;
}

const exe = process.platform === "win32" ? "docksmith.exe" : "docksmith";

/** `linux-x64`, `darwin-arm64`, `win32-x64`, ...: the folder of the bundled binary. */
export function platformDir(): string {
  return `${process.platform}-${process.arch}`;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function expandHome(p: string): string {
  if (p === "~" || p.startsWith("~/")) {
    return path.join(os.homedir(), p.slice(1));
  }
  return p;
}

export function findServer(
  setting: string | undefined,
  extensionPath: string,
  workspaceFolder: string | undefined,
  envPath: string | undefined = process.env.PATH,
): Found | NotFound {
  const tried: string[] = [];
  const configured = (setting ?? "").trim();
  if (configured) {
    let p = expandHome(configured.replace("${workspaceFolder}", workspaceFolder ?? ""));
    if (!path.isAbsolute(p) && workspaceFolder) {
      p = path.join(workspaceFolder, p);
    }
    if (isExecutable(p)) {
      return { path: p, source: "setting" };
    }
    // A setting that points nowhere is an error of its own: do not silently use another.
    return { tried: [`docksmith.server.path: ${p} (not an executable file)`], badSetting: p };
  }
  const bundled = path.join(extensionPath, "server", platformDir(), exe);
  if (isExecutable(bundled)) {
    return { path: bundled, source: "bundled" };
  }
  tried.push(`bundled: ${bundled} (none for ${platformDir()})`);
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const p = path.join(dir, exe);
    if (isExecutable(p)) {
      return { path: p, source: "PATH" };
    }
  }
  tried.push(`PATH: no ${exe} in ${envPath ?? "(PATH is empty)"}`);
  return { tried };
}
