//! Textual dumps of a parse, used by `docksmith parse` and by the conformance tests.

use std::fmt::Write as _;

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::model::{Args, ErrorKind, Instruction, InstructionKind, NodeKind};
use crate::{Dockerfile, SyntaxError, TextRange};

/// BuildKit's `Node.Dump()` format: one line per instruction, each ending in `\n`
/// (the `result` files of BuildKit's parser tests). Fails with the errors that make
/// BuildKit's parser reject the file.
pub fn buildkit(df: &Dockerfile) -> Result<String, Vec<SyntaxError>> {
    let errors: Vec<SyntaxError> = df
        .errors()
        .into_iter()
        .filter(|e| e.kind == ErrorKind::Parse)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = String::new();
    for i in df.instructions() {
        out.push('(');
        out.push_str(&dump_instruction(i.inst));
        out.push_str(")\n");
    }
    Ok(out)
}

fn dump_instruction(inst: &Instruction) -> String {
    let mut s = inst.keyword.text.to_lowercase();
    if !inst.flags.is_empty() {
        s.push_str(" [");
        for (k, f) in inst.flags.iter().enumerate() {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(&go_quote(&f.processed));
        }
        s.push(']');
    }
    let mut args: Vec<String> = Vec::new();
    if inst.kind == InstructionKind::Unknown {
        args.push(go_quote(""));
    } else {
        dump_args(&inst.args, &mut args);
    }
    for a in args {
        s.push(' ');
        s.push_str(&a);
    }
    s.trim().to_string()
}

fn dump_args(args: &Args, out: &mut Vec<String>) {
    match args {
        Args::None => {}
        Args::Words(ws) => out.extend(ws.iter().map(|w| go_quote(&w.text))),
        Args::Json { elements, .. } => out.extend(elements.iter().map(|w| go_quote(&w.text))),
        Args::Text(w) => out.push(go_quote(&w.text)),
        Args::Pairs { pairs, legacy } => {
            for p in pairs {
                out.push(go_quote(&p.key.text));
                out.push(go_quote(p.value.as_ref().map_or("", |v| v.text.as_str())));
                out.push(go_quote(if *legacy { "" } else { "=" }));
            }
        }
        Args::Healthcheck { kind: k, command } => {
            out.push(go_quote(&k.text));
            dump_args(command, out);
        }
        Args::Onbuild(inner) => out.push(format!("({})", dump_instruction(inner))),
    }
}

/// Go's `strconv.Quote`: `"` and `\` escaped, `\a\b\f\n\r\t\v` as such, other
/// non-printable characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the
/// ASCII space.
fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter
            | GeneralCategoryGroup::Mark
            | GeneralCategoryGroup::Number
            | GeneralCategoryGroup::Punctuation
            | GeneralCategoryGroup::Symbol
    )
}

/// Our tree: every node with its absolute range, kind and tokens, and each
/// instruction's parts.
pub fn tree(df: &Dockerfile) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Dockerfile {} escape={:?}",
        TextRange::new(0, df.len()),
        df.escape()
    );
    for n in df.nodes() {
        let node = n.node;
        let _ = writeln!(out, "  {:?} {}", node.kind, n.range());
        if let Some(d) = &node.directive {
            let _ = writeln!(
                out,
                "    directive {}={:?} name@{} value@{}{}",
                d.name,
                d.value,
                d.name_range.offset(n.start),
                d.value_range.offset(n.start),
                if d.applied { "" } else { " (not applied)" }
            );
        }
        if let Some(inst) = node
            .instruction
            .as_deref()
            .filter(|_| node.kind == NodeKind::Instruction)
        {
            dump_inst_tree(&mut out, inst, n.start, 4);
        }
        for t in &node.tokens {
            let _ = writeln!(
                out,
                "    token {:?} {} {:?}",
                t.kind,
                t.range.offset(n.start),
                node.slice(t.range)
            );
        }
        for e in &node.errors {
            let _ = writeln!(
                out,
                "    error {} {:?}: {}",
                e.range.offset(n.start),
                e.kind,
                e.message
            );
        }
    }
    if df.instruction_count() == 0 {
        let _ = writeln!(out, "  error 0..0 Parse: file with no instructions");
    }
    out
}

fn dump_inst_tree(out: &mut String, inst: &Instruction, base: u32, indent: usize) {
    let pad = " ".repeat(indent);
    let a = |r: TextRange| r.offset(base);
    let _ = writeln!(
        out,
        "{pad}instruction {:?} {} keyword {:?}@{}",
        inst.kind,
        a(inst.range),
        inst.keyword.text,
        a(inst.keyword.range)
    );
    for f in &inst.flags {
        let _ = writeln!(
            out,
            "{pad}  flag {:?}@{} name {:?}@{} value {:?}@{}",
            f.processed,
            a(f.range),
            f.name,
            a(f.name_range),
            f.value,
            f.value_range.map_or("-".to_string(), |r| a(r).to_string())
        );
    }
    dump_args_tree(out, &inst.args, base, indent + 2);
    for h in &inst.heredocs {
        let _ = writeln!(
            out,
            "{pad}  heredoc {:?} marker@{} name@{} chomp={} expand={} fd={} body@{} terminator@{}",
            h.name,
            a(h.marker),
            a(h.name_range),
            h.chomp,
            h.expand,
            h.fd,
            a(h.body),
            h.terminator.map_or("-".to_string(), |r| a(r).to_string())
        );
    }
    for v in &inst.vars {
        let m = v.modifier.as_ref().map_or(String::new(), |m| {
            format!(" op {:?} word@{}", m.op, a(m.word))
        });
        let _ = writeln!(
            out,
            "{pad}  var {:?} {:?} @{} name@{}{}{}",
            v.name,
            v.context,
            a(v.range),
            a(v.name_range),
            m,
            if v.unterminated { " unterminated" } else { "" }
        );
    }
    for r in &inst.empty_continuation_lines {
        let _ = writeln!(out, "{pad}  empty-continuation-line @{}", a(*r));
    }
}

fn dump_args_tree(out: &mut String, args: &Args, base: u32, indent: usize) {
    let pad = " ".repeat(indent);
    let a = |r: TextRange| r.offset(base);
    match args {
        Args::None => {}
        Args::Words(ws) => {
            for w in ws {
                let _ = writeln!(out, "{pad}word {:?}@{}", w.text, a(w.range));
            }
        }
        Args::Json { range, elements } => {
            let _ = writeln!(out, "{pad}json @{}", a(*range));
            for w in elements {
                let _ = writeln!(out, "{pad}  string {:?}@{}", w.text, a(w.range));
            }
        }
        Args::Text(w) => {
            let _ = writeln!(out, "{pad}text {:?}@{}", w.text, a(w.range));
        }
        Args::Pairs { pairs, legacy } => {
            for p in pairs {
                let _ = writeln!(
                    out,
                    "{pad}pair{} key {:?}@{} value {}",
                    if *legacy { " (legacy)" } else { "" },
                    p.key.text,
                    a(p.key.range),
                    p.value.as_ref().map_or("-".to_string(), |v| format!(
                        "{:?}@{}",
                        v.text,
                        a(v.range)
                    ))
                );
            }
        }
        Args::Healthcheck { kind, command } => {
            let _ = writeln!(out, "{pad}healthcheck {:?}@{}", kind.text, a(kind.range));
            dump_args_tree(out, command, base, indent + 2);
        }
        Args::Onbuild(inner) => dump_inst_tree(out, inner, base, indent),
    }
}
