//! The `LanguageServer` implementation: protocol glue only. Each handler converts its params,
//! calls into the document store or a feature under [`guard`], and converts the result.
//!
//! Edits and the whole-document requests are normally served by the direct lane
//! ([`super::direct`]), which calls the same functions (`did_open`, `did_change`,
//! `did_close`, `pull_diagnostics`) before reading the next message.
//!
//! Ordering: `tower-lsp-server` runs up to four handlers at once, so `didOpen`, `didChange` and
//! `didClose` apply their effect synchronously, under the state lock, before any `.await`
//! (they never await at all). Diagnostics are then computed and pushed by one publisher task
//! (see [`super::publish`]), in the order the edits were applied.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::FutureExt;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::frame::Frame;
use tower_lsp_server::{Client, LanguageServer};
use tracing::{debug, error, info, warn};

use super::ServeOptions;
use super::config::{DiagnosticsMode, Settings, merge};
use super::diagnostics::{self, Finding};
use super::documents::{ChangeOutcome, DocumentStore};
use super::lint;
use super::position::PositionEncoding;
use super::{compose, navigation};

/// Commands for tests and debugging, served only when [`ServeOptions::debug_commands`] is set.
pub const DEBUG_PANIC: &str = "docksmith.debug.panic";
pub const DEBUG_DOCUMENT: &str = "docksmith.debug.document";
pub const DEBUG_SLEEP: &str = "docksmith.debug.sleep";

/// How long we wait for the client to answer one of our requests before giving up.
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Upper bound of `docksmith.debug.sleep`.
const MAX_DEBUG_SLEEP_MS: u64 = 10_000;

/// What the client told us about itself in `initialize`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClientSupport {
    pub configuration: bool,
    pub did_change_configuration_dynamic: bool,
    pub diagnostic_refresh: bool,
    /// The client lists plain text first in `hover.contentFormat`.
    pub hover_plaintext: bool,
    /// The client accepts snippets in completion items.
    pub snippets: bool,
}

/// Everything behind the one lock.
#[derive(Debug, Default)]
pub struct State {
    pub docs: DocumentStore,
    pub encoding: PositionEncoding,
    pub settings: Settings,
    /// The `docksmith` section of `initializationOptions`: the base later settings refine.
    pub initialization_settings: Value,
    /// Bumped whenever settings change; part of pull-diagnostics result ids.
    pub settings_epoch: u64,
    /// Push diagnostics (`publishDiagnostics`) rather than serve them on pull.
    pub push: bool,
    pub client: ClientSupport,
    /// The last semantic tokens sent per document, for deltas.
    pub semantic_tokens: super::semantic_tokens::Cache,
    /// `initialize` has been answered (set just before): the direct lane may serve.
    pub initialized: bool,
}

/// The one gate between Dockerfile features and the other documents the server has open
/// (Compose files and other YAML get only the Compose features).
impl State {
    /// The open document at `uri` when it is a Dockerfile.
    pub fn dockerfile(&self, uri: &str) -> Option<&super::documents::Document> {
        self.docs
            .get(uri)
            .filter(|d| !super::compose::is_yaml(uri, &d.language_id))
    }
}

pub type SharedState = Arc<Mutex<State>>;

/// Locks the state, recovering it if a panic poisoned the lock (a panic is always caught
/// and logged where it happened; the data stays usable).
pub fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `f`, turning a panic into a logged internal error so that one bad request or
/// notification never takes the server down.
pub fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        error!(
            "panic while handling {what}: {}",
            panic_message(payload.as_ref())
        );
        Error::internal_error()
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string panic payload)")
}

