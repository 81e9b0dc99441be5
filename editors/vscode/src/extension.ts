// The Docksmith extension: starts `docksmith lsp`, forwards everything to it, and adds a
// few commands. No Dockerfile logic lives here: the server knows the language.
import { execFile } from "child_process";
import * as path from "path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { Found, findServer } from "./server";

let client: LanguageClient | undefined;
let serverPath: string | undefined;
let output: vscode.OutputChannel;

/** A stage as `docksmith stages --json` gives it (see docs/navigation.md). */
interface Stage {
  index: number;
  name?: string | null;
  base?: string | null;
  image?: string | null;
  /** 1-based line of the FROM. */
  line?: number;
  defaultTarget?: boolean;
  /** Whether it can be passed to --target (it has a name). */
  targetable?: boolean;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Docksmith");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("docksmith.restartServer", () => restart(context)),
    vscode.commands.registerCommand("docksmith.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("docksmith.pickStage", (uri?: vscode.Uri) => pickStage(uri)),
    vscode.commands.registerCommand("docksmith.buildStage", (arg?: BuildArgs | string, uri?: string) =>
      buildStage(arg, uri),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("docksmith.server.path")) {
        void restart(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function workspaceFolderPath(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  const folder =
    (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration("docksmith");
  const found = findServer(config.get<string>("server.path"), context.extensionPath, workspaceFolderPath());
  if (!("path" in found)) {
    serverPath = undefined;
    const lines = found.tried.map((t) => `  - ${t}`).join("\n");
    output.appendLine(`Docksmith: no language server binary found. Tried:\n${lines}`);
    const fix = found.badSetting
      ? `The setting docksmith.server.path points to ${found.badSetting}, which is not an executable file. Fix or clear the setting.`
      : "Install it (cargo install --path server/docksmith, or put docksmith on PATH) or set docksmith.server.path.";
    const choice = await vscode.window.showErrorMessage(
      `Docksmith: language server not found. ${fix}`,
      "Open Settings",
      "Show Output",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "docksmith.server.path");
    } else if (choice === "Show Output") {
      output.show(true);
    }
    return;
  }
  serverPath = found.path;
  output.appendLine(`Docksmith: starting ${found.path} (${describe(found)})`);
  const serverOptions: ServerOptions = {
    command: found.path,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "dockerfile" },
      { scheme: "untitled", language: "dockerfile" },
    ],
    initializationOptions: { docksmith: vscode.workspace.getConfiguration("docksmith") },
    synchronize: { configurationSection: "docksmith" },
    outputChannel: output,
    traceOutputChannel: vscode.window.createOutputChannel("Docksmith Trace"),
  };
  client = new LanguageClient("docksmith", "Docksmith", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    output.appendLine(`Docksmith: the server failed to start: ${String(e)}`);
    void vscode.window.showErrorMessage(
      `Docksmith: the language server (${found.path}) failed to start: ${String(e)}. See the Docksmith output.`,
      "Show Output",
    ).then((c) => c && output.show(true));
  }
}

function describe(found: Found): string {
  switch (found.source) {
    case "setting":
      return "from the setting docksmith.server.path";
    case "bundled":
      return "bundled with the extension";
    case "PATH":
      return "found on PATH";
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop();
    } catch (e) {
      output.appendLine(`Docksmith: stopping the server: ${String(e)}`);
    }
  }
  await start(context);
}

// ---- Building a stage ----------------------------------------------------------------

/** The arguments of `docksmith.buildStage`, as the "Build this stage" code lens sends
 * them: `target` (null: the default target), `dockerfile` (a URI; `uri` is accepted too). */
interface BuildArgs {
  target?: string | null;
  dockerfile?: string;
  uri?: string;
}

function dockerfileUri(uri?: vscode.Uri | string): vscode.Uri | undefined {
  if (typeof uri === "string") {
    return vscode.Uri.parse(uri);
  }
  if (uri instanceof vscode.Uri) {
    return uri;
  }
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === "dockerfile" ? doc.uri : undefined;
}

/** The stages of a Dockerfile, from the server (`docksmith.stages`) or the CLI. */
async function stagesOf(uri: vscode.Uri): Promise<Stage[]> {
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (client && commands.includes("docksmith.stages")) {
    const res = await client.sendRequest(ExecuteCommandRequest.type, {
      command: "docksmith.stages",
      arguments: [uri.toString()],
    });
    return (res as Stage[] | null) ?? [];
  }
  // The CLI reads the file on disk: save first.
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) {
    await doc.save();
  }
  if (!serverPath) {
    throw new Error("the docksmith binary was not found");
  }
  const exe = serverPath;
  return new Promise((resolve, reject) => {
    execFile(exe, ["stages", "--json", uri.fsPath], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(stderr.trim() || err.message));
        return;
      }
      try {
        const parsed = JSON.parse(stdout);
        resolve(Array.isArray(parsed) ? parsed : []);
      } catch (e) {
        reject(new Error(`unexpected output of docksmith stages --json: ${String(e)}`));
      }
    });
  });
}

async function pickStage(arg?: vscode.Uri): Promise<void> {
  const uri = dockerfileUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage("Docksmith: open a Dockerfile to build one of its stages.");
    return;
  }
  let stages: Stage[];
  try {
    stages = await stagesOf(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`Docksmith: could not list the stages: ${String(e)}`);
    return;
  }
  if (stages.length === 0) {
    void vscode.window.showWarningMessage("Docksmith: this Dockerfile has no stages (no FROM).");
    return;
  }
  const items = stages
    .filter((s) => s.targetable !== false && s.name)
    .map((s) => ({
      label: s.name as string,
      description: [s.base ?? s.image, s.defaultTarget ? "(default target)" : ""].filter(Boolean).join(" "),
      detail: s.line !== undefined ? `line ${s.line}` : undefined,
      target: s.name as string | null,
    }));
  if (!stages.some((s) => s.defaultTarget && s.name)) {
    items.push({ label: "(default target)", description: "the last stage, no --target", detail: undefined, target: null });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: "Build stage",
    placeHolder: "docker build --target ...",
  });
  if (picked) {
    buildStage({ target: picked.target, dockerfile: uri.toString() });
  }
}

/** Quote for a POSIX shell (or PowerShell, where single quotes work the same). */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** `docker build [--target <target>] -f <file> <directory of the file>` in a terminal. */
function buildStage(arg?: BuildArgs | string, uriArg?: string): void {
  const args: BuildArgs | undefined =
    typeof arg === "string" ? { target: arg, dockerfile: uriArg } : arg;
  if (!args) {
    void vscode.commands.executeCommand("docksmith.pickStage");
    return;
  }
  const uri = dockerfileUri(args.dockerfile ?? args.uri);
  if (!uri) {
    void vscode.window.showWarningMessage("Docksmith: no Dockerfile to build.");
    return;
  }
  const file = uri.fsPath;
  const dir = path.dirname(file);
  const target = args.target ? ` --target ${shellQuote(args.target)}` : "";
  const cmd = `docker build${target} -f ${shellQuote(file)} ${shellQuote(dir)}`;
  const terminal = vscode.window.createTerminal({
    name: `Docksmith: build ${args.target ?? "default target"}`,
    cwd: dir,
  });
  terminal.show();
  terminal.sendText(cmd);
}
