//! One measured session: one server, one generated Dockerfile.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::args::{Options, ServerSpec};
use crate::machine::{load_average, tree_peak_rss_kib};
use crate::rpc::{Failure, Server};

/// How a measurement ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Every planned sample taken (or the time budget ran out after at least one).
    Done,
    /// The server does not advertise the feature.
    NotAdvertised,
    /// A wait ran past its limit; later samples were not attempted.
    Timeout(Duration),
    /// The server closed its output (exited or crashed) before answering.
    Crashed,
    /// Every answer was a JSON-RPC error; the first one's message.
    Error(String),
    /// Not attempted because an earlier step failed.
    Skipped,
}

/// The samples of one figure.
#[derive(Debug, Clone)]
pub struct Measure {
    pub status: Status,
    pub samples: Vec<Duration>,
    pub planned: usize,
    /// Every successful answer was empty (null, `[]`, no items, no tokens, no diagnostics).
    pub all_empty: bool,
    /// Answers that were JSON-RPC errors (not counted as samples).
    pub errors: usize,
    /// A short fact about the answers, e.g. the number of diagnostics.
    pub detail: Option<String>,
}

impl Measure {
    fn new(planned: usize) -> Self {
        Self {
            status: Status::Done,
            samples: Vec::new(),
            planned,
            all_empty: true,
            errors: 0,
            detail: None,
        }
    }

    fn with_status(status: Status) -> Self {
        Self {
            status,
            ..Self::new(0)
        }
    }

    fn fail(&mut self, failure: Failure, limit: Duration) {
        self.status = match failure {
            Failure::Timeout => Status::Timeout(limit),
            Failure::Crashed => Status::Crashed,
        };
    }
}

/// A request kind: its label in the table, LSP method, and the capability that announces it.
pub struct RequestKind {
    pub label: &'static str,
    pub method: &'static str,
    capability: &'static str,
    shape: Shape,
}

#[derive(Clone, Copy)]
enum Shape {
    Position,
    Completion,
    References,
    Document,
    CodeAction,
    Formatting,
    /// A screenful (60 lines) from the position (inlay hints).
    Range,
    /// `positions: [position]` (selection ranges).
    Positions,
}

/// In the order they are run; the potentially slowest last, so that a timeout (after which
/// a single-threaded server may still be busy) disturbs as few other figures as possible.
pub const REQUESTS: &[RequestKind] = &[
    RequestKind {
        label: "hover",
        method: "textDocument/hover",
        capability: "hoverProvider",
        shape: Shape::Position,
    },
    RequestKind {
        label: "completion",
        method: "textDocument/completion",
        capability: "completionProvider",
        shape: Shape::Completion,
    },
    RequestKind {
        label: "definition",
        method: "textDocument/definition",
        capability: "definitionProvider",
        shape: Shape::Position,
    },
    RequestKind {
        label: "references",
        method: "textDocument/references",
        capability: "referencesProvider",
        shape: Shape::References,
    },
    RequestKind {
        label: "documentSymbol",
        method: "textDocument/documentSymbol",
        capability: "documentSymbolProvider",
        shape: Shape::Document,
    },
    RequestKind {
        label: "documentHighlight",
        method: "textDocument/documentHighlight",
        capability: "documentHighlightProvider",
        shape: Shape::Position,
    },
    RequestKind {
        label: "foldingRange",
        method: "textDocument/foldingRange",
        capability: "foldingRangeProvider",
        shape: Shape::Document,
    },
    RequestKind {
        label: "prepareRename",
        method: "textDocument/prepareRename",
        capability: "renameProvider",
        shape: Shape::Position,
    },
    RequestKind {
        label: "selectionRange",
        method: "textDocument/selectionRange",
        capability: "selectionRangeProvider",
        shape: Shape::Positions,
    },
    RequestKind {
        label: "inlayHint",
        method: "textDocument/inlayHint",
        capability: "inlayHintProvider",
        shape: Shape::Range,
    },
    RequestKind {
        label: "codeLens",
        method: "textDocument/codeLens",
        capability: "codeLensProvider",
        shape: Shape::Document,
    },
    RequestKind {
        label: "codeAction",
        method: "textDocument/codeAction",
        capability: "codeActionProvider",
        shape: Shape::CodeAction,
    },
    RequestKind {
        label: "formatting",
        method: "textDocument/formatting",
        capability: "documentFormattingProvider",
        shape: Shape::Formatting,
    },
    RequestKind {
        label: "semanticTokens/full",
        method: "textDocument/semanticTokens/full",
        capability: "semanticTokensProvider",
        shape: Shape::Document,
    },
];

