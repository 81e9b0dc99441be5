//! Check every real-world corpus file once (parse, model, rules), in one thread; for
//! profiling the many-small-files case (`docksmith check`) with
//! `valgrind --tool=callgrind` or `--tool=dhat`.

// The system allocator, as the `docksmith` binary.

fn main() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/realworld"
    );
    let mut paths = Vec::new();
    for repo in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(repo.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            paths.push(f.path());
        }
    }
    paths.sort();
    let opts = docksmith_analysis::diagnostics::Options::default();
    let mut n = 0;
    for p in &paths {
        if let Ok(t) = std::fs::read_to_string(p) {
            n += docksmith_analysis::diagnostics::check_text(&t, &opts).len();
        }
    }
    eprintln!("{} files, {n} diagnostics", paths.len());
}
