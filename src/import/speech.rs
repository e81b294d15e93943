//! What every text format shares: decoding the bytes, and reading who speaks from the text
//! itself (`Name: text`, `[SPEAKER_00]: text`, `>> text`), since captions rarely have a field
//! for it.
//!
//! Saying that a sentence starts with a name is a guess, so the guess is narrow: a short run
//! of capitalised words, the diarization labels tools write, or a broadcast `>>` marker. A
//! missed label costs an edit; a sentence turned into a speaker costs the reader's trust.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::Diagnostic;
use crate::text::{line_column, one_line};

/// The file as text, or why it is not one: a NUL byte (binary, or UTF-16) or bytes that are
/// not UTF-8, located by line and column; or nothing in it at all.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = line_column(bytes, at);
        return Err(Diagnostic::error(
            path,
            "not a text file: a NUL byte (a binary file, or UTF-16 text: save it as UTF-8)",
        )
        .kind("import")
        .at(line, column));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        Diagnostic::error(path, "not UTF-8 text: save the file as UTF-8")
            .kind("import")
            .at(line, column)
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "the file is empty").kind("import"));
    }
    Ok(text.to_string())
}

/// A stretch of a caption's text, and the speaker it starts with when it starts a new voice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub speaker: Option<String>,
    pub text: String,
}

/// Reads speaker changes written into caption text. Unnamed `>>` changes count up through the
/// whole file: `>>` says a new voice starts, not which one, so each gets a fresh `Speaker N`.
#[derive(Debug, Default)]
pub struct Voices {
    unnamed: usize,
}

impl Voices {
    /// One line of text as pieces: a new piece at each `>>` marker, and one at the start when
    /// the line opens with a label. `clean` turns each part's markup into plain text; it runs
    /// after the markers are found, so an escaped `&gt;&gt;` stays text.
    pub fn split_line(&mut self, line: &str, clean: impl Fn(&str) -> String) -> Vec<Piece> {
        let mut pieces = Vec::new();
        for (i, part) in split_at_markers(line).into_iter().enumerate() {
            let marked = i > 0 || line.trim_start().starts_with(">>");
            let cleaned = one_line(&clean(part));
            let part = cleaned.as_str();
            let piece = match speaker_prefix(part) {
                Some((name, rest)) => Piece {
                    speaker: Some(name),
                    text: rest.to_string(),
                },
                None if marked => {
                    self.unnamed += 1;
                    Piece {
                        speaker: Some(format!("Speaker {}", self.unnamed)),
                        text: part.to_string(),
                    }
                }
                None => Piece {
                    speaker: None,
                    text: part.to_string(),
                },
            };
            if piece.speaker.is_some() || !piece.text.is_empty() {
                pieces.push(piece);
            }
        }
        pieces
    }
}

/// The text between `>>` markers; the first part is whatever comes before the first one.
fn split_at_markers(line: &str) -> Vec<&str> {
    let trimmed = line.trim_start();
    let mut parts: Vec<&str> = trimmed.split(">>").collect();
    if trimmed.starts_with(">>") {
        parts.remove(0);
    }
    parts
}

/// Pieces without a speaker belong to the piece before them: one piece per voice.
pub fn join_pieces(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut joined: Vec<Piece> = Vec::new();
    for piece in pieces {
        match joined.last_mut() {
            Some(last) if piece.speaker.is_none() => {
                if !last.text.is_empty() && !piece.text.is_empty() {
                    last.text.push(' ');
                }
                last.text.push_str(&piece.text);
            }
            _ => joined.push(piece),
        }
    }
    joined
}

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\[([^\]:\n]{1,40})\]|([^\s:\[\]][^:\n]{0,39}?))[ \t]*:(?:[ \t]+|$)")
        .expect("valid regex")
});

/// `Ann Lee: text`, `[SPEAKER_00]: text` or `SPEAKER_00: text` → the label and the text after
/// it. A bracketed label is taken as it is; a bare one only when it looks like a name.
pub fn speaker_prefix(text: &str) -> Option<(String, &str)> {
    let captures = PREFIX.captures(text)?;
    let whole = captures.get(0)?;
    let name = match (captures.get(1), captures.get(2)) {
        (Some(bracketed), _) => bracketed.as_str().trim(),
        (None, Some(bare)) if crate::text::looks_like_name(bare.as_str().trim()) => {
            bare.as_str().trim()
        }
        _ => return None,
    };
    (!name.is_empty()).then(|| (name.to_string(), &text[whole.end()..]))
}

static VTT_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // `<i>`, `</c>`, `<c.yellow>`, `<00:00:01.230>`: WebVTT escapes a `<` in text, so every
    // one left is markup.
    Regex::new(r"<[^<>]*>").expect("valid regex")
});