/// Everything measured for one server on one file.
#[derive(Debug, Clone)]
pub struct Run {
    pub server: String,
    /// The size asked for on the command line; `lines` is what the generator produced.
    pub requested: usize,
    pub lines: usize,
    pub bytes: usize,
    pub server_info: Option<String>,
    pub initialize: Measure,
    pub open: Measure,
    pub change: Measure,
    /// didChange -> diagnostics while typing new lines (`\n` and a new instruction).
    pub change_lines: Measure,
    pub requests: Vec<(&'static str, Measure)>,
    pub peak_rss_kib: Option<u64>,
    /// 1-minute load average of the machine when this run started and when it ended.
    pub load: (Option<f64>, Option<f64>),
    /// Zero-based line the characters were typed on.
    pub typed_line: Option<usize>,
    pub positions: Option<Positions>,
    pub note: Option<String>,
    /// Time spent inside the server, from its own log, per kind of work (see
    /// [`server_times`]); empty for servers that do not log it.
    pub server_times: Vec<(String, Vec<f64>)>,
}

/// Where requests are made: `(line, UTF-16 column)`, all zero-based.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Positions {
    /// Inside the keyword of a `RUN` instruction.
    pub keyword: (usize, usize),
    /// Inside the stage name of a `COPY --from=stageN`.
    pub stage_ref: (usize, usize),
    /// Inside a `${VERSION_N...}` reference.
    pub variable: (usize, usize),
}

impl Positions {
    /// Finds each kind of position on the line nearest the middle of `text`, never on
    /// `avoid` (the line being typed on). Missing kinds fall back to the keyword position.
    pub fn find(text: &str, avoid: usize) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let near_middle = |f: &dyn Fn(&str) -> Option<usize>| -> Option<(usize, usize)> {
            let mid = lines.len() / 2;
            (0..lines.len())
                .flat_map(|d| [mid.checked_sub(d), Some(mid + d).filter(|_| d > 0)])
                .flatten()
                .filter(|&l| l < lines.len() && l != avoid)
                .find_map(|l| f(lines[l]).map(|col| (l, col)))
        };
        let keyword = near_middle(&|l| l.starts_with("RUN ").then_some(1)).unwrap_or((0, 0));
        let stage_ref = near_middle(&|l| {
            l.starts_with("COPY --from=")
                .then_some("COPY --from=".len() + 2)
        })
        .unwrap_or(keyword);
        let variable = near_middle(&|l| l.find("${VERSION_").map(|i| i + 4)).unwrap_or(keyword);
        Self {
            keyword,
            stage_ref,
            variable,
        }
    }

    fn cycle(&self, i: usize) -> (usize, usize) {
        [self.keyword, self.stage_ref, self.variable][i % 3]
    }
}

