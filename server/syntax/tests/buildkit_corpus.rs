//! BuildKit's own parser cases from `../shared/corpus` (skipped, saying so, when the
//! corpus is absent).

use std::path::{Path, PathBuf};

use docksmith_syntax::{Dockerfile, dump};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus not found at {}", dir.display());
        None
    }
}

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

#[test]
fn positive_cases_dump_like_buildkit() {
    let Some(dir) = corpus() else { return };
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("buildkit-parser"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let df = Dockerfile::parse(&read(&case.join("Dockerfile")));
        let expected = read(&case.join("result"));
        match dump::buildkit(&df) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            )),
            Err(e) => failures.push(format!("{}: unexpected errors {e:?}", case.display())),
        }
    }
    eprintln!(
        "buildkit-parser: {} of {} cases match",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 33);
}

#[test]
fn negative_cases_are_rejected() {
    let Some(dir) = corpus() else { return };
    let mut n = 0;
    for e in std::fs::read_dir(dir.join("buildkit-parser-negative")).unwrap() {
        let case = e.unwrap().path();
        let df = Dockerfile::parse(&read(&case.join("Dockerfile")));
        let errs = dump::buildkit(&df).expect_err(&case.display().to_string());
        eprintln!(
            "{}: {}",
            case.file_name().unwrap().to_string_lossy(),
            errs[0].message
        );
        n += 1;
    }
    assert_eq!(n, 4);
}
