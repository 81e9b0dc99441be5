//! From findings in byte offsets (syntax errors, Compose findings) to LSP diagnostics, and
//! the severity mapping that the rules' diagnostics (`lint.rs`) share. Only the findings'
//! ranges are converted, each in O(log n) on the rope.

use docksmith_syntax::{SyntaxError, TextRange};
use ropey::Rope;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::position::{PositionEncoding, range_to_lsp};

/// The `source` of every diagnostic we publish.
pub const SOURCE: &str = "docksmith";

pub use docksmith_analysis::diagnostics::Severity;

/// A finding in byte offsets that is not a rule's diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub range: TextRange,
    pub severity: Severity,
    /// A rule name or code, if any (e.g. `StageNameCasing`).
    pub code: Option<String>,
    pub message: String,
}

impl From<SyntaxError> for Finding {
    fn from(e: SyntaxError) -> Self {
        Self {
            range: e.range,
            severity: Severity::Error,
            code: None,
            message: e.message,
        }
    }
}

/// The LSP severity of a finding or a rule's diagnostic.
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Converts findings to LSP diagnostics against `rope` (which must hold the text the findings
/// were computed on).
pub fn to_lsp(
    rope: &Rope,
    findings: impl IntoIterator<Item = Finding>,
    enc: PositionEncoding,
) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .map(|f| Diagnostic {
            range: range_to_lsp(rope, f.range, enc),
            severity: Some(severity(f.severity)),
            code: f.code.map(NumberOrString::String),
            source: Some(SOURCE.to_owned()),
            message: f.message,
            ..Diagnostic::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    #[test]
    fn syntax_errors_become_error_diagnostics() {
        let rope = Rope::from_str("FROM a\nCMD [\"😀\", 1]\n");
        let err = SyntaxError {
            range: TextRange::new(7, 21),
            message: "bad".into(),
            kind: docksmith_syntax::ErrorKind::Parse,
        };
        let d = to_lsp(&rope, [Finding::from(err.clone())], PositionEncoding::Utf16);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].range,
            Range {
                start: Position {
                    line: 1,
                    character: 0
                },
                end: Position {
                    line: 1,
                    character: 12
                }
            }
        );
        assert_eq!(d[0].severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(d[0].source.as_deref(), Some("docksmith"));
        assert_eq!(d[0].message, "bad");
        let d = to_lsp(&rope, [Finding::from(err)], PositionEncoding::Utf8);
        assert_eq!(
            d[0].range.end,
            Position {
                line: 1,
                character: 14
            }
        );
    }
}
