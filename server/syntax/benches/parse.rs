//! Parser benchmarks on generated multi-stage Dockerfiles of 1k, 10k and 50k lines:
//! a full parse, and the incremental reparse after a one-character edit.
//!
//! Run: `cargo bench -p docksmith-syntax --bench parse`

use docksmith_syntax::Dockerfile;

// mimalloc, so that allocation costs less noise; the `docksmith` binary itself uses the
// system allocator (see its main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn text(lines: usize) -> String {
    docksmith_testgen::dockerfile(lines, 42)
}

/// Byte offset of the end of the first one-line RUN in the middle of the file.
fn typing_offset(text: &str) -> usize {
    let mid = text.len() / 2;
    let line_start = text[..mid].rfind('\n').map_or(0, |i| i + 1);
    let mut at = line_start;
    for line in text[line_start..].split_inclusive('\n') {
        if line.starts_with("RUN ") && !line.trim_end().ends_with('\\') && !line.contains("<<") {
            return at + line.trim_end_matches('\n').len();
        }
        at += line.len();
    }
    mid
}

#[divan::bench(args = SIZES)]
fn full_parse(bencher: divan::Bencher<'_, '_>, lines: usize) {
    let t = text(lines);
    bencher
        .counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| Dockerfile::parse(divan::black_box(&t)));
}

/// Insert one character at the end of a RUN line in the middle of the file.
#[divan::bench(args = SIZES)]
fn incremental_insert_char(bencher: divan::Bencher<'_, '_>, lines: usize) {
    let t = text(lines);
    let at = typing_offset(&t);
    let df = Dockerfile::parse(&t);
    bencher
        .with_inputs(|| df.clone())
        .bench_local_refs(|df| df.apply_edit(at, at, "x"));
}

/// Type a newline in the middle of a RUN line (splits one instruction into two nodes).
#[divan::bench(args = SIZES)]
fn incremental_insert_newline(bencher: divan::Bencher<'_, '_>, lines: usize) {
    let t = text(lines);
    let at = typing_offset(&t) - 2;
    let df = Dockerfile::parse(&t);
    bencher
        .with_inputs(|| df.clone())
        .bench_local_refs(|df| df.apply_edit(at, at, "\n"));
}

/// Open a heredoc that is not closed: everything below becomes its body.
#[divan::bench(args = SIZES)]
fn incremental_open_heredoc(bencher: divan::Bencher<'_, '_>, lines: usize) {
    let t = text(lines);
    let at = typing_offset(&t);
    let df = Dockerfile::parse(&t);
    bencher
        .with_inputs(|| df.clone())
        .bench_local_refs(|df| df.apply_edit(at, at, " <<NEVER_CLOSED"));
}
