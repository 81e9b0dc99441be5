//! `docksmith check` end to end: the real binary on temporary files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_docksmith"))
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("docksmith-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = bin()
        .arg("check")
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_and_tty() {
    let d = tmpdir("tty");
    write(&d, "clean/Dockerfile", "FROM alpine:3.20\nCMD [\"sh\"]\n");
    write(&d, "bad/Dockerfile", "FROM alpine AS Build\nCOPY x\n");
    let (code, out, _) = run(&["clean"], &d);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = run(&["bad/Dockerfile"], &d);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "bad/Dockerfile:1:6: warning[ImageTagMissing]: Tag the image explicitly (`alpine:<version>`, and `@sha256:...` for production); without a tag it is `alpine:latest`\nbad/Dockerfile:1:16: warning[StageNameCasing]: Stage name 'Build' should be lowercase\nbad/Dockerfile:2:1: error[ArgumentCount]: COPY requires at least two arguments\n"
    );
    // Errors only: the error still fails; ignoring the rule makes it pass.
    assert_eq!(run(&["--fail-level", "error", "bad"], &d).0, 1);
    assert_eq!(
        run(
            &["--fail-level", "error", "--ignore", "ArgumentCount", "bad"],
            &d
        )
        .0,
        0
    );
    assert_eq!(run(&["--select", "DL3024", "bad"], &d).0, 0);
    // Usage errors.
    assert_eq!(run(&["--format", "xml", "bad"], &d).0, 2);
    assert_eq!(run(&["--select", "NoSuchRule", "bad"], &d).0, 2);
}

#[test]
fn unreadable_file_is_reported_and_others_checked() {
    let d = tmpdir("io");
    write(&d, "Dockerfile", "FROM alpine AS Build\n");
    let (code, out, err) = run(&["Dockerfile", "missing/Dockerfile"], &d);
    assert_eq!(code, 2);
    assert!(out.contains("StageNameCasing"), "{out}");
    assert!(err.contains("missing/Dockerfile: cannot read"), "{err}");
}

#[test]
fn directories_formats_and_config() {
    let d = tmpdir("fmt");
    write(&d, "svc/app.dockerfile", "FROM alpine AS Build\n");
    write(&d, "svc/Containerfile", "FROM alpine\nMAINTAINER me\n");
    write(&d, "svc/notes.md", "FROM x AS Y\n");
    write(
        &d,
        ".docksmith.toml",
        "[rules]\nMaintainerDeprecated = \"error\"\nImageTagMissing = \"off\"\n",
    );
    let (code, out, _) = run(&["--format", "json", "."], &d);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("MaintainerDeprecated", "error"),
            ("StageNameCasing", "warning")
        ]
    );
    let (_, out, _) = run(&["--format", "sarif", "."], &d);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 2);
    let (_, out, _) = run(&["--format", "github", "svc/app.dockerfile"], &d);
    assert_eq!(
        out,
        "::warning file=svc/app.dockerfile,line=1,col=16,endLine=1,endColumn=21,title=StageNameCasing::Stage name 'Build' should be lowercase\n"
    );
    let (_, out, _) = run(&["--format", "checkstyle", "svc/app.dockerfile"], &d);
    assert!(
        out.contains("<error line=\"1\" column=\"16\" severity=\"warning\""),
        "{out}"
    );
}

#[test]
fn fix_in_place_and_stdin() {
    let d = tmpdir("fix");
    let p = write(
        &d,
        "Dockerfile",
        "FROM alpine:3 as Build\nMAINTAINER me\nENV A 1\nCMD run it\n",
    );
    let (code, _, _) = run(&["--fix", "Dockerfile"], &d);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "FROM alpine:3 AS build\nLABEL org.opencontainers.image.authors=\"me\"\nENV A=1\nCMD [\"run\", \"it\"]\n"
    );
    let mut child = bin()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM a:1 AS B\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("<stdin>:1:13: warning[StageNameCasing]")
    );
}
