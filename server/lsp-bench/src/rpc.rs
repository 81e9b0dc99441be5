//! A minimal LSP client over a child process's stdio.
//!
//! Three helper threads per server keep the harness from ever blocking on it: a writer (so a
//! server that stops reading cannot stall us on a full pipe), a reader (Content-Length
//! framing; answers server->client requests itself so servers do not stall waiting for us)
//! and a stderr drain (to a log file). The main thread only waits on a channel, always with
//! a deadline.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Something the server sent (or the end of its output).
#[derive(Debug)]
pub enum Event {
    Response {
        id: i64,
        outcome: Result<Value, Value>,
        at: Instant,
    },
    Notification {
        method: String,
        params: Value,
        at: Instant,
    },
    Closed,
}

/// Why a wait ended without what it waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Timeout,
    Crashed,
}

/// The answer to one request, with the time from sending it to reading its response.
#[derive(Debug)]
pub struct Reply {
    pub elapsed: Duration,
    pub outcome: Result<Value, Value>,
}

/// A running language server.
pub struct Server {
    child: Child,
    to_server: Sender<Vec<u8>>,
    events: Receiver<Event>,
    next_id: i64,
    closed: bool,
    /// Methods the server registered with `client/registerCapability`.
    pub registrations: Arc<Mutex<Vec<String>>>,
    /// The last `publishDiagnostics` params seen, per URI (only the latest URI is kept).
    pub last_diagnostics: Option<Value>,
}

