//! The real binary: command line behaviour and `docksmith lsp` over real stdio.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docksmith"));
    cmd.args(args)
        .env_remove("RUST_LOG")
        .env_remove("DOCKSMITH_DEBUG_COMMANDS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn docksmith");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("docksmith-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (arguments, stdin, exit code, stdout must contain, stderr must contain)
#[test]
fn command_line_table() {
    let broken = dir().join("broken.Dockerfile");
    std::fs::write(&broken, "FROM a\nENV PATH\nCMD [\"é\", 1]\n").unwrap();
    let broken = broken.to_str().unwrap().to_owned();
    let cases: Vec<(Vec<&str>, &str, i32, &str, String)> = vec![
        (vec!["--version"], "", 0, "docksmith ", String::new()),
        (vec!["--help"], "", 0, "Usage:", String::new()),
        (vec![], "", 2, "", "Usage:".into()),
        (
            vec!["frobnicate"],
            "",
            2,
            "",
            "unrecognized subcommand".into(),
        ),
        (
            vec!["parse", "-"],
            "FROM alpine\nRUN true\n",
            0,
            "(from \"alpine\")",
            String::new(),
        ),
        (
            vec!["parse", "-", "--format", "tree"],
            "FROM alpine\n",
            0,
            "Instruction",
            String::new(),
        ),
        (
            vec!["parse", "-", "--format", "json"],
            "",
            2,
            "",
            "invalid value".into(),
        ),
        (
            vec!["parse", "/nonexistent/Dockerfile"],
            "",
            2,
            "",
            "cannot read".into(),
        ),
        (
            vec!["parse", "-"],
            "FROM a\nENV PATH\n",
            1,
            "",
            "<stdin>:2:5: error: ENV must have two arguments".into(),
        ),
        (
            vec!["parse", &broken],
            "",
            1,
            "",
            format!(
                "{broken}:3:5: error: when using JSON array syntax, arrays must be comprised of strings only"
            ),
        ),
        (
            vec!["parse", &broken, "--format", "tree"],
            "",
            1,
            "Instruction",
            format!("{broken}:2:5: error: ENV must have two arguments"),
        ),
        (
            vec!["--log-level", "nonsense[", "parse", "-"],
            "",
            2,
            "",
            "invalid --log-level".into(),
        ),
        (
            vec!["parse", "-", "--log-level", "debug"],
            "FROM a\n",
            0,
            "(from \"a\")",
            String::new(),
        ),
    ];
    for (args, stdin, code, out, err) in cases {
        let o = run(&args, stdin.as_bytes(), &[]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}\nstdout: {stdout}\nstderr: {stderr}"
        );
        assert!(
            stdout.contains(out),
            "{args:?}: stdout {stdout:?} lacks {out:?}"
        );
        assert!(
            stderr.contains(&err),
            "{args:?}: stderr {stderr:?} lacks {err:?}"
        );
    }
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Splits stdout into frames; fails on anything that is not a framed JSON message.
fn frames(mut stdout: &[u8]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    while !stdout.is_empty() {
        let header_end = stdout
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("frame header");
        let header = std::str::from_utf8(&stdout[..header_end]).unwrap();
        let len: usize = header
            .strip_prefix("Content-Length: ")
            .expect(header)
            .parse()
            .unwrap();
        let body = &stdout[header_end + 4..header_end + 4 + len];
        out.push(serde_json::from_slice(body).expect("JSON body"));
        stdout = &stdout[header_end + 4 + len..];
    }
    out
}

const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

/// A whole session piped at once: with trace logging on, stdout still holds only frames.
/// (Piped at once, the `exit` may cancel requests still pending; only framing and the exit
/// code are checked here, the protocol itself in `protocol.rs`.)
#[test]
fn lsp_over_stdio_prints_only_protocol_and_exits_per_spec() {
    let mut session = Vec::new();
    session.extend(frame(INIT));
    session.extend(frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    session.extend(b"Content-Length: 4\r\n\r\n{{{{".iter());
    session.extend(frame(EXIT));
    let o = run(&["lsp", "--stdio", "--log-level", "trace"], &session, &[]);
    assert_eq!(o.status.code(), Some(1), "exit without shutdown");
    let msgs = frames(&o.stdout);
    assert!(msgs.iter().all(|m| m["jsonrpc"] == "2.0"), "{msgs:?}");
    assert!(!o.stderr.is_empty(), "trace logs go to stderr");

    // End of input without exit or shutdown.
    let o = run(&["lsp"], &frame(INIT), &[]);
    assert_eq!(o.status.code(), Some(1));
}

/// A session that waits for each answer, as clients do: exit after shutdown is 0.
#[test]
fn lsp_shutdown_then_exit_is_zero() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docksmith"))
        .arg("lsp")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut read_one = || -> serde_json::Value {
        use std::io::{BufRead, Read};
        let mut len = 0;
        loop {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            len = line
                .strip_prefix("Content-Length: ")
                .unwrap()
                .parse()
                .unwrap();
        }
        let mut body = vec![0; len];
        stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    };
    stdin.write_all(&frame(INIT)).unwrap();
    stdin.flush().unwrap();
    assert_eq!(read_one()["id"], 1);
    stdin.write_all(&frame(SHUTDOWN)).unwrap();
    stdin.flush().unwrap();
    let r = read_one();
    assert_eq!(
        (r["id"].clone(), r["result"].clone()),
        (serde_json::json!(2), serde_json::Value::Null)
    );
    stdin.write_all(&frame(EXIT)).unwrap();
    stdin.flush().unwrap();
    // stdin stays open: the server must exit on `exit` alone.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("docksmith lsp did not exit within 20 s of `exit`");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(0));
    drop(stdin);
}