/// Appends the diagnostics of one open document, in the negotiated encoding, to `out` as a
/// JSON array, and returns the document's version; `None` (nothing written) when it is not
/// open.
pub fn document_diagnostics(state: &State, uri: &str, out: &mut Frame) -> Option<i32> {
    let doc = state.docs.get(uri)?;
    let typed = |out: &mut Frame, d: &[Diagnostic]| {
        // Serialising LSP types into a Vec cannot fail.
        let _ = serde_json::to_writer(out, d);
    };
    if super::compose::is_yaml(uri, &doc.language_id) {
        let found = uri
            .parse::<Uri>()
            .ok()
            .and_then(|u| super::compose::diagnostics(state, &u));
        typed(out, found.as_ref().map_or(&[], |(_, d)| d.as_slice()));
        return Some(doc.version);
    }
    if !state.settings.diagnostics.enable {
        typed(out, &[]);
        return Some(doc.version);
    }
    match uri.parse::<Uri>() {
        Ok(parsed) => {
            let rules = &state.settings.rules;
            lint::diagnostics_json(&parsed, doc, rules, state.encoding, out);
        }
        Err(_) => {
            let findings = doc.syntax.errors().into_iter().map(Finding::from);
            typed(
                out,
                &diagnostics::to_lsp(&doc.rope, findings, state.encoding),
            );
        }
    }
    Some(doc.version)
}

/// `textDocument/diagnostic`: appends the report's JSON to `out`: the full report, or
/// "unchanged" when the client already has this revision.
pub fn pull_diagnostics(st: &State, params: &DocumentDiagnosticParams, out: &mut Frame) {
    let uri = params.text_document.uri.as_str();
    let result_id = st
        .docs
        .get(uri)
        .map(|d| format!("{}-{}", d.revision, st.settings_epoch));
    let id_json = |id: &Option<String>| serde_json::to_string(id).unwrap_or_default();
    if let Some(id) = &result_id
        && params.previous_result_id.as_ref() == Some(id)
    {
        out.bytes(b"{\"kind\":\"unchanged\",\"resultId\":");
        out.bytes(id_json(&result_id).as_bytes());
        out.bytes(b"}");
        return;
    }
    out.bytes(b"{\"kind\":\"full\",");
    if result_id.is_some() {
        out.bytes(b"\"resultId\":");
        out.bytes(id_json(&result_id).as_bytes());
        out.bytes(b",");
    }
    out.bytes(b"\"items\":");
    if document_diagnostics(st, uri, out).is_none() {
        out.bytes(b"[]");
    }
    out.bytes(b"}");
}

/// Queues a diagnostics push for `uri` if we push. Never blocks.
pub fn queue_publish(queue: &UnboundedSender<Uri>, state: &State, uri: &Uri) {
    if state.push && queue.send(uri.clone()).is_err() {
        debug!("publisher gone; not publishing {}", uri.as_str());
    }
}

/// `textDocument/didOpen`: applied at once, under the lock (see the module comment).
pub fn did_open(
    state: &SharedState,
    queue: &UnboundedSender<Uri>,
    params: DidOpenTextDocumentParams,
) {
    let doc = params.text_document;
    let replaced = guard("textDocument/didOpen", || {
        let mut st = lock(state);
        let replaced = st
            .docs
            .open(doc.uri.as_str(), &doc.text, doc.version, doc.language_id);
        queue_publish(queue, &st, &doc.uri);
        replaced
    });
    drop(replaced);
}

/// `textDocument/didChange`: applied at once, under the lock.
pub fn did_change(
    state: &SharedState,
    queue: &UnboundedSender<Uri>,
    params: DidChangeTextDocumentParams,
) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let mut st = lock(state);
    let enc = st.encoding;
    let outcome = guard("textDocument/didChange", || {
        st.docs
            .change(uri.as_str(), version, &params.content_changes, enc)
    });
    match outcome {
        Ok(ChangeOutcome::Applied) => {}
        Ok(ChangeOutcome::UnknownDocument) => {
            warn!("didChange for {} which is not open; ignored", uri.as_str());
            return;
        }
        Ok(ChangeOutcome::StaleVersion { stored }) => {
            warn!(
                "didChange for {} with version {version} not after {stored}; ignored \
                 (the client should resend the document)",
                uri.as_str()
            );
            return;
        }
        Err(_) => {
            // Only a failure outside the parser gets here (the document recovers from
            // parser failures itself): the document can no longer be trusted.
            error!(
                "dropping {} after a failed edit; the client should reopen it",
                uri.as_str()
            );
            let dropped = st.docs.close(uri.as_str());
            queue_publish(queue, &st, &uri);
            drop(st);
            drop(dropped);
            return;
        }
    }
    queue_publish(queue, &st, &uri);
}

