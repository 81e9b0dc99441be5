//! The diagnostics publisher: one task that pushes `textDocument/publishDiagnostics`.
//!
//! Handlers queue a URI (a non-blocking channel send, done under the state lock right after
//! the edit), so URIs arrive in the order edits were applied. The task takes everything
//! queued so far, drops duplicates, and for each URI computes the diagnostics of the
//! document *as it is now* and sends them with its version: pushes go out in order, a backlog
//! of keystrokes costs one computation per document rather than one per keystroke, and the
//! last push always describes the latest text. A closed document gets an empty list.

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tower_lsp_server::ls_types::Uri;
use tracing::debug;

use super::server::{SharedState, dedup, document_diagnostics, guard, lock};

pub async fn run(
    out: UnboundedSender<super::direct::Frame>,
    state: SharedState,
    mut queue: UnboundedReceiver<Uri>,
) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while let Ok(uri) = queue.try_recv() {
            batch.push(uri);
        }
        for uri in dedup(batch) {
            let started = std::time::Instant::now();
            let frame = guard("computing diagnostics", || {
                let st = lock(&state);
                let mut out = super::frame::Frame::new();
                out.bytes(
                    b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":",
                );
                let _ = serde_json::to_writer(&mut out, &uri);
                out.bytes(b",\"diagnostics\":");
                // A closed document gets an empty list and no version.
                match document_diagnostics(&st, uri.as_str(), &mut out) {
                    Some(version) => {
                        out.bytes(b",\"version\":");
                        out.bytes(version.to_string().as_bytes());
                    }
                    None => out.bytes(b"[]"),
                }
                out.bytes(b"}}");
                out
            });
            let Ok(frame) = frame else { continue };
            debug!(
                "diagnostics of {} computed in {:.3} ms ({} bytes)",
                uri.as_str(),
                started.elapsed().as_secs_f64() * 1e3,
                frame.len()
            );
            if out.send(frame).is_err() {
                return;
            }
        }
    }
}