/// The client capabilities of a capable editor, without dynamic registration (so servers
/// announce their features in the `initialize` result).
fn client_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": true, "showMessage": {}},
        "workspace": {
            "applyEdit": true,
            "workspaceEdit": {"documentChanges": true},
            "configuration": true,
            "workspaceFolders": true,
            "didChangeConfiguration": {"dynamicRegistration": false},
            "executeCommand": {"dynamicRegistration": false},
            "symbol": {"dynamicRegistration": false},
        },
        "textDocument": {
            "synchronization": {"dynamicRegistration": false, "didSave": true},
            "publishDiagnostics": {
                "relatedInformation": true, "versionSupport": true,
                "tagSupport": {"valueSet": [1, 2]}, "codeDescriptionSupport": true,
                "dataSupport": true,
            },
            "completion": {
                "contextSupport": true,
                "completionItem": {
                    "snippetSupport": true, "deprecatedSupport": true,
                    "documentationFormat": ["markdown", "plaintext"],
                    "insertReplaceSupport": true, "labelDetailsSupport": true,
                    "resolveSupport": {"properties": ["documentation", "detail"]},
                },
            },
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "signatureHelp": {"signatureInformation": {"documentationFormat": ["markdown"]}},
            "definition": {"linkSupport": true},
            "references": {},
            "documentHighlight": {},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "codeAction": {
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                    "", "quickfix", "refactor", "refactor.extract", "refactor.inline",
                    "refactor.rewrite", "source", "source.organizeImports", "source.fixAll",
                ]}},
                "isPreferredSupport": true, "dataSupport": true,
                "resolveSupport": {"properties": ["edit"]},
            },
            "formatting": {},
            "rangeFormatting": {},
            "rename": {"prepareSupport": true},
            "foldingRange": {"lineFoldingOnly": true},
            "documentLink": {},
            "codeLens": {},
            "inlayHint": {},
            "semanticTokens": {
                "requests": {"full": {"delta": true}, "range": true},
                "tokenTypes": [
                    "namespace", "type", "class", "enum", "interface", "struct",
                    "typeParameter", "parameter", "variable", "property", "enumMember",
                    "event", "function", "method", "macro", "keyword", "modifier", "comment",
                    "string", "number", "regexp", "operator", "decorator",
                ],
                "tokenModifiers": [
                    "declaration", "definition", "readonly", "static", "deprecated",
                    "abstract", "async", "modification", "documentation", "defaultLibrary",
                ],
                "formats": ["relative"],
            },
        },
    })
}

/// `file://` URI of an absolute path (percent-encoding what needs it).
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// True if the server announces `capability` (statically, or by dynamic registration of
/// `method`).
fn advertises(capabilities: &Value, capability: &str, method: &str, registered: &[String]) -> bool {
    let announced = match &capabilities[capability] {
        Value::Null | Value::Bool(false) => false,
        // Semantic tokens are only useful here if `full` is offered.
        Value::Object(o) if capability == "semanticTokensProvider" => o
            .get("full")
            .is_some_and(|f| !matches!(f, Value::Null | Value::Bool(false))),
        _ => true,
    };
    announced
        || registered
            .iter()
            .any(|m| m == method || method.starts_with(&format!("{m}/")))
}

/// 0 none, 1 full, 2 incremental.
fn sync_kind(capabilities: &Value, registered: &[String]) -> u64 {
    let sync = &capabilities["textDocumentSync"];
    let kind = sync
        .as_u64()
        .or_else(|| sync["change"].as_u64())
        .unwrap_or(0);
    if kind == 0 && registered.iter().any(|m| m == "textDocument/didChange") {
        2
    } else {
        kind
    }
}

/// Null, empty arrays, empty completion lists and token arrays count as empty answers.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => ["items", "data"]
            .iter()
            .any(|k| o.get(*k).is_some_and(is_empty)),
        _ => false,
    }
}

/// `n` keystrokes writing new instructions after line `line` of `text`: Enter at its end,
/// then `RUN true`, again and again; `(line, UTF-16 column, text)` each.
fn new_lines_script(text: &str, line: usize, n: usize) -> Vec<(usize, usize, String)> {
    let start = text
        .lines()
        .nth(line)
        .map_or(0, |l| l.encode_utf16().count());
    let (mut line, mut col) = (line, start);
    "\nRUN true"
        .chars()
        .cycle()
        .take(n)
        .map(|c| {
            let at = (line, col, c.to_string());
            if c == '\n' {
                (line, col) = (line + 1, 0);
            } else {
                col += 1;
            }
            at
        })
        .collect()
}

/// Types an edit script into an open document, one `didChange` per edit, each timed to its
/// diagnostics.
struct Typing<'a> {
    uri: &'a str,
    /// The server's text document sync kind (0: none, 1: full, 2: incremental).
    kind: u64,
    timeout: std::time::Duration,
    budget: std::time::Duration,
}