impl Server {
    /// Starts `argv` in its own process group, stderr appended to `stderr_log`.
    pub fn spawn(argv: &[String], stderr_log: &Path) -> std::io::Result<Self> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| std::io::Error::other("empty server command"))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");

        let (to_server, outgoing) = mpsc::channel::<Vec<u8>>();
        thread::spawn(move || {
            let mut stdin = stdin;
            for bytes in outgoing {
                if stdin
                    .write_all(&bytes)
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    break;
                }
            }
        });

        let mut log = File::create(stderr_log)?;
        thread::spawn(move || {
            let _ = std::io::copy(&mut stderr, &mut log);
        });

        let (events_tx, events) = mpsc::channel();
        let registrations = Arc::new(Mutex::new(Vec::new()));
        let reader = Reader {
            stdout: BufReader::with_capacity(1 << 16, stdout),
            events: events_tx,
            to_server: to_server.clone(),
            registrations: Arc::clone(&registrations),
        };
        thread::spawn(move || reader.run());

        Ok(Self {
            child,
            to_server,
            events,
            next_id: 0,
            closed: false,
            registrations,
            last_diagnostics: None,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id and the time it was handed to the writer.
    pub fn send_request(&mut self, method: &str, params: Value) -> (i64, Instant) {
        self.next_id += 1;
        let id = self.next_id;
        let sent = Instant::now();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        (id, sent)
    }

    /// Sends a request and waits up to `timeout` for its response. On timeout the request is
    /// cancelled (`$/cancelRequest`); a late response is ignored.
    pub fn request(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Reply, Failure> {
        let (id, sent) = self.send_request(method, params);
        let got = self.wait_for(sent + timeout, |event| match event {
            Event::Response {
                id: got,
                outcome,
                at,
            } if *got == id => Some(Reply {
                elapsed: at.saturating_duration_since(sent),
                outcome: std::mem::replace(outcome, Ok(Value::Null)),
            }),
            _ => None,
        });
        if matches!(got, Err(Failure::Timeout)) {
            self.notify("$/cancelRequest", json!({"id": id}));
        }
        got
    }

    /// Waits for the first `publishDiagnostics` for `uri` read after `since` whose version, if
    /// the server sends one, is at least `min_version`. Returns the time from `since` to it.
    pub fn wait_diagnostics(
        &mut self,
        uri: &str,
        min_version: i64,
        since: Instant,
        timeout: Duration,
    ) -> Result<(Duration, Value), Failure> {
        self.wait_for(since + timeout, |event| match event {
            Event::Notification { method, params, at }
                if method == "textDocument/publishDiagnostics"
                    && *at >= since
                    && params["uri"] == uri
                    && params["version"].as_i64().is_none_or(|v| v >= min_version) =>
            {
                Some((at.saturating_duration_since(since), params.clone()))
            }
            _ => None,
        })
    }

    /// Consumes events until `pick` returns something or `deadline` passes.
    fn wait_for<T>(
        &mut self,
        deadline: Instant,
        mut pick: impl FnMut(&mut Event) -> Option<T>,
    ) -> Result<T, Failure> {
        if self.closed {
            return Err(Failure::Crashed);
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = match self.events.recv_timeout(left) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Err(Failure::Timeout),
                Err(RecvTimeoutError::Disconnected) => Event::Closed,
            };
            if let Event::Notification { method, params, .. } = &event
                && method == "textDocument/publishDiagnostics"
            {
                self.last_diagnostics = Some(params.clone());
            }
            if matches!(event, Event::Closed) {
                self.closed = true;
                return Err(Failure::Crashed);
            }
            let mut event = event;
            if let Some(found) = pick(&mut event) {
                return Ok(found);
            }
        }
    }

    fn send(&mut self, message: &Value) {
        // A send error means the writer thread is gone (the server closed its stdin); the
        // reader will report the server closed, so there is nothing to do here.
        let _ = self.to_server.send(frame(message));
    }

    /// Polite shutdown (`shutdown`, `exit`), bounded by `grace`; then kills the process group
    /// if the server is still running. Never blocks longer than about `2 * grace`.
    pub fn shutdown(mut self, grace: Duration) {
        if !self.closed {
            let _ = self.request("shutdown", Value::Null, grace);
            self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        // Drop kills what is left.
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // The whole group, in case the command was a wrapper that started the real server.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Frames one JSON-RPC message with its `Content-Length` header.
pub fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

#[cfg(test)]
/// Reads one framed message; `Ok(None)` at a clean end of stream.
pub fn read_message(input: &mut impl BufRead) -> std::io::Result<Option<Value>> {
    Ok(read_timed(input, &mut Vec::new())?.map(|(message, _)| message))
}

/// Reads one framed message and the instant its last byte was read (before it is parsed:
/// parsing a large answer is the client's work, not the server's). The body is read into
/// `body`, kept by the caller from one message to the next: a fresh megabyte buffer per
/// message would be allocated inside the timed window, where glibc first consolidates the
/// thousands of small blocks freed with the previous answer's tree (2-3 ms measured with
/// `perf`: the client's cost, not the server's).
pub fn read_timed(
    input: &mut impl BufRead,
    body: &mut Vec<u8>,
) -> std::io::Result<Option<(Value, Instant)>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            continue; // stray blank line between messages
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let length = length.unwrap_or(0);
    body.clear();
    body.resize(length, 0);
    input.read_exact(body)?;
    let at = Instant::now();
    serde_json::from_slice(body)
        .map(|message| Some((message, at)))
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

struct Reader {
    stdout: BufReader<ChildStdout>,
    events: Sender<Event>,
    to_server: Sender<Vec<u8>>,
    registrations: Arc<Mutex<Vec<String>>>,
}

impl Reader {
    fn run(mut self) {
        // Until the end of the stream, a broken frame or invalid JSON: after any of those
        // the connection is unusable.
        let mut body = Vec::new();
        while let Ok(Some((mut message, at))) = read_timed(&mut self.stdout, &mut body) {
            let method = message["method"].as_str().map(str::to_owned);
            let id = message.get("id").cloned();
            let event = match (method, id) {
                (Some(method), Some(id)) => {
                    self.answer(&method, id, &message["params"]);
                    continue;
                }
                // Large params and results are moved out, not copied: this thread must be
                // back at reading before the next request is sent.
                (Some(method), None) => Event::Notification {
                    method,
                    params: message["params"].take(),
                    at,
                },
                (None, Some(id)) => {
                    let Some(id) = id.as_i64() else { continue };
                    let outcome = match message.get("error") {
                        Some(error) => Err(error.clone()),
                        None => Ok(message["result"].take()),
                    };
                    Event::Response { id, outcome, at }
                }
                (None, None) => continue,
            };
            if self.events.send(event).is_err() {
                return;
            }
        }
        let _ = self.events.send(Event::Closed);
    }

    /// Answers a server->client request the way a plain editor would.
    fn answer(&self, method: &str, id: Value, params: &Value) {
        let result = match method {
            "workspace/configuration" => {
                let n = params["items"].as_array().map_or(1, Vec::len);
                Ok(Value::Array(vec![Value::Null; n]))
            }
            "client/registerCapability" => {
                if let Some(list) = params["registrations"].as_array()
                    && let Ok(mut registered) = self.registrations.lock()
                {
                    registered.extend(
                        list.iter()
                            .filter_map(|r| r["method"].as_str().map(str::to_owned)),
                    );
                }
                Ok(Value::Null)
            }
            "client/unregisterCapability"
            | "window/workDoneProgress/create"
            | "window/showMessageRequest"
            | "window/showDocument"
            | "workspace/codeLens/refresh"
            | "workspace/semanticTokens/refresh"
            | "workspace/inlayHint/refresh"
            | "workspace/diagnostic/refresh" => Ok(Value::Null),
            "workspace/workspaceFolders" => Ok(json!([])),
            "workspace/applyEdit" => Ok(json!({"applied": false})),
            _ => Err(json!({"code": -32601, "message": format!("unhandled: {method}")})),
        };
        let response = match result {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err(error) => json!({"jsonrpc": "2.0", "id": id, "error": error}),
        };
        let _ = self.to_server.send(frame(&response));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let a = json!({"jsonrpc": "2.0", "id": 1, "result": {"x": "é"}});
        let b = json!({"jsonrpc": "2.0", "method": "m", "params": null});
        let mut bytes = frame(&a);
        bytes.extend(b"\r\n"); // tolerated
        bytes.extend(frame(&b));
        let mut input = &bytes[..];
        assert_eq!(read_message(&mut input).unwrap(), Some(a));
        assert_eq!(read_message(&mut input).unwrap(), Some(b));
        assert_eq!(read_message(&mut input).unwrap(), None);
    }

    #[test]
    fn extra_headers_and_case_are_accepted() {
        let body = br#"{"id":2}"#;
        let text = format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
            body.len()
        );
        let mut bytes = text.into_bytes();
        bytes.extend(body);
        let mut input = &bytes[..];
        assert_eq!(read_message(&mut input).unwrap(), Some(json!({"id": 2})));
    }

    #[test]
    fn truncated_body_is_an_error_not_a_hang() {
        let mut input = &b"Content-Length: 100\r\n\r\n{}"[..];
        assert!(read_message(&mut input).is_err());
    }
}
