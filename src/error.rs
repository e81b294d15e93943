//! Problems found while building, as values the binary can print.
//!
//! Every problem that comes from a file names that file, and where it can, the line and
//! column in the file's own coordinates, so an editor can jump straight to it. The library
//! never prints: it hands these back and the binary decides how to show them.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file when it comes from one. Serializable, so that the build
/// cache can show the warnings of a build it skips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// What kind of problem this is (`unknown-field`, `broken-link`, …), for summaries.
    pub kind: Cow<'static, str>,
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            kind: Cow::Borrowed("error"),
            path: path.as_ref().to_path_buf(),
            line: None,
            column: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            kind: Cow::Borrowed("warning"),
            ..Diagnostic::error(path, message)
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = Cow::Borrowed(kind);
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_path(mut self, path: impl AsRef<Path>) -> Self {
        self.path = path.as_ref().to_path_buf();
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)
    }
}

/// Why a build or check did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files, all of them, sorted by file and line.
    #[error("{}", render_list(.0))]
    Content(Vec<Diagnostic>),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A theme that cannot be loaded or a template that fails to render.
    #[error("{0}")]
    Theme(String),
    /// The search index could not be built.
    #[error("search index: {0}")]
    Search(String),
    /// The output folder is one a build must not write to, or must not replace.
    #[error("{0}")]
    Output(String),
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// The problems to report, whatever kind of error this is.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(list) => list,
            _ => &[],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Content(vec![diagnostic])
    }
}

fn render_list(list: &[Diagnostic]) -> String {
    let lines: Vec<String> = list.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Sorts problems the way a reader scans them: by file, then line, then column.
pub fn sort_diagnostics(list: &mut [Diagnostic]) {
    list.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Warnings as a build prints them: the first `per_kind` of each kind, then one line for the
/// rest of that kind. A generated or imported archive can repeat one warning in every file, and
/// a thousand lines would hide everything else; `verbatim check` lists them all.
pub fn abridge(warnings: &[Diagnostic], per_kind: usize) -> Vec<String> {
    let mut shown: Vec<(&str, usize)> = Vec::new();
    let mut lines = Vec::new();
    for warning in warnings {
        match shown.iter_mut().find(|(kind, _)| *kind == warning.kind) {
            Some((_, count)) => *count += 1,
            None => shown.push((&warning.kind, 1)),
        }
        if shown
            .iter()
            .any(|&(kind, count)| kind == warning.kind && count <= per_kind)
        {
            lines.push(warning.to_string());
        }
    }
    for (kind, count) in shown {
        if count > per_kind {
            let more = count - per_kind;
            let plural = if more == 1 { "" } else { "s" };
            lines.push(format!(
                "… and {more} more `{kind}` warning{plural} (`verbatim check` lists them all)"
            ));
        }
    }
    lines
}

/// The nearest of `candidates` to a misspelt `word`, when one is close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_gets_the_nearest_known_word() {
        let known = ["title", "speakers", "date"];
        assert_eq!(suggest("speker", &known), Some("speakers"));
        assert_eq!(suggest("titel", &known), Some("title"));
        assert_eq!(suggest("zzzzzzzz", &known), None);
    }

    #[test]
    fn a_build_shows_a_few_warnings_of_each_kind_and_counts_the_rest() {
        let mut warnings: Vec<Diagnostic> = (1..=7)
            .map(|n| {
                Diagnostic::warning(format!("content/{n}.md"), "no length").kind("audio-length")
            })
            .collect();
        warnings.insert(
            3,
            Diagnostic::warning("content/x.md", "empty").kind("empty-file"),
        );
        let lines = abridge(&warnings, 2);
        assert_eq!(
            lines,
            [
                "content/1.md: warning: no length",
                "content/2.md: warning: no length",
                "content/x.md: warning: empty",
                "… and 5 more `audio-length` warnings (`verbatim check` lists them all)",
            ]
        );
        assert_eq!(abridge(&warnings[..2], 2).len(), 2);
    }

    #[test]
    fn a_diagnostic_reads_like_a_compiler_message() {
        let d = Diagnostic::error("content/a.md", "bad").at(3, 7);
        assert_eq!(d.to_string(), "content/a.md:3:7: error: bad");
    }
}