impl Typing<'_> {
    /// `edits` as `(line, UTF-16 column, text)`, the first sent as `version`.
    fn run(
        &self,
        server: &mut Server,
        document: &mut String,
        edits: &[(usize, usize, String)],
        version: i64,
    ) -> Measure {
        let mut change = Measure::new(edits.len());
        match self.kind {
            0 => change.status = Status::NotAdvertised,
            _ if server.is_closed() => change.status = Status::Crashed,
            kind => {
                let series = Instant::now();
                for (i, (line, col, typed)) in edits.iter().enumerate() {
                    let version = version + i as i64;
                    let at = offset_of(document, *line, *col);
                    document.insert_str(at, typed);
                    let content = if kind == 1 {
                        json!({"text": document})
                    } else {
                        let pos = json!({"line": line, "character": col});
                        json!({"range": {"start": pos, "end": pos}, "text": typed})
                    };
                    let sent = Instant::now();
                    server.notify(
                        "textDocument/didChange",
                        json!({
                            "textDocument": {"uri": self.uri, "version": version},
                            "contentChanges": [content],
                        }),
                    );
                    match server.wait_diagnostics(self.uri, version, sent, self.timeout) {
                        Ok((elapsed, _)) => change.samples.push(elapsed),
                        Err(failure) => {
                            change.fail(failure, self.timeout);
                            break;
                        }
                    }
                    if series.elapsed() > self.budget {
                        break;
                    }
                }
                change.all_empty = false;
            }
        }
        change
    }
}

/// Byte offset of a zero-based `(line, UTF-16 column)` in `text`, clamped to the text.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn progress(spec: &ServerSpec, lines: usize, what: &str, m: &Measure) {
    let figure = match (&m.status, m.samples.as_slice()) {
        (Status::Done, [one]) => format!("{:.1} ms", one.as_secs_f64() * 1e3),
        (Status::Done, many) if !many.is_empty() => {
            let mut sorted = many.to_vec();
            sorted.sort();
            format!(
                "median {:.1} ms over {}",
                sorted[(sorted.len() - 1) / 2].as_secs_f64() * 1e3,
                sorted.len()
            )
        }
        (status, _) => format!("{status:?}"),
    };
    eprintln!("[{} {lines}] {what}: {figure}", spec.name);
}