static SRT_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // SRT has no escapes, so only the tags players know are markup: `<i>`, `<font
    // color="red">`, and the `{\an8}` positions of SubStation. `<anyprevout.xyz>` is text.
    Regex::new(r"(?i)</?(?:b|i|u|s|font)(?:\s[^<>]*)?>|\{\\[^}]*\}").expect("valid regex")
});

/// WebVTT cue text without its markup and inline timing tags.
pub fn strip_tags(text: &str) -> String {
    VTT_TAG.replace_all(text, "").into_owned()
}

/// SRT text without the formatting tags players know.
pub fn strip_srt_tags(text: &str) -> String {
    SRT_TAG.replace_all(text, "").into_owned()
}

/// WebVTT's character references (`&amp;`, `&lt;`, `&#8217;`…) as the characters they stand
/// for; an `&` that starts none stays as it is.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let character = reference(&rest[1..end])?;
            Some((character, end))
        }) {
            Some((character, end)) => {
                out.push_str(character.as_deref().unwrap_or(""));
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a reference's name stands for: a character, nothing (the invisible direction marks),
/// or `None` when it is not a reference.
fn reference(name: &str) -> Option<Option<String>> {
    let character = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "lrm" | "rlm" => return Some(None),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some(Some(character.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(text: &str) -> Option<(String, String)> {
        speaker_prefix(text).map(|(n, r)| (n, r.to_string()))
    }

    #[test]
    fn labels_that_name_someone() {
        let want = |n: &str, r: &str| Some((n.to_string(), r.to_string()));
        assert_eq!(prefix("Ann Lee: Hello."), want("Ann Lee", "Hello."));
        assert_eq!(prefix("[SPEAKER_00]: Hi"), want("SPEAKER_00", "Hi"));
        assert_eq!(prefix("SPEAKER_01: Hi"), want("SPEAKER_01", "Hi"));
        assert_eq!(prefix("Dr. J. Hartley: Yes"), want("Dr. J. Hartley", "Yes"));
        assert_eq!(
            prefix("Ludwig van Beethoven: Da"),
            want("Ludwig van Beethoven", "Da")
        );
        assert_eq!(prefix("Speaker 2:"), want("Speaker 2", ""));
        assert_eq!(prefix("JOHN SMITH: Well"), want("JOHN SMITH", "Well"));
        assert_eq!(
            prefix("Audience member 1: Why?"),
            want("Audience member 1", "Why?")
        );
    }

    #[test]
    fn sentences_with_colons_are_not_labels() {
        assert_eq!(prefix("It's 4:50 in the morning"), None);
        assert_eq!(prefix("My notebook says: bittern"), None);
        assert_eq!(prefix("Note: this is prose"), None);
        assert_eq!(prefix("Yes. Well: maybe"), None);
        assert_eq!(prefix("So, Ann: tell me"), None);
        assert_eq!(prefix("[00:01:02] Ann: hi"), None);
    }

    #[test]
    fn broadcast_markers_start_new_voices() {
        let mut voices = Voices::default();
        let names = |pieces: Vec<Piece>| -> Vec<(Option<String>, String)> {
            pieces.into_iter().map(|p| (p.speaker, p.text)).collect()
        };
        assert_eq!(
            names(voices.split_line(">> Hello there.", str::to_string)),
            [(Some("Speaker 1".into()), "Hello there.".into())]
        );
        assert_eq!(
            names(voices.split_line(">> JUDY WOODRUFF: Good evening. >> Thanks.", str::to_string)),
            [
                (Some("JUDY WOODRUFF".into()), "Good evening.".into()),
                (Some("Speaker 2".into()), "Thanks.".into())
            ]
        );
        assert_eq!(
            names(voices.split_line("and so on", str::to_string)),
            [(None, "and so on".into())]
        );
    }

    #[test]
    fn markup_and_references() {
        assert_eq!(
            strip_tags("hello<00:00:00.420><c> everyone</c>"),
            "hello everyone"
        );
        assert_eq!(
            strip_srt_tags("<i>so</i> {\\an8}<FONT color=\"red\">signal</font> < noise <a.xyz>"),
            "so signal < noise <a.xyz>"
        );
        assert_eq!(
            unescape("A &amp; B &lt;3 &#8217; &x; &"),
            "A & B <3 ’ &x; &"
        );
    }

    #[test]
    fn binary_and_broken_text_are_located() {
        let path = Path::new("x.vtt");
        let nul = decode(path, b"WEBVTT\n\nab\0c").unwrap_err();
        assert_eq!((nul.line, nul.column), (Some(3), Some(3)));
        let latin1 = decode(path, b"WEBVTT\nn\xe9e").unwrap_err();
        assert_eq!((latin1.line, latin1.column), (Some(2), Some(2)));
        assert!(decode(path, b" \n\n")
            .unwrap_err()
            .message
            .contains("empty"));
        assert_eq!(decode(path, b"\xEF\xBB\xBFWEBVTT").unwrap(), "WEBVTT");
    }
}
