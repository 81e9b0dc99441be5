//! In-process LSP test client: the server runs on a tokio task, connected by duplex pipes
//! with real `Content-Length` framing. Requests can be sent without awaiting (they are queued
//! in order), server notifications are collected, server-to-client requests are answered.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use docksmith::lsp::{ServeOptions, serve};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub const TIMEOUT: Duration = Duration::from_secs(20);
pub const URI: &str = "file:///work/Dockerfile";
/// Pseudo-method under which responses to raw requests are collected with the notifications.
pub const UNEXPECTED_RESPONSE: &str = "<unexpected response>";

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

pub struct TestClient {
    out: mpsc::UnboundedSender<Vec<u8>>,
    pending: Pending,
    notifications: mpsc::UnboundedReceiver<Value>,
    /// Requests the server sent us, in order.
    pub server_requests: Arc<Mutex<Vec<Value>>>,
    /// What we answer to `workspace/configuration` (per item, whatever its section).
    pub configuration: Arc<Mutex<Value>>,
    next_id: AtomicI64,
    server: Option<JoinHandle<i32>>,
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl TestClient {
    /// Starts a server with the debug commands enabled.
    pub fn start() -> Self {
        Self::start_with(ServeOptions {
            debug_commands: true,
            log_control: None,
        })
    }

    pub fn start_with(options: ServeOptions) -> Self {
        let (client_io, server_io) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(serve(server_read, server_write, options));
        let (client_read, mut client_write) = tokio::io::split(client_io);

        let (out, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
        tokio::spawn(async move {
            while let Some(bytes) = out_rx.recv().await {
                if bytes.is_empty() {
                    break; // hang_up
                }
                if client_write.write_all(&bytes).await.is_err() {
                    break;
                }
            }
            let _ = client_write.shutdown().await;
        });

        let pending: Pending = Arc::default();
        let server_requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let configuration = Arc::new(Mutex::new(json!({})));
        let (notify_tx, notifications) = mpsc::unbounded_channel();
        {
            let (pending, server_requests, configuration, out) = (
                pending.clone(),
                server_requests.clone(),
                configuration.clone(),
                out.clone(),
            );
            tokio::spawn(async move {
                let mut reader = BufReader::new(client_read);
                while let Some(msg) = read_message(&mut reader).await {
                    let has_id = msg.get("id").is_some_and(|id| !id.is_null());
                    if msg.get("method").is_some() && has_id {
                        server_requests.lock().unwrap().push(msg.clone());
                        let result = match msg["method"].as_str() {
                            Some("workspace/configuration") => {
                                let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                                let conf = configuration.lock().unwrap().clone();
                                Value::Array(vec![conf; n])
                            }
                            _ => Value::Null,
                        };
                        let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": result});
                        let _ = out.send(frame(&reply.to_string()));
                    } else if msg.get("method").is_some() {
                        let _ = notify_tx.send(msg);
                    } else {
                        let waiter = msg
                            .get("id")
                            .and_then(Value::as_i64)
                            .and_then(|id| pending.lock().unwrap().remove(&id));
                        match waiter {
                            Some(tx) => {
                                let _ = tx.send(msg);
                            }
                            // A response nobody waits for (sent with `send_raw`): surface it.
                            None => {
                                let _ = notify_tx
                                    .send(json!({"method": UNEXPECTED_RESPONSE, "params": msg}));
                            }
                        }
                    }
                }
            });
        }
        Self {
            out,
            pending,
            notifications,
            server_requests,
            configuration,
            next_id: AtomicI64::new(1),
            server: Some(server),
        }
    }

    /// `initialize` with the given client capabilities (and options), then `initialized`.
    pub async fn initialize(&self, capabilities: Value, options: Option<Value>) -> Value {
        let mut params = json!({"processId": null, "rootUri": null, "capabilities": capabilities});
        if let Some(o) = options {
            params["initializationOptions"] = o;
        }
        let result = self.request_ok("initialize", params).await;
        self.notify("initialized", json!({}));
        result
    }

    pub fn send_raw(&self, bytes: impl Into<Vec<u8>>) {
        let bytes = bytes.into();
        assert!(!bytes.is_empty(), "an empty write means hang_up");
        self.out.send(bytes).expect("client writer gone");
    }

    pub fn notify(&self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(frame(&msg.to_string()));
    }

    /// Sends a request now; the returned future waits for its response.
    pub fn send_request(
        &self,
        method: &str,
        params: Value,
    ) -> (i64, impl Future<Output = Value> + use<>) {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send_raw(frame(&msg.to_string()));
        let method = method.to_owned();
        (id, async move {
            match tokio::time::timeout(TIMEOUT, rx).await {
                Ok(Ok(v)) => v,
                _ => panic!("no response to {method} (id {id}) within {TIMEOUT:?}"),
            }
        })
    }

    /// The whole response object.
    pub async fn request(&self, method: &str, params: Value) -> Value {
        self.send_request(method, params).1.await
    }

    /// The `result` of a request that must succeed.
    pub async fn request_ok(&self, method: &str, params: Value) -> Value {
        let resp = self.request(method, params).await;
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    pub fn open(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}}),
        );
    }

    pub fn change(&self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// One incremental change.
    pub fn edit(
        &self,
        uri: &str,
        version: i32,
        (l1, c1): (u32, u32),
        (l2, c2): (u32, u32),
        text: &str,
    ) {
        let range =
            json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}});
        self.change(uri, version, json!([{"range": range, "text": text}]));
    }

    pub fn close(&self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// The next server notification matching `pred`; earlier ones are dropped.
    pub async fn wait_notification(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.notifications.recv()).await {
                Ok(Some(n)) if pred(&n) => return n,
                Ok(Some(_)) => {}
                Ok(None) => panic!("server closed while waiting for {what}"),
                Err(_) => panic!("no {what} within {TIMEOUT:?}"),
            }
        }
    }

    /// The params of the first `publishDiagnostics` for `uri` at `version` or later.
    pub async fn wait_diagnostics(&mut self, uri: &str, version: i64) -> Value {
        let what = format!("diagnostics for {uri} v{version}");
        let n = self
            .wait_notification(&what, |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && n["params"]["version"]
                        .as_i64()
                        .is_some_and(|v| v >= version)
            })
            .await;
        n["params"].clone()
    }

    /// Waits until the server has sent us `n` requests; returns their methods.
    pub async fn wait_server_requests(&self, n: usize) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let methods: Vec<String> = self
                .server_requests
                .lock()
                .unwrap()
                .iter()
                .map(|r| r["method"].as_str().unwrap_or_default().to_owned())
                .collect();
            if methods.len() >= n {
                return methods;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "only {methods:?} requested within {TIMEOUT:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// Notifications received so far and not yet consumed.
    pub fn drain_notifications(&mut self) -> Vec<Value> {
        let mut v = Vec::new();
        while let Ok(n) = self.notifications.try_recv() {
            v.push(n);
        }
        v
    }

    /// The server's view of a document (`docksmith.debug.document`): version, text, syntaxText.
    pub async fn document(&self, uri: &str) -> Value {
        self.request_ok(
            "workspace/executeCommand",
            json!({"command": "docksmith.debug.document", "arguments": [uri]}),
        )
        .await
    }

    /// Waits for the server task to end and returns its exit code.
    pub async fn exit_code(mut self) -> i32 {
        let server = self.server.take().unwrap();
        match tokio::time::timeout(TIMEOUT, server).await {
            Ok(Ok(code)) => code,
            Ok(Err(e)) => panic!("server task failed: {e}"),
            Err(_) => panic!("server did not stop within {TIMEOUT:?}"),
        }
    }

    /// Closes our side of the connection (end of input for the server).
    pub fn hang_up(&self) {
        let _ = self.out.send(Vec::new());
    }
}

async fn read_message<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len.expect("server sent a frame without Content-Length")];
    reader.read_exact(&mut body).await.ok()?;
    Some(serde_json::from_slice(&body).expect("server sent invalid JSON"))
}