/// Runs the whole scenario for one server on one file; never panics on what the server does,
/// and returns within the configured limits.
pub fn run(spec: &ServerSpec, text: &str, dir: &Path, options: &Options) -> Run {
    let lines = text.lines().count();
    let file = dir.join("Dockerfile");
    let uri = file_uri(&file);
    let log = dir.join(format!(
        "{}.stderr.log",
        spec.name
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
    ));
    let mut run = Run {
        server: spec.name.clone(),
        requested: lines,
        lines,
        bytes: text.len(),
        server_info: None,
        initialize: Measure::with_status(Status::Skipped),
        open: Measure::with_status(Status::Skipped),
        change: Measure::with_status(Status::Skipped),
        change_lines: Measure::with_status(Status::Skipped),
        requests: REQUESTS
            .iter()
            .map(|k| (k.label, Measure::with_status(Status::Skipped)))
            .collect(),
        peak_rss_kib: None,
        load: (load_average(), None),
        typed_line: None,
        positions: None,
        note: None,
        server_times: Vec::new(),
    };
    let timeout = options.timeout;

    // spawn -> initialize
    let root = dir.to_path_buf();
    let params = json!({
        "processId": std::process::id(),
        "clientInfo": {"name": "lsp-bench", "version": env!("CARGO_PKG_VERSION")},
        "rootUri": file_uri(&root),
        "rootPath": root,
        "workspaceFolders": [{"uri": file_uri(&root), "name": "bench"}],
        "capabilities": client_capabilities(),
        "initializationOptions": {},
        "trace": "off",
    });
    let spawned = Instant::now();
    let mut server = match Server::spawn(&spec.argv, &log) {
        Ok(server) => server,
        Err(e) => {
            run.initialize.status = Status::Crashed;
            run.note = Some(format!("could not start {:?}: {e}", spec.argv[0]));
            return run;
        }
    };
    let spawn_to_send = spawned.elapsed();
    let mut init = Measure::new(1);
    let capabilities = match server.request("initialize", params, timeout) {
        Ok(reply) => match reply.outcome {
            Ok(result) => {
                init.samples.push(spawn_to_send + reply.elapsed);
                init.all_empty = false;
                if let Some(info) = result.get("serverInfo") {
                    let name = info["name"].as_str().unwrap_or("?");
                    run.server_info = Some(match info["version"].as_str() {
                        Some(v) => format!("{name} {v}"),
                        None => name.to_owned(),
                    });
                }
                result["capabilities"].clone()
            }
            Err(error) => {
                init.status = Status::Error(error_text(&error));
                Value::Null
            }
        },
        Err(failure) => {
            init.fail(failure, timeout);
            Value::Null
        }
    };
    progress(spec, lines, "initialize", &init);
    let ok = init.status == Status::Done;
    run.initialize = init;
    let grace = timeout.min(Duration::from_secs(5));
    if !ok {
        run.note = Some(format!("server stderr: {}", log.display()));
        server.shutdown(grace);
        return run;
    }
    server.notify("initialized", json!({}));
    let peak = |server: &Server, run: &mut Run| {
        if let Some(kib) = tree_peak_rss_kib(server.pid()) {
            run.peak_rss_kib = Some(run.peak_rss_kib.map_or(kib, |old| old.max(kib)));
        }
    };

    // didOpen -> diagnostics
    let mut open = Measure::new(1);
    let sent = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    match server.wait_diagnostics(&uri, 1, sent, timeout) {
        Ok((elapsed, params)) => {
            open.samples.push(elapsed);
            let n = params["diagnostics"].as_array().map_or(0, Vec::len);
            open.all_empty = n == 0;
            open.detail = Some(format!("{n} diagnostics"));
        }
        Err(failure) => open.fail(failure, timeout),
    }
    progress(spec, lines, "didOpen -> diagnostics", &open);
    run.open = open;
    peak(&server, &mut run);

    // didChange -> diagnostics, one typed character at a time
    let edits = docksmith_testgen::edit_script(text, options.edits, options.seed);
    let typed_line = edits.first().map_or(usize::MAX, |e| e.0);
    let registered = server
        .registrations
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default();
    let mut document = text.to_owned();
    let kind = sync_kind(&capabilities, &registered);
    let typing = Typing {
        uri: &uri,
        kind,
        timeout,
        budget: options.budget,
    };
    let change = typing.run(&mut server, &mut document, &edits, 2);
    if !matches!(change.status, Status::NotAdvertised | Status::Crashed) {
        run.typed_line = edits.first().map(|e| e.0);
    }
    progress(spec, lines, "didChange -> diagnostics", &change);
    let typed = change.samples.len();
    run.change = change;
    peak(&server, &mut run);

    // didChange -> diagnostics while writing new instructions after the typed line: Enter,
    // then `RUN true`, one character at a time.
    let new_lines = new_lines_script(&document, typed_line, options.edits);
    let change_lines = if run.change.status == Status::Done {
        typing.run(&mut server, &mut document, &new_lines, 2 + typed as i64)
    } else {
        Measure::with_status(Status::Skipped)
    };
    progress(
        spec,
        lines,
        "didChange (new lines) -> diagnostics",
        &change_lines,
    );
    run.change_lines = change_lines;
    peak(&server, &mut run);

    // Requests
    let positions = Positions::find(&document, typed_line);
    run.positions = Some(positions);
    for (kind, slot) in REQUESTS.iter().zip(run.requests.iter_mut()) {
        let registered = server
            .registrations
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default();
        let mut m = Measure::new(options.reps);
        if server.is_closed() {
            m.status = Status::Crashed;
        } else if !advertises(&capabilities, kind.capability, kind.method, &registered) {
            m.status = Status::NotAdvertised;
        } else {
            let limit = if kind.method.contains("semanticTokens") {
                options.semantic_timeout
            } else {
                timeout
            };
            let series = Instant::now();
            let mut first_error = None;
            for i in 0..options.reps {
                let params =
                    request_params(kind.shape, &uri, positions.cycle(i), &document, &server);
                match server.request(kind.method, params, limit) {
                    Ok(reply) => match reply.outcome {
                        Ok(result) => {
                            m.samples.push(reply.elapsed);
                            m.all_empty &= is_empty(&result);
                        }
                        Err(error) => {
                            m.errors += 1;
                            first_error.get_or_insert_with(|| error_text(&error));
                        }
                    },
                    Err(failure) => {
                        m.fail(failure, limit);
                        break;
                    }
                }
                if series.elapsed() > options.budget {
                    break;
                }
            }
            if m.samples.is_empty() && m.status == Status::Done {
                m.status = Status::Error(first_error.unwrap_or_default());
            }
        }
        progress(spec, lines, kind.label, &m);
        *slot = (kind.label, m);
    }

    peak(&server, &mut run);
    run.load.1 = load_average();
    if server.is_closed() {
        run.note = Some(format!(
            "server closed its output; stderr: {}",
            log.display()
        ));
    }
    server.shutdown(grace);
    run.server_times = std::fs::read_to_string(&log)
        .map(|l| server_times(&l))
        .unwrap_or_default();
    split_new_lines(&mut run.server_times, typed);
    run
}

