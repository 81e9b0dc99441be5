//! `docksmith lsp`: the language server over stdio (or any byte stream, for tests).
//!
//! Modules: [`server`] (the protocol handlers), [`documents`] (open documents: rope + parse),
//! [`position`] (byte offsets <-> LSP positions in UTF-8 or UTF-16), [`diagnostics`] (findings
//! -> LSP diagnostics), [`publish`] (the single task that pushes diagnostics), [`config`]
//! (the `docksmith` settings section), [`transport`] (framing that survives malformed input;
//! the input and output tasks), [`direct`] (edits and whole-document requests served without
//! `tower-lsp-server`'s `Value` trees), [`lint`] (rules -> LSP diagnostics and code actions),
//! [`line_index`] (many offsets -> positions at once).

pub mod completion;
pub mod compose;
pub mod config;
pub mod diagnostics;
pub mod direct;
pub mod documents;
pub mod formatting;
pub mod frame;
pub mod hover;
pub mod line_index;
pub mod lint;
pub mod navigation;
pub mod position;
mod publish;
pub mod semantic_tokens;
pub mod server;
pub mod signature;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Changes the log filter at run time (the `logLevel` setting); returns why it could not.
pub type LogControl = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// Options of one server run, fixed by whoever starts it (not by the client).
#[derive(Clone, Default)]
pub struct ServeOptions {
    /// Serve the `docksmith.debug.*` commands (tests; `DOCKSMITH_DEBUG_COMMANDS=1`).
    pub debug_commands: bool,
    /// Applies the `logLevel` setting, when the command line left it to the client.
    pub log_control: Option<LogControl>,
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("debug_commands", &self.debug_commands)
            .field("log_control", &self.log_control.is_some())
            .finish()
    }
}

/// Serves LSP on `input`/`output` until `exit` (or the end of input). Returns the process
/// exit code the specification asks for: 0 if `shutdown` came first, else 1.
pub async fn serve<I, O>(input: I, output: O, options: ServeOptions) -> i32
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    serve_to(input, transport::Output::Stream(output), options).await
}

/// [`serve`], writing to any [`transport::Output`].
async fn serve_to<I, O>(input: I, output: transport::Output<O>, options: ServeOptions) -> i32
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let state = server::SharedState::default();
    let shutdown = Arc::new(AtomicBool::new(false));
    let (queue, queued) = tokio::sync::mpsc::unbounded_channel();
    let (direct_out, direct_frames) = tokio::sync::mpsc::unbounded_channel();
    let publisher = tokio::spawn(publish::run(direct_out.clone(), state.clone(), queued));
    let direct = direct::Direct::new(state.clone(), queue.clone(), direct_out);
    let (service, socket) = LspService::build(|client| {
        server::Backend::new(client, state.clone(), queue, shutdown.clone(), options)
    })
    .custom_method(transport::INVALID_MESSAGE, server::Backend::invalid_message)
    .finish();
    // `tower-lsp-server` writes into `library_out`; one task merges it with the direct lane.
    let (library_out, from_library) = tokio::io::duplex(1 << 20);
    let writer = tokio::spawn(transport::write_output(from_library, direct_frames, output));
    let input = transport::sanitize(input, Some(direct));
    Server::new(input, library_out, socket).serve(service).await;
    publisher.abort();
    // The library's side is closed now: the writer sends what is left, then ends.
    if tokio::time::timeout(std::time::Duration::from_secs(5), writer)
        .await
        .is_err()
    {
        tracing::warn!("output not flushed within 5 s");
    }
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

