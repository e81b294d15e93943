//! Front matter: the YAML block between `---` lines at the top of a file.
//!
//! This is the only module that knows the YAML crate, so that replacing it touches one file:
//! it is `yaml_serde`, the YAML organisation's maintained continuation of serde_yaml, under
//! serde_yaml's name. Every problem is reported in the coordinates
//! of the whole file, not of the YAML block, because that is what an editor shows.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{suggest, Diagnostic};

/// A file split into its front matter and its body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the fences; empty when the file has none.
    pub yaml: &'a str,
    /// The 1-based line of the file where the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `text` at its front matter fences. A file without an opening `---` is all body.
pub fn split(text: &str) -> Result<Split<'_>, String> {
    let Some(after_open) = strip_fence(text) else {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.trim_end() == "---" || bare.trim_end() == "..." {
            let yaml = &text[yaml_start..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: &text[body_start..],
                body_line: text[..body_start].matches('\n').count() + 1,
            });
        }
        offset += line.len();
    }
    Err(
        "front matter opened with `---` on line 1 is never closed: expected a line `---` after it"
            .to_string(),
    )
}

fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Parses front matter into `T`. Unknown top-level fields become warnings that suggest the
/// nearest known field; type and syntax errors become one error at their place in the file.
pub fn parse<T: DeserializeOwned + Default>(
    path: &Path,
    split: &Split<'_>,
    known_fields: &[&str],
) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
    if split.yaml.trim().is_empty() {
        return Ok((T::default(), Vec::new()));
    }
    let mut unknown = Vec::new();
    let yaml = serde_yaml::Deserializer::from_str(split.yaml);
    let mut note_unknown = |ignored: serde_ignored::Path<'_>| unknown.push(ignored.to_string());
    let tracked = serde_ignored::Deserializer::new(yaml, &mut note_unknown);
    let value: T = serde_path_to_error::deserialize(tracked)
        .map_err(|e| yaml_diagnostic(path, split, e.path(), e.inner()))?;
    let warnings = unknown
        .iter()
        .filter(|field| !field.contains('.') && !field.contains('?'))
        .map(|field| unknown_field_warning(path, split, field, known_fields))
        .collect();
    Ok((value, warnings))
}

/// A YAML error at its place in the file. A value of the wrong type is placed at its field,
/// since the YAML crate only knows where the enclosing mapping started.
fn yaml_diagnostic(
    path: &Path,
    split: &Split<'_>,
    field: &serde_path_to_error::Path,
    error: &serde_yaml::Error,
) -> Diagnostic {
    let mut message = yaml_message(error);
    let top_field = field.iter().next().map(ToString::to_string);
    if let Some(name) = top_field.as_deref().filter(|f| !f.is_empty() && *f != "?") {
        // The YAML crate starts some messages with the field's path already.
        let bare = message.trim_start_matches("front matter: ");
        let prefix = format!("{field}: ");
        let bare = bare.strip_prefix(prefix.as_str()).unwrap_or(bare);
        message = format!("front matter field `{field}`: {bare}");
        if let Some(line) = key_line(split.yaml, name) {
            let nested = field.iter().count() > 1;
            let error_line = error.location().map(|l| place_in_yaml(split.yaml, &l).0);
            if !nested || error_line.is_none_or(|l| l <= line) {
                return Diagnostic::error(path, message)
                    .kind("front-matter")
                    .at(split.yaml_line + line - 1, 1);
            }
        }
    }
    let diagnostic = Diagnostic::error(path, message).kind("front-matter");
    match error.location() {
        Some(location) => {
            let (line, column) = place_in_yaml(split.yaml, &location);
            diagnostic.at(split.yaml_line + line - 1, column)
        }
        None => diagnostic.at_line(split.yaml_line),
    }
}

/// The line and column of an error in the YAML block, counted from its byte offset: the YAML
/// crate's own line counts a lone carriage return as a line break, which no line of the file
/// (nor an editor's line number) does.
fn place_in_yaml(yaml: &str, location: &serde_yaml::Location) -> (usize, usize) {
    crate::text::line_column(yaml.as_bytes(), location.index())
}

/// serde_yaml appends " at line X column Y" in block coordinates; we give our own.
fn yaml_message(error: &serde_yaml::Error) -> String {
    let text = error.to_string();
    let trimmed = match text.find(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    format!("front matter: {trimmed}")
}

fn unknown_field_warning(
    path: &Path,
    split: &Split<'_>,
    field: &str,
    known_fields: &[&str],
) -> Diagnostic {
    let mut message = format!("unknown field `{field}`");
    match suggest(field, known_fields) {
        Some(known) => message.push_str(&format!(", did you mean `{known}`?")),
        None => message.push_str(" is ignored (custom fields go under `extra`)"),
    }
    let warning = Diagnostic::warning(path, message).kind("unknown-field");
    match key_line(split.yaml, field) {
        Some(line) => warning.at(split.yaml_line + line - 1, 1),
        None => warning.at_line(split.yaml_line),
    }
}

/// The line in the file of every top-level key of the front matter.
pub fn field_lines(split: &Split<'_>) -> std::collections::BTreeMap<String, usize> {
    split
        .yaml
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, line)| {
            let (key, _) = line.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']);
            Some((key.to_string(), split.yaml_line + i))
        })
        .collect()
}

/// The 1-based line of a top-level key in a YAML block.
fn key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::{EpisodeFront, EPISODE_FIELDS};

    fn parse_episode(text: &str) -> Result<(EpisodeFront, Vec<Diagnostic>), Diagnostic> {
        let split = split(text).unwrap();
        parse(Path::new("content/s/e.md"), &split, EPISODE_FIELDS)
    }

    #[test]
    fn splits_at_the_fences_and_counts_body_lines() {
        let s = split("---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let none = split("just text").unwrap();
        assert_eq!(none.body, "just text");
        assert!(split("---\ntitle: A\n").is_err());
    }

    #[test]
    fn crlf_front_matter_splits_too() {
        let s = split("---\r\ntitle: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn a_bad_date_is_reported_at_its_line_in_the_file() {
        let err = parse_episode("---\ntitle: A\ndate: yesterday\n---\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("invalid date `yesterday`"), "{err}");
    }

    #[test]
    fn malformed_yaml_is_reported_at_its_line_in_the_file() {
        let err = parse_episode("---\ntitle: A\ntags: [a, b\n---\n").unwrap_err();
        assert!(err.line.unwrap() >= 3, "{err}");
        assert!(err.is_error());
    }

    /// Found by fuzzing: YAML counts a lone carriage return as a line break and the file's
    /// lines do not, so an error after one was placed on a line past the end of the file.
    #[test]
    fn a_yaml_error_after_lone_carriage_returns_is_on_its_line_in_the_file() {
        let text = "---\ntitle: A\nse\r\r\rason: 1\ntags: [a, b\n---\n";
        let err = parse_episode(text).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn an_unknown_field_is_a_warning_with_a_suggestion() {
        let (front, warnings) = parse_episode("---\ntitle: A\nspeker:\n  - Ann\n---\n").unwrap();
        assert_eq!(front.title.as_deref(), Some("A"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(3));
        assert!(warnings[0].message.contains("did you mean `speakers`?"));
    }

    #[test]
    fn speakers_as_names_or_with_roles() {
        let (front, _) =
            parse_episode("---\ntitle: A\nspeakers:\n  - Ann\n  - {name: Bo, role: host}\n---\n")
                .unwrap();
        assert_eq!(front.speakers[0].name(), "Ann");
        assert_eq!(front.speakers[1].role(), Some("host"));
    }
}