/// The publishes after edits come in edit order: the first `typed` follow the typed
/// characters, the others the new lines.
fn split_new_lines(times: &mut Vec<(String, Vec<f64>)>, typed: usize) {
    let Some(i) = times
        .iter()
        .position(|(l, _)| l.starts_with("diagnostics after an edit"))
    else {
        return;
    };
    if times[i].1.len() > typed {
        let rest = times[i].1.split_off(typed);
        times.insert(
            i + 1,
            (
                "diagnostics after a new-line edit (compute and write)".to_owned(),
                rest,
            ),
        );
    }
}

/// Server-side times in milliseconds, from the lines `docksmith lsp --log-level debug`
/// writes: `<method> answered in <ms> ms`, `<method> applied in <ms> ms` and `diagnostics
/// of <uri> computed in <ms> ms`, grouped by what they time, in order of first appearance.
pub fn server_times(log: &str) -> Vec<(String, Vec<f64>)> {
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for line in log.lines() {
        let Some((before, after)) = line
            .split_once(" answered in ")
            .or_else(|| line.split_once(" applied in "))
            .or_else(|| line.split_once(" computed in "))
        else {
            continue;
        };
        let Some(ms) = after
            .split_once(" ms")
            .and_then(|(n, _)| n.trim().parse::<f64>().ok())
        else {
            continue;
        };
        let what = before.rsplit(' ').next().unwrap_or_default();
        let label = if before.contains(" diagnostics of ") {
            // The first publish follows didOpen; the others follow edits.
            let opened = out.iter().any(|(l, _)| l.starts_with("diagnostics"));
            if opened {
                "diagnostics after an edit (compute and write)".to_owned()
            } else {
                "diagnostics after didOpen (compute and write)".to_owned()
            }
        } else {
            what.to_owned()
        };
        match out.iter_mut().find(|(l, _)| *l == label) {
            Some((_, v)) => v.push(ms),
            None => out.push((label, vec![ms])),
        }
    }
    out
}

fn request_params(
    shape: Shape,
    uri: &str,
    (line, character): (usize, usize),
    document: &str,
    server: &Server,
) -> Value {
    let doc = json!({"uri": uri});
    let position = json!({"line": line, "character": character});
    match shape {
        Shape::Position => json!({"textDocument": doc, "position": position}),
        Shape::Completion => json!({
            "textDocument": doc, "position": position, "context": {"triggerKind": 1},
        }),
        Shape::References => json!({
            "textDocument": doc, "position": position, "context": {"includeDeclaration": true},
        }),
        Shape::Document => json!({"textDocument": doc}),
        Shape::Range => json!({
            "textDocument": doc,
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 60, "character": 0}},
        }),
        Shape::Positions => json!({"textDocument": doc, "positions": [position]}),
        Shape::Formatting => json!({
            "textDocument": doc, "options": {"tabSize": 4, "insertSpaces": true},
        }),
        Shape::CodeAction => {
            let width: usize = document
                .lines()
                .nth(line)
                .map_or(0, |l| l.encode_utf16().count());
            let diagnostics: Vec<Value> = server
                .last_diagnostics
                .as_ref()
                .and_then(|p| p["diagnostics"].as_array())
                .into_iter()
                .flatten()
                .filter(|d| d["range"]["start"]["line"].as_u64() == Some(line as u64))
                .cloned()
                .collect();
            json!({
                "textDocument": doc,
                "range": {"start": {"line": line, "character": 0},
                          "end": {"line": line, "character": width}},
                "context": {"diagnostics": diagnostics, "triggerKind": 1},
            })
        }
    }
}

fn error_text(error: &Value) -> String {
    let code = error["code"].as_i64().unwrap_or(0);
    let message = error["message"].as_str().unwrap_or("").trim();
    let short: String = message.chars().take(60).collect();
    format!("{code} {short}")
}

