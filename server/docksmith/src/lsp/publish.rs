//! The diagnostics publisher: one task that pushes `textDocument/publishDiagnostics`.
//!
//! Handlers queue a URI (a non-blocking channel send, done under the state lock right after
//! the edit), so URIs arrive in the order edits were applied. The task takes everything
//! queued so far, drops duplicates, and for each URI computes the diagnostics of the
//! document *as it is now* and sends them with its version: pushes go out in order, a backlog
//! of keystrokes costs one computation per document rather than one per keystroke, and the
//! last push always describes the latest text. A closed document gets an empty list.

use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;
use tracing::trace;

use super::server::{SharedState, dedup, document_diagnostics, guard, lock};

pub async fn run(client: Client, state: SharedState, mut queue: UnboundedReceiver<Uri>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while let Ok(uri) = queue.try_recv() {
            batch.push(uri);
        }
        for uri in dedup(batch) {
            let computed = guard("computing diagnostics", || {
                let st = lock(&state);
                document_diagnostics(&st, uri.as_str())
            });
            let (version, diagnostics) = match computed {
                Ok(Some((version, d))) => (Some(version), d),
                Ok(None) => (None, Vec::new()),
                Err(_) => continue,
            };
            trace!(
                "publishing {} diagnostics for {} v{version:?}",
                diagnostics.len(),
                uri.as_str()
            );
            client.publish_diagnostics(uri, diagnostics, version).await;
        }
    }
}
