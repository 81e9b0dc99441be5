//! Properties on arbitrary input: no panic, lossless, incremental == full.

use docksmith_syntax::Dockerfile;
use proptest::prelude::*;

/// Text biased towards Dockerfile syntax, with arbitrary Unicode mixed in.
fn dockerfile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\\\n".to_string()),
        Just("`\n".to_string()),
        Just("# escape=`\n".to_string()),
        Just("#".to_string()),
        Just("RUN ".to_string()),
        Just("FROM a AS b\n".to_string()),
        Just("COPY <<EOF /x\n".to_string()),
        Just("EOF\n".to_string()),
        Just("<<-".to_string()),
        Just("[\"a\", ".to_string()),
        Just("]".to_string()),
        Just("${A:-".to_string()),
        Just("}".to_string()),
        Just("--flag=\"x y\" ".to_string()),
        Just("ENV k v\n".to_string()),
        Just("ONBUILD ".to_string()),
        Just("\u{feff}".to_string()),
        any::<String>(),
        "[ a-zA-Z=\"'$\\\\`#\\[\\]{}<>-]{0,12}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_lossless(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let df = Dockerfile::parse(&text);
        prop_assert_eq!(df.text(), text.as_ref());
        let _ = df.errors();
        let _ = docksmith_syntax::dump::tree(&df);
        let _ = docksmith_syntax::dump::buildkit(&df);
    }

    #[test]
    fn random_text_is_lossless(text in dockerfile_text()) {
        let df = Dockerfile::parse(&text);
        prop_assert_eq!(df.text(), text.clone());
        let rebuilt: String = df.tokens().map(|t| &text[t.range.as_usize()]).collect();
        prop_assert_eq!(rebuilt, text);
    }

    #[test]
    fn incremental_equals_full(
        text in dockerfile_text(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..12, dockerfile_text()), 1..8),
    ) {
        let mut text = text;
        let mut df = Dockerfile::parse(&text);
        for (at, del, ins) in edits {
            let mut s = at.index(text.len() + 1);
            while !text.is_char_boundary(s) { s -= 1; }
            let mut e = (s + del).min(text.len());
            while !text.is_char_boundary(e) { e -= 1; }
            text.replace_range(s..e, &ins);
            df.apply_edit(s, e, &ins);
            prop_assert_eq!(&df, &Dockerfile::parse(&text), "after edit {}..{} {:?}", s, e, ins);
        }
    }

    #[test]
    fn out_of_range_edits_do_not_panic(text in dockerfile_text(), s in 0usize..1000, e in 0usize..1000, ins in dockerfile_text()) {
        let mut df = Dockerfile::parse(&text);
        df.apply_edit(s, e, &ins);
        let again = Dockerfile::parse(&df.text());
        prop_assert_eq!(df, again);
    }
}
