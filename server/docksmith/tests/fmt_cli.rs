//! `docksmith fmt` as a user runs it: files and directories, `--check`, `--diff`, stdin,
//! `.docksmith.toml`, exit codes and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_docksmith");

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("docksmith-fmt-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .arg("fmt")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const MESSY: &str = "from alpine\nrun a \\\nb\n";
const CLEAN: &str = "FROM alpine\nRUN a \\\n    b\n";

#[test]
fn check_diff_and_write() {
    let d = tempdir("basic");
    std::fs::create_dir_all(d.join("svc/.hidden")).unwrap();
    std::fs::write(d.join("svc/Dockerfile"), MESSY).unwrap();
    std::fs::write(d.join("svc/api.dockerfile"), CLEAN).unwrap();
    std::fs::write(d.join("svc/.hidden/Dockerfile"), MESSY).unwrap();
    std::fs::write(d.join("svc/README.md"), MESSY).unwrap();

    // --check: lists the unformatted file, exit 1, changes nothing.
    let out = run(&d, &["--check"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "./svc/Dockerfile: not formatted\n");
    assert_eq!(
        std::fs::read_to_string(d.join("svc/Dockerfile")).unwrap(),
        MESSY
    );

    // --diff: a unified diff, exit 1.
    let out = run(&d, &["--diff", "svc"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "--- svc/Dockerfile\n+++ svc/Dockerfile (formatted)\n@@ -1,3 +1,3 @@\n-from alpine\n+FROM alpine\n-run a \\\n+RUN a \\\n-b\n+    b\n"
    );

    // Write in place; then --check is clean. Hidden directories and other files untouched.
    let out = run(&d, &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(d.join("svc/Dockerfile")).unwrap(),
        CLEAN
    );
    assert_eq!(
        std::fs::read_to_string(d.join("svc/.hidden/Dockerfile")).unwrap(),
        MESSY
    );
    assert_eq!(
        std::fs::read_to_string(d.join("svc/README.md")).unwrap(),
        MESSY
    );
    assert!(text(&out.stderr).contains("formatted 1 of 2 file(s)"));
    let out = run(&d, &["--check"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn stdin_and_project_config() {
    let d = tempdir("config");
    std::fs::write(
        d.join(".docksmith.toml"),
        "[format]\nuse-tabs = true\nkeyword-case = \"lower\"\n",
    )
    .unwrap();
    let out = run(&d, &["-"], Some(MESSY));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "from alpine\nrun a \\\n\tb\n");
    let out = run(&d, &["--check", "-"], Some("from alpine\n"));
    assert_eq!(out.status.code(), Some(0));

    // A mistake in the configuration: exit 2, the file and key named.
    std::fs::write(
        d.join(".docksmith.toml"),
        "[format]\nkeyword-case = \"loud\"\n",
    )
    .unwrap();
    std::fs::write(d.join("Dockerfile"), MESSY).unwrap();
    let out = run(&d, &[], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(".docksmith.toml: [format] keyword-case: expected"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        MESSY
    );

    // A missing path: exit 2, named.
    let out = run(&d, &["nope/Dockerfile"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nope/Dockerfile: no such file or directory"));
    let _ = std::fs::remove_dir_all(&d);
}
