//! Text exports: Otter.ai's (`Name  0:03` on a line, then what they said) and plain
//! transcripts of `Name: text` lines.
//!
//! Neither has a grammar to speak of, so these readers take what fits and keep every other
//! line as speech: a line that is not a label continues whoever spoke last.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::speech::speaker_prefix;
use super::{Cue, Format, Imported};
use crate::error::Diagnostic;
use crate::model::Timestamp;
use crate::text::one_line;

/// A name, two or more spaces, a time: how Otter opens each speaker's paragraph.
static OTTER_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S.{0,79}?)[ \t]{2,}(\d{1,3}(?::\d{1,2}){1,2})[ \t]*$").expect("valid regex")
});

/// The line Otter's free plan adds at the end of every export; it is not speech.
static OTTER_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^transcribed by https?://otter\.ai/?$").expect("valid regex")
});

pub fn is_otter_heading(line: &str) -> bool {
    OTTER_HEADING.is_match(line.trim_end())
}

/// Reads an Otter export: each heading opens a cue at its time; text lines fill it.
pub fn read_otter(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let mut cues: Vec<Cue> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || OTTER_FOOTER.is_match(trimmed) {
            continue;
        }
        if let Some(found) = OTTER_HEADING.captures(line.trim_end()) {
            let (name, time) = (&found[1], &found[2]);
            let start = Timestamp::parse(time).ok_or_else(|| {
                let column = found
                    .get(2)
                    .map_or(0, |m| line[..m.start()].chars().count())
                    + 1;
                Diagnostic::error(
                    path,
                    format!("bad timestamp `{time}`: expected M:SS, MM:SS or H:MM:SS"),
                )
                .kind("import")
                .at(line_no, column)
            })?;
            cues.push(Cue {
                start: Some(start.seconds()),
                end: None,
                speaker: Some(one_line(name)),
                text: String::new(),
                line: line_no,
            });
            continue;
        }
        append(&mut cues, trimmed, line_no);
    }
    Ok(text_export(Format::Otter, cues))
}

/// Reads `Name: text` lines; other lines continue the turn before them.
pub fn read_plain(_path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let mut cues: Vec<Cue> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        match speaker_prefix(trimmed) {
            Some((name, rest)) => cues.push(Cue {
                start: None,
                end: None,
                speaker: Some(name),
                text: one_line(rest),
                line: i + 1,
            }),
            None if !trimmed.is_empty() => append(&mut cues, trimmed, i + 1),
            None => {}
        }
    }
    Ok(text_export(Format::Plain, cues))
}

/// Adds a line of speech to the last cue, or opens an unlabelled one for text before any label.
fn append(cues: &mut Vec<Cue>, text: &str, line: usize) {
    match cues.last_mut() {
        Some(cue) => {
            if !cue.text.is_empty() {
                cue.text.push(' ');
            }
            cue.text.push_str(&one_line(text));
        }
        None => cues.push(Cue {
            start: None,
            end: None,
            speaker: None,
            text: one_line(text),
            line,
        }),
    }
}

fn text_export(format: Format, cues: Vec<Cue>) -> Imported {
    Imported {
        format,
        cues,
        title: None,
        language: None,
        duration: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otter_headings_and_their_paragraphs() {
        let text = "Ann Lee  0:03\nHello there.\nStill me.\n\nSpeaker 2  1:02:03\nHi.\n\nTranscribed by https://otter.ai\n";
        let imported = read_otter(Path::new("o.txt"), text).unwrap();
        let cues: Vec<(Option<f64>, Option<&str>, &str)> = imported
            .cues
            .iter()
            .map(|c| (c.start, c.speaker.as_deref(), c.text.as_str()))
            .collect();
        assert_eq!(
            cues,
            [
                (Some(3.0), Some("Ann Lee"), "Hello there. Still me."),
                (Some(3723.0), Some("Speaker 2"), "Hi.")
            ]
        );
    }

    #[test]
    fn a_bad_otter_time_is_located() {
        let e = read_otter(Path::new("o.txt"), "Ann  0:03\nHi.\nBo  0:75\nYo.\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(5)));
    }
}