/// `textDocument/didClose`: applied at once, under the lock.
pub fn did_close(
    state: &SharedState,
    queue: &UnboundedSender<Uri>,
    params: DidCloseTextDocumentParams,
) {
    let uri = params.text_document.uri;
    let closed = {
        let mut st = lock(state);
        let closed = st.docs.close(uri.as_str());
        // The publisher finds the document gone and clears its diagnostics.
        queue_publish(queue, &st, &uri);
        closed
    };
    if closed.is_none() {
        debug!("didClose for {} which is not open", uri.as_str());
    }
}

pub struct Backend {
    client: Client,
    state: SharedState,
    /// URIs whose diagnostics must be (re)published; see [`super::publish`].
    publish: UnboundedSender<Uri>,
    shutdown_requested: Arc<AtomicBool>,
    options: ServeOptions,
}

impl Backend {
    pub fn new(
        client: Client,
        state: SharedState,
        publish: UnboundedSender<Uri>,
        shutdown_requested: Arc<AtomicBool>,
        options: ServeOptions,
    ) -> Self {
        Self {
            client,
            state,
            publish,
            shutdown_requested,
            options,
        }
    }

    fn queue_publish(&self, state: &State, uri: &Uri) {
        queue_publish(&self.publish, state, uri);
    }

    /// Applies new settings; republishes or asks the client to re-pull when diagnostics
    /// may have changed.
    async fn apply_settings(&self, raw: &Value) {
        let base = lock(&self.state).initialization_settings.clone();
        let merged = merge(&base, Settings::section(raw));
        let (settings, problems) = Settings::from_json(&merged);
        for p in &problems {
            warn!("{p}");
        }
        let (log_changed, refresh) = {
            let mut st = lock(&self.state);
            if st.settings == settings {
                return;
            }
            let diagnostics_changed = st.settings.diagnostics != settings.diagnostics
                || st.settings.rules != settings.rules;
            let log_changed = st.settings.log_level != settings.log_level;
            st.settings = settings.clone();
            st.settings_epoch += 1;
            if diagnostics_changed {
                let uris: Vec<Uri> = st
                    .docs
                    .uris()
                    .filter_map(|u| u.parse::<Uri>().ok())
                    .collect();
                for uri in &uris {
                    self.queue_publish(&st, uri);
                }
            }
            (
                log_changed,
                diagnostics_changed && !st.push && st.client.diagnostic_refresh,
            )
        };
        info!("settings updated: {settings:?}");
        if log_changed {
            self.apply_log_level(&settings);
        }
        if refresh {
            self.with_timeout(
                "workspace/diagnostic/refresh",
                self.client.workspace_diagnostic_refresh(),
            )
            .await;
        }
    }

    fn apply_log_level(&self, settings: &Settings) {
        if let (Some(level), Some(hook)) = (&settings.log_level, &self.options.log_control)
            && let Err(e) = hook(level)
        {
            warn!("logLevel {level:?} not applied: {e}");
        }
    }

