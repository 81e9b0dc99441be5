//! Framing that survives malformed input.
//!
//! `tower-lsp-server` 0.23 stops serving at the first frame it cannot decode (bad JSON, a
//! message that is neither request nor response, a bad header, invalid UTF-8): its reader
//! loop ends when the framed stream reports the error. So the server never reads the client
//! directly: [`sanitize`] reads frames itself, checks each body, and hands the library only
//! frames it will accept.
//!
//! - A body that is a valid JSON-RPC request, notification or response passes unchanged.
//! - A body that is not, but carries an `id`, becomes a request for [`INVALID_MESSAGE`]
//!   with that id, which the server answers with "Invalid Request" (-32600); without a
//!   usable id it is dropped. Both are logged.
//! - Header lines that do not parse are skipped until the next `Content-Length`; headers
//!   other than `Content-Length` are ignored; lines are bounded in length, bodies in size
//!   (larger bodies are skipped, not buffered).

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc;
use tracing::{debug, error, warn};

use super::direct::Frame;

/// Method of the stand-in request for a message that had an id but was not valid JSON-RPC.
pub const INVALID_MESSAGE: &str = "docksmith/invalidMessage";

/// Largest body accepted (a 50,000-line Dockerfile is about 2 MB).
pub const MAX_BODY: usize = 64 << 20;
/// Longest header line accepted.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// Starts a task that reads the client's frames in order: each is offered to the direct
/// lane first ([`super::direct::Direct::handle`]), and the well-formed others are copied to
/// the returned stream, which `tower-lsp-server` reads.
pub fn sanitize<I>(input: I, mut direct: Option<super::direct::Direct>) -> DuplexStream
where
    I: AsyncRead + Unpin + Send + 'static,
{
    let (mut to_server, from_pump) = tokio::io::duplex(256 << 10);
    tokio::spawn(async move {
        let mut reader = BufReader::with_capacity(64 << 10, input);
        loop {
            match read_frame(&mut reader).await {
                Ok(Some(body)) => {
                    if let Some(d) = &mut direct
                        && d.handle(&body)
                    {
                        continue;
                    }
                    let Some(body) = check(body) else { continue };
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let written = async {
                        to_server.write_all(header.as_bytes()).await?;
                        to_server.write_all(&body).await?;
                        to_server.flush().await
                    };
                    if written.await.is_err() {
                        debug!("server side of the transport closed");
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    error!("reading from the client failed: {e}");
                    break;
                }
            }
        }
        // Dropping `to_server` ends the server's input.
    });
    from_pump
}

/// Where the output task writes: a stream (tests, any transport), or the thread that owns
/// stdout (see [`super::run_stdio`]), which gets whole frames and frees each once written.
pub enum Output<O> {
    Stream(O),
    Thread(std::sync::mpsc::Sender<Frame>),
}

/// Writes to `output`, whole frame by whole frame, what `tower-lsp-server` writes to
/// `from_library` and the frames of the direct lane, until the library's side ends; then
/// whatever the direct lane had already queued.
pub async fn write_output<L, O>(
    from_library: L,
    mut direct: tokio::sync::mpsc::UnboundedReceiver<Frame>,
    mut output: Output<O>,
) where
    L: AsyncRead + Unpin,
    O: tokio::io::AsyncWrite + Unpin,
{
    let mut library = BufReader::with_capacity(64 << 10, from_library);
    let mut direct_open = true;
    loop {
        let frame = tokio::select! {
            biased;
            f = direct.recv(), if direct_open => match f {
                Some(f) => f,
                None => {
                    direct_open = false;
                    continue;
                }
            },
            body = read_frame(&mut library) => match body {
                Ok(Some(body)) => Frame::from(body),
                Ok(None) | Err(_) => break,
            },
        };
        if write_frame(&mut output, frame).await.is_err() {
            debug!("client side of the transport closed");
            return;
        }
    }
    while let Ok(frame) = direct.try_recv() {
        if write_frame(&mut output, frame).await.is_err() {
            return;
        }
    }
}

/// Writes one message: its `Content-Length` header, then its body.
async fn write_frame<O: tokio::io::AsyncWrite + Unpin>(
    output: &mut Output<O>,
    frame: Frame,
) -> std::io::Result<()> {
    match output {
        Output::Stream(out) => {
            let mut all = header(&frame).into_bytes();
            all.extend_from_slice(&frame.to_vec());
            out.write_all(&all).await?;
            out.flush().await
        }
        Output::Thread(queue) => queue
            .send(frame)
            .map_err(|_| std::io::ErrorKind::BrokenPipe.into()),
    }
}

/// The `Content-Length` header of a frame.
pub fn header(frame: &Frame) -> String {
    format!("Content-Length: {}\r\n\r\n", frame.len())
}

/// Reads the next frame's body; `None` at the end of input. Malformed headers are skipped.
async fn read_frame<R: AsyncBufReadExt + Unpin>(
    reader: &mut R,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut content_length: Option<usize> = None;
    let mut saw_header = false;
    let mut line = Vec::with_capacity(64);
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            if saw_header {
                warn!("input ended inside a message header");
            }
            return Ok(None);
        }
        if !line.ends_with(b"\n") && n as u64 == MAX_HEADER_LINE {
            warn!("skipping an over-long header line");
            skip_rest_of_line(reader).await?;
            content_length = None;
            saw_header = false;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                continue; // stray blank line between messages
            }
            match content_length.take() {
                Some(len) if len > MAX_BODY => {
                    error!("skipping a message of {len} bytes (limit {MAX_BODY})");
                    let skipped = tokio::io::copy(
                        &mut (&mut *reader).take(len as u64),
                        &mut tokio::io::sink(),
                    )
                    .await?;
                    if skipped < len as u64 {
                        return Ok(None);
                    }
                    saw_header = false;
                }
                Some(len) => {
                    let mut body = vec![0; len];
                    match reader.read_exact(&mut body).await {
                        Ok(_) => return Ok(Some(body)),
                        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                            warn!("input ended inside a message body");
                            return Ok(None);
                        }
                        Err(e) => return Err(e),
                    }
                }
                None => {
                    warn!("skipping a message header without Content-Length");
                    saw_header = false;
                }
            }
            continue;
        }
        // Garbage glued before a header (e.g. the rest of a body whose length was wrong):
        // resynchronise on the header name.
        let lower = text.to_ascii_lowercase();
        let text = match lower.find("content-length") {
            Some(0) | None => text,
            Some(i) => {
                warn!("skipping {i} bytes of garbage before a header");
                content_length = None;
                &text[i..]
            }
        };
        let Some((name, value)) = text.split_once(':') else {
            warn!("skipping a malformed header line");
            content_length = None;
            saw_header = false;
            continue;
        };
        saw_header = true;
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<usize>() {
                Ok(len) => content_length = Some(len),
                Err(_) => {
                    warn!("bad Content-Length {:?}", value.trim());
                    content_length = None;
                }
            }
        }
    }
}