#[cfg(test)]
mod tests {

    #[test]
    fn new_lines_are_typed_after_the_line() {
        let text = "FROM a\nRUN é\nRUN b\n";
        let script = new_lines_script(text, 1, 11);
        let mut doc = text.to_owned();
        for (line, col, t) in &script {
            let at = offset_of(&doc, *line, *col);
            doc.insert_str(at, t);
        }
        assert_eq!(doc, "FROM a\nRUN é\nRUN true\nR\nRUN b\n");
        assert_eq!(script[0], (1, 5, "\n".to_owned()));
        assert_eq!(script[1], (2, 0, "R".to_owned()));
    }

    #[test]
    fn new_line_publishes_are_told_apart() {
        let mut times = vec![
            ("x".to_owned(), vec![1.0]),
            (
                "diagnostics after an edit (compute and write)".to_owned(),
                vec![1.0, 2.0, 3.0],
            ),
        ];
        split_new_lines(&mut times, 2);
        assert_eq!(times[1].1, vec![1.0, 2.0]);
        assert_eq!(
            times[2].0,
            "diagnostics after a new-line edit (compute and write)"
        );
        assert_eq!(times[2].1, vec![3.0]);
    }

    use super::*;

    #[test]
    fn offsets_count_utf16() {
        let text = "ab\nxé😀z\n";
        assert_eq!(offset_of(text, 0, 1), 1);
        assert_eq!(offset_of(text, 1, 0), 3);
        assert_eq!(offset_of(text, 1, 2), 3 + 1 + 2);
        assert_eq!(offset_of(text, 1, 4), 3 + 1 + 2 + 4);
        assert_eq!(offset_of(text, 1, 99), text.len() - 1);
        assert_eq!(offset_of(text, 9, 0), text.len());
    }

    #[test]
    fn positions_land_on_what_they_name() {
        let text = docksmith_testgen::dockerfile(1000, 1);
        let lines: Vec<&str> = text.lines().collect();
        let p = Positions::find(&text, 500);
        assert!(lines[p.keyword.0].starts_with("RUN "));
        assert!(lines[p.stage_ref.0][p.stage_ref.1..].starts_with("age"));
        assert!(lines[p.variable.0][p.variable.1..].starts_with("RSION_"));
        assert!(
            [p.keyword.0, p.stage_ref.0, p.variable.0]
                .iter()
                .all(|&l| l != 500)
        );
        assert!(p.keyword.0.abs_diff(500) < 50);
    }

    #[test]
    fn capabilities() {
        let caps = json!({
            "hoverProvider": true, "definitionProvider": false, "referencesProvider": {},
            "semanticTokensProvider": {"legend": {}, "range": true},
            "textDocumentSync": {"openClose": true, "change": 2},
        });
        let none: &[String] = &[];
        assert!(advertises(
            &caps,
            "hoverProvider",
            "textDocument/hover",
            none
        ));
        assert!(!advertises(
            &caps,
            "definitionProvider",
            "textDocument/definition",
            none
        ));
        assert!(advertises(
            &caps,
            "referencesProvider",
            "textDocument/references",
            none
        ));
        let sem = ("semanticTokensProvider", "textDocument/semanticTokens/full");
        assert!(!advertises(&caps, sem.0, sem.1, none));
        let reg = ["textDocument/semanticTokens".to_owned()];
        assert!(advertises(&caps, sem.0, sem.1, &reg));
        assert_eq!(sync_kind(&caps, none), 2);
        assert_eq!(sync_kind(&json!({"textDocumentSync": 1}), none), 1);
        assert_eq!(sync_kind(&json!({}), none), 0);
    }

    #[test]
    fn emptiness() {
        assert!(is_empty(&Value::Null));
        assert!(is_empty(&json!([])));
        assert!(is_empty(&json!({"isIncomplete": false, "items": []})));
        assert!(is_empty(&json!({"data": []})));
        assert!(!is_empty(&json!({"contents": "x"})));
        assert!(!is_empty(&json!([1])));
    }