/// Serves LSP on stdin/stdout on a fresh runtime; returns the exit code.
///
/// The runtime has one thread: the work is serial anyway (edits in order, one publisher,
/// handlers that hold the state lock), and with two workers the allocations spread over two
/// malloc arenas: peak memory at 10,000 lines was 3 MiB higher for no gain in latency.
/// Reading stdin and writing stdout have threads of their own.
pub fn run_stdio(options: ServeOptions) -> i32 {
    widen_stdout_pipe();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return 2;
        }
    };
    let (queue, queued) = std::sync::mpsc::channel::<direct::Frame>();
    // Stdout is written by a thread of its own: writes never block the runtime (a client
    // slow to read cannot stall the server's reading), and each frame is freed as soon as it
    // is written (tokio's `Stdout` would keep a copy of the largest one). A frame comes in
    // pieces (see `frame`): they go out in vectored writes, straight to the file
    // descriptor.
    let writer = std::thread::Builder::new()
        .name("docksmith-stdout".to_owned())
        .spawn(move || {
            let Some(mut stdout) = raw_stdout() else {
                return;
            };
            for frame in queued {
                let header = transport::header(&frame);
                if write_pieces(&mut stdout, header.as_bytes(), &frame).is_err() {
                    break;
                }
            }
        });
    let writer = match writer {
        Ok(w) => w,
        Err(e) => {
            tracing::error!("cannot start the output thread: {e}");
            return 2;
        }
    };
    let output = transport::Output::<tokio::io::Sink>::Thread(queue);
    let code = runtime.block_on(serve_to(tokio::io::stdin(), output, options));
    // Reading stdin occupies a blocking thread that only returns when stdin does: do not wait.
    runtime.shutdown_background();
    // Everything written has been queued; let the thread write it out.
    let _ = writer.join();
    code
}

/// Writes a frame's header and pieces with vectored writes (a 1 MB answer in a few
/// `writev` calls, its pieces copied once, by the kernel).
fn write_pieces(
    out: &mut dyn std::io::Write,
    header: &[u8],
    frame: &direct::Frame,
) -> std::io::Result<()> {
    /// At most this many pieces a call (Linux's `IOV_MAX`).
    const MAX_SLICES: usize = 1024;
    let mut slices: Vec<std::io::IoSlice<'_>> = std::iter::once(header)
        .chain(frame.chunks())
        .filter(|c| !c.is_empty())
        .map(std::io::IoSlice::new)
        .collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        let n = rest.len().min(MAX_SLICES);
        let written = match out.write_vectored(&rest[..n]) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        std::io::IoSlice::advance_slices(&mut rest, written);
    }
    out.flush()
}

/// Stdout, written without Rust's line buffer in between where the platform allows (`None`,
/// logged, if the descriptor cannot be duplicated).
fn raw_stdout() -> Option<Box<dyn std::io::Write + Send>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        match std::io::stdout().as_fd().try_clone_to_owned() {
            Ok(fd) => Some(Box::new(std::fs::File::from(fd))),
            Err(e) => {
                tracing::error!("cannot write to stdout: {e}");
                None
            }
        }
    }
    #[cfg(not(unix))]
    {
        Some(Box::new(std::io::stdout()))
    }
}

/// A whole-document answer at 10,000 lines is about 1 MB; through the default 64 KiB pipe
/// it goes in sixteen turns of the writer and the reader. When stdout is a pipe, ask Linux
/// for a 1 MiB one (the unprivileged limit by default); anything else is left as it is.
fn widen_stdout_pipe() {
    #[cfg(target_os = "linux")]
    match rustix::pipe::fcntl_setpipe_size(std::io::stdout(), 1 << 20) {
        Ok(size) => tracing::debug!("stdout pipe: {size} bytes"),
        Err(e) => tracing::debug!("stdout pipe size unchanged: {e}"),
    }
}

#[cfg(test)]
mod tests {
    /// A writer that takes a few bytes a call, as a full pipe does.
    struct Trickle(Vec<u8>);

    impl std::io::Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
            // Across slices, stopping inside one.
            let mut n = 0;
            for b in bufs {
                let k = b.len().min(13 - n);
                self.0.extend_from_slice(&b[..k]);
                n += k;
                if n == 13 {
                    break;
                }
            }
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pieces_go_out_whole_and_in_order() {
        let piece: std::sync::Arc<[u8]> = std::sync::Arc::from(&b",{\"piece\":1}"[..]);
        let mut frame = super::direct::Frame::new();
        frame.bytes(b"[");
        for i in 0..2000 {
            frame.push_piece(piece.clone(), usize::from(i == 0));
        }
        frame.bytes(b"]");
        let mut out = Trickle(Vec::new());
        super::write_pieces(&mut out, b"Content-Length: 1\r\n\r\n", &frame).unwrap();
        let mut expected = b"Content-Length: 1\r\n\r\n".to_vec();
        expected.extend_from_slice(&frame.to_vec());
        assert_eq!(out.0, expected);
    }
}