    /// Asks the client for the `docksmith` section (when it supports `workspace/configuration`).
    async fn pull_settings(&self) {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("docksmith".to_owned()),
        };
        let answer = self
            .with_timeout(
                "workspace/configuration",
                self.client.configuration(vec![item]),
            )
            .await;
        if let Some(Ok(mut values)) = answer
            && let Some(value) = values.pop()
        {
            self.apply_settings(&value).await;
        }
    }

    async fn with_timeout<T>(&self, what: &str, fut: impl Future<Output = T>) -> Option<T> {
        let r = tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, fut).await;
        if r.is_err() {
            warn!("client did not answer {what} within {CLIENT_REQUEST_TIMEOUT:?}");
        }
        r.ok()
    }

    /// Answers the stand-in request [`super::transport`] makes of an invalid message.
    pub async fn invalid_message(&self) -> Result<()> {
        Err(Error::invalid_request())
    }

    fn debug_document(&self, args: &[Value]) -> Value {
        let Some(uri) = args.first().and_then(Value::as_str) else {
            return Value::Null;
        };
        let st = lock(&self.state);
        let Some(doc) = st.docs.get(uri) else {
            return Value::Null;
        };
        json!({
            "version": doc.version,
            "languageId": doc.language_id,
            "text": doc.rope.to_string(),
            "syntaxText": doc.syntax.text(),
        })
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guard("initialize", || {
            let caps = &params.capabilities;
            let encoding = PositionEncoding::negotiate(
                caps.general
                    .as_ref()
                    .and_then(|g| g.position_encodings.as_deref()),
            );
            let client_pulls = caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some());
            let workspace = caps.workspace.as_ref();
            let support = ClientSupport {
                configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
                did_change_configuration_dynamic: workspace
                    .and_then(|w| w.did_change_configuration)
                    .and_then(|d| d.dynamic_registration)
                    .unwrap_or(false),
                diagnostic_refresh: workspace
                    .and_then(|w| w.diagnostics.as_ref())
                    .and_then(|d| d.refresh_support)
                    .unwrap_or(false),
                hover_plaintext: caps
                    .text_document
                    .as_ref()
                    .and_then(|t| t.hover.as_ref()?.content_format.as_ref()?.first().cloned())
                    == Some(MarkupKind::PlainText),
                snippets: caps
                    .text_document
                    .as_ref()
                    .and_then(|t| {
                        t.completion
                            .as_ref()?
                            .completion_item
                            .as_ref()?
                            .snippet_support
                    })
                    .unwrap_or(false),
            };
            let initialization_settings = params
                .initialization_options
                .as_ref()
                .map_or(Value::Null, |v| Settings::section(v).clone());
            let (settings, problems) = Settings::from_json(&initialization_settings);
            for p in &problems {
                warn!("initializationOptions: {p}");
            }
            self.apply_log_level(&settings);
            let push = match settings.diagnostics.mode {
                DiagnosticsMode::Auto => !client_pulls,
                DiagnosticsMode::Push => true,
                DiagnosticsMode::Pull => false,
            };
            {
                let mut st = lock(&self.state);
                st.encoding = encoding;
                st.settings = settings;
                st.initialization_settings = initialization_settings;
                st.push = push;
                st.client = support;
                st.initialized = true;
            }
            info!(
                "initialize: client {:?}, encoding {encoding:?}, diagnostics {}",
                params.client_info.as_ref().map(|c| &c.name),
                if push { "pushed" } else { "pulled" }
            );

            let execute_command_provider =
                self.options.debug_commands.then(|| ExecuteCommandOptions {
                    commands: vec![
                        DEBUG_PANIC.into(),
                        DEBUG_DOCUMENT.into(),
                        DEBUG_SLEEP.into(),
                    ],
                    ..ExecuteCommandOptions::default()
                });
            let diagnostic_provider = (!push).then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("docksmith".to_owned()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })
            });
            let mut capabilities = ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                diagnostic_provider,
                code_action_provider: Some(lint::capability()),
                execute_command_provider,
                hover_provider: Some(super::hover::capability()),
                completion_provider: Some(super::completion::capability()),
                signature_help_provider: Some(super::signature::capability()),
                semantic_tokens_provider: Some(super::semantic_tokens::capability()),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                document_on_type_formatting_provider: Some(super::formatting::on_type_capability()),
                ..ServerCapabilities::default()
            };
            super::navigation::capabilities(&mut capabilities);
            InitializeResult {
                capabilities,
                server_info: Some(ServerInfo {
                    name: "docksmith".to_owned(),
                    version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                }),
                offset_encoding: None,
            }
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let support = lock(&self.state).client;
        if support.did_change_configuration_dynamic {
            let registration = Registration {
                id: "docksmith-configuration".to_owned(),
                method: "workspace/didChangeConfiguration".to_owned(),
                register_options: None,
            };
            let r = self
                .with_timeout(
                    "client/registerCapability",
                    self.client.register_capability(vec![registration]),
                )
                .await;
            if let Some(Err(e)) = r {
                warn!("could not register for configuration changes: {e}");
            }
        }
        if support.configuration {
            self.pull_settings().await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        info!("shutdown requested");
        self.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guard("textDocument/hover", || {
            let state = lock(&self.state);
            super::hover::hover(&state, &params)
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        guard("textDocument/completion", || {
            let state = lock(&self.state);
            if state
                .dockerfile(params.text_document_position.text_document.uri.as_str())
                .is_none()
            {
                compose::completion(&state, &params)
            } else {
                super::completion::completion(&state, &params)
            }
        })
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        guard("textDocument/signatureHelp", || {
            let state = lock(&self.state);
            super::signature::signature_help(&state, &params)
        })
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        did_open(&self.state, &self.publish, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        did_change(&self.state, &self.publish, params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        did_close(&self.state, &self.publish, params);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pull = lock(&self.state).client.configuration;
        if pull {
            self.pull_settings().await;
        } else if !params.settings.is_null() {
            self.apply_settings(&params.settings).await;
        }
    }

    async fn on_type_formatting(
        &self,
        p: DocumentOnTypeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let at = p.text_document_position;
        guard("textDocument/onTypeFormatting", || {
            super::formatting::on_type(
                &lock(&self.state),
                &at.text_document.uri,
                at.position,
                &p.ch,
                &p.options,
            )
        })
    }

    // Navigation (lsp/navigation.rs, lsp/compose.rs).
    async fn goto_definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        guard("textDocument/definition", || {
            navigation::definition(&lock(&self.state), p)
        })
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        guard("textDocument/references", || {
            navigation::references(&lock(&self.state), p)
        })
    }

    async fn document_highlight(
        &self,
        p: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        guard("textDocument/documentHighlight", || {
            navigation::highlight(&lock(&self.state), p)
        })
    }

    async fn prepare_rename(
        &self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        guard("textDocument/prepareRename", || {
            navigation::prepare_rename(&lock(&self.state), p)
        })?
    }

    async fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        guard("textDocument/rename", || {
            navigation::rename(&lock(&self.state), p)
        })?
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guard("textDocument/codeAction", || {
            let st = lock(&self.state);
            let uri = &params.text_document.uri;
            let doc = st.dockerfile(uri.as_str())?;
            let only = params.context.only.as_ref();
            let rules = &st.settings.rules;
            Some(lint::code_actions(
                uri,
                doc,
                rules,
                params.range,
                only,
                st.encoding,
            ))
        })
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if !self.options.debug_commands {
            return Err(Error::invalid_params(format!(
                "unknown command {:?}",
                params.command
            )));
        }
        match params.command.as_str() {
            DEBUG_PANIC => guard(DEBUG_PANIC, || -> Option<LSPAny> {
                panic!("{DEBUG_PANIC} was executed");
            }),
            DEBUG_DOCUMENT => guard(DEBUG_DOCUMENT, || {
                Some(self.debug_document(&params.arguments))
            }),
            DEBUG_SLEEP => {
                let ms = params
                    .arguments
                    .first()
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
                let fut = tokio::time::sleep(Duration::from_millis(ms.min(MAX_DEBUG_SLEEP_MS)));
                AssertUnwindSafe(fut)
                    .catch_unwind()
                    .await
                    .map(|()| None)
                    .map_err(|_| Error::internal_error())
            }
            other => Err(Error::invalid_params(format!("unknown command {other:?}"))),
        }
    }
}

/// Deduplicates URIs, keeping first-seen order.
pub fn dedup(uris: Vec<Uri>) -> Vec<Uri> {
    let mut seen = HashSet::new();
    uris.into_iter()
        .filter(|u| seen.insert(u.as_str().to_owned()))
        .collect()
}