async fn skip_rest_of_line<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        reader.consume(n);
    }
}

/// Returns the body to hand to the server, or `None` to drop it.
fn check(body: Vec<u8>) -> Option<Vec<u8>> {
    if body.is_empty() {
        warn!("dropping an empty message");
        return None;
    }
    if serde_json::from_slice::<jsonrpc::Request>(&body).is_ok()
        || serde_json::from_slice::<jsonrpc::Response>(&body).is_ok()
    {
        return Some(body);
    }
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("id").cloned())
        .filter(|id| id.is_string() || id.as_i64().is_some());
    match id {
        Some(id) => {
            warn!("answering an invalid JSON-RPC message (id {id}) with an error");
            let stand_in =
                serde_json::json!({"jsonrpc": "2.0", "id": id, "method": INVALID_MESSAGE});
            Some(stand_in.to_string().into_bytes())
        }
        None => {
            warn!(
                "dropping a message that is not JSON-RPC: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<String> {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        while let Some(body) = read_frame(&mut reader).await.unwrap() {
            out.push(String::from_utf8(body).unwrap());
        }
        out
    }

    #[tokio::test]
    async fn framing_recovers_from_bad_headers() {
        let cases: &[(&[u8], &[&str])] = &[
            (b"Content-Length: 2\r\n\r\n{}", &["{}"]),
            (b"content-length: 2\n\n{}", &["{}"]),
            (
                b"Content-Length: 2\r\nContent-Type: text/weird\r\n\r\n{}",
                &["{}"],
            ),
            (
                b"\r\nContent-Length: 2\r\n\r\n{}Content-Length: 1\r\n\r\n1",
                &["{}", "1"],
            ),
            (
                b"Content-Length: x\r\n\r\nContent-Length: 1\r\n\r\n1",
                &["1"],
            ),
            (b"Bogus\r\n\r\nContent-Length: 1\r\n\r\n1", &["1"]),
            (b"Content-Type: a\r\n\r\nContent-Length: 1\r\n\r\n1", &["1"]),
            // a wrong (too short) length leaves garbage before the next header
            (
                b"Content-Length: 1\r\n\r\n{}Content-Length: 1\r\n\r\n2",
                &["{", "2"],
            ),
            (b"Content-Length: 99999999999\r\n\r\nabc", &[]),
            (b"Content-Length: 10\r\n\r\nabc", &[]),
            (b"Content-Length: 3\r\n", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(
                frames(input).await,
                *want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[tokio::test]
    async fn over_long_header_lines_are_skipped() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(b"\r\nContent-Length: 1\r\n\r\n7");
        assert_eq!(frames(&input).await, ["7"]);
    }

    #[test]
    fn bodies_are_checked() {
        let ok = |s: &str| check(s.as_bytes().to_vec()).map(|b| String::from_utf8(b).unwrap());
        let req = r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{}}"#;
        assert_eq!(ok(req).as_deref(), Some(req));
        let note = r#"{"jsonrpc":"2.0","method":"x"}"#;
        assert_eq!(ok(note).as_deref(), Some(note));
        let resp = r#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        assert_eq!(ok(resp).as_deref(), Some(resp));
        for bad in [
            r#"{"jsonrpc":"1.0","id":4,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":4,"method":7}"#,
        ] {
            let v: Value = serde_json::from_str(&ok(bad).unwrap()).unwrap();
            assert_eq!(v["method"], INVALID_MESSAGE);
            assert_eq!(v["id"], 4);
        }
        for dropped in ["{", "[]", "null", "\"x\"", r#"{"id":{}}"#, ""] {
            assert_eq!(ok(dropped), None, "{dropped}");
        }
        assert_eq!(check(vec![0xff, 0xfe]), None);
    }
}