    /// A "server" that answers `initialize` with `capabilities` and then runs `then`.
    fn scripted(capabilities: &str, then: &str) -> ServerSpec {
        let body =
            format!(r#"{{"jsonrpc":"2.0","id":1,"result":{{"capabilities":{capabilities}}}}}"#);
        let script = format!(
            r#"printf 'Content-Length: {}\r\n\r\n%s' '{body}'; {then}"#,
            body.len()
        );
        ServerSpec {
            name: "fake".into(),
            argv: vec!["sh".into(), "-c".into(), script],
        }
    }

    fn quick() -> Options {
        Options {
            timeout: Duration::from_millis(500),
            semantic_timeout: Duration::from_millis(500),
            reps: 3,
            edits: 3,
            ..Options::default()
        }
    }

    fn run_in_temp(spec: &ServerSpec, tag: &str) -> Run {
        let dir = std::env::temp_dir().join(format!("lsp-bench-test-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = docksmith_testgen::dockerfile(100, 1);
        let r = run(spec, &text, &dir, &quick());
        let _ = std::fs::remove_dir_all(&dir);
        r
    }

    #[test]
    fn a_server_that_cannot_start_is_reported() {
        let spec = ServerSpec {
            name: "missing".into(),
            argv: vec!["/nonexistent/lsp-server".into()],
        };
        let r = run_in_temp(&spec, "missing");
        assert_eq!(r.initialize.status, Status::Crashed);
        assert!(r.note.unwrap().contains("could not start"));
    }

    #[test]
    fn a_server_that_exits_is_crashed_for_the_rest() {
        let r = run_in_temp(
            &scripted(r#"{"hoverProvider":true,"textDocumentSync":2}"#, "exit 3"),
            "exits",
        );
        assert_eq!(r.initialize.status, Status::Done);
        assert_eq!(r.open.status, Status::Crashed);
        assert_eq!(r.change.status, Status::Crashed);
        assert!(r.requests.iter().all(|(_, m)| m.status == Status::Crashed));
    }

    #[test]
    fn a_silent_server_times_out_and_unadvertised_is_na() {
        let r = run_in_temp(
            &scripted(
                r#"{"hoverProvider":true,"textDocumentSync":{"change":1}}"#,
                "exec sleep 30",
            ),
            "silent",
        );
        let limit = Status::Timeout(Duration::from_millis(500));
        assert_eq!(r.initialize.status, Status::Done);
        assert_eq!(r.open.status, limit);
        assert_eq!(r.change.status, limit);
        assert_eq!(r.requests[0].1.status, limit, "hover");
        assert!(
            r.requests[1..]
                .iter()
                .all(|(_, m)| m.status == Status::NotAdvertised)
        );
        assert!(r.peak_rss_kib.is_some());
    }

    #[test]
    fn a_server_that_never_answers_initialize_times_out() {
        let spec = ServerSpec {
            name: "mute".into(),
            argv: vec!["sleep".into(), "30".into()],
        };
        let r = run_in_temp(&spec, "mute");
        assert_eq!(
            r.initialize.status,
            Status::Timeout(Duration::from_millis(500))
        );
        assert_eq!(r.open.status, Status::Skipped);
    }

    #[test]
    fn uris() {
        assert_eq!(
            file_uri(Path::new("/tmp/a b/Dockerfile")),
            "file:///tmp/a%20b/Dockerfile"
        );
    }

    #[test]
    fn server_times_are_read_from_the_log() {
        let log = "2026-11-23T18:02:47Z DEBUG textDocument/didOpen applied in 5.3 ms\n\
                   2026-11-23T18:02:47Z DEBUG diagnostics of file:///a/b computed in 11.5 ms (9 bytes)\n\
                   noise\n\
                   2026-11-23T18:02:47Z DEBUG textDocument/documentSymbol answered in 0.758 ms (1256048 bytes)\n\
                   2026-11-23T18:02:47Z DEBUG diagnostics of file:///a/b computed in 1.25 ms (9 bytes)\n";
        assert_eq!(
            server_times(log),
            vec![
                ("textDocument/didOpen".to_owned(), vec![5.3]),
                (
                    "diagnostics after didOpen (compute and write)".to_owned(),
                    vec![11.5]
                ),
                ("textDocument/documentSymbol".to_owned(), vec![0.758]),
                (
                    "diagnostics after an edit (compute and write)".to_owned(),
                    vec![1.25]
                ),
            ]
        );
    }
}
