//! Turns → the text of an episode file: front matter, then `[HH:MM:SS] **Name:** text`.
//!
//! The front matter is written by hand, not through the YAML crate (which only the loader may
//! use): every string is double-quoted with YAML's escapes, so a title with a colon, a quote or
//! a `#` reads back as it was written. The body escapes what Markdown would otherwise take for
//! markup, so the page shows the words the file held.

use super::speech::speaker_prefix;
use super::turns::Turn;
use super::Imported;
use crate::model::slug::slugify;
use crate::model::Classifier;
use crate::text::one_line;

/// Everything an imported episode file is made of.
pub struct EpisodeFile<'a> {
    pub title: &'a str,
    pub date: Option<&'a str>,
    pub imported: &'a Imported,
    pub turns: &'a [Turn],
    /// `--speaker LABEL=Name` pairs; only those whose label speaks are written.
    pub speaker_map: &'a [(String, String)],
    /// Tells people from markers and anonymous voices, with the site's own lists.
    pub classifier: &'a Classifier,
}

/// The whole file, ready to write.
pub fn render_episode(episode: &EpisodeFile) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_string(episode.title)));
    if let Some(date) = episode.date {
        out.push_str(&format!("date: {}\n", yaml_string(date)));
    }
    let map = used_mappings(episode);
    let speakers = credited_speakers(episode, &map);
    if !speakers.is_empty() {
        out.push_str("speakers:\n");
        for name in speakers {
            out.push_str(&format!("  - {}\n", yaml_string(&name)));
        }
    }
    if !map.is_empty() {
        out.push_str("speaker_map:\n");
        for (label, name) in &map {
            out.push_str(&format!(
                "  {}: {}\n",
                yaml_string(label),
                yaml_string(name)
            ));
        }
    }
    if let Some(seconds) = duration(episode.imported) {
        out.push_str(&format!("duration: \"{}\"\n", clock(seconds.ceil())));
    }
    if let Some(language) = &episode.imported.language {
        out.push_str(&format!("extra:\n  language: {}\n", yaml_string(language)));
    }
    out.push_str("---\n\n");
    out.push_str(&write_body(episode.turns));
    out
}

/// The transcript as Markdown: one turn after another, a blank line between paragraphs.
pub fn write_body(turns: &[Turn]) -> String {
    let body: Vec<String> = turns.iter().map(write_turn).collect();
    body.join("\n\n") + "\n"
}

/// The `--speaker` pairs whose label takes a turn, as `(label as written, name)`.
fn used_mappings(episode: &EpisodeFile) -> Vec<(String, String)> {
    let mut used: Vec<(String, String)> = Vec::new();
    for turn in episode.turns {
        let Some(label) = &turn.speaker else { continue };
        let key = label.trim().to_lowercase();
        let mapped = episode
            .speaker_map
            .iter()
            .find(|(from, _)| from.trim().to_lowercase() == key);
        if let Some((_, name)) = mapped {
            if !used.iter().any(|(l, _)| l.to_lowercase() == key) {
                used.push((label.clone(), name.clone()));
            }
        }
    }
    used
}

/// The people who take turns, in order of their first, each once: mapped labels under their
/// names; markers and unmapped anonymous labels (`SPEAKER_00`) are nobody to credit.
fn credited_speakers(episode: &EpisodeFile, map: &[(String, String)]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for turn in episode.turns {
        let Some(label) = &turn.speaker else { continue };
        let name = map
            .iter()
            .find(|(l, _)| l == label)
            .map_or(label, |(_, name)| name);
        let slug = slugify(name);
        if is_person(episode.classifier, name) && !names.iter().any(|n| slugify(n) == slug) {
            names.push(name.clone());
        }
    }
    names
}

/// A label is a person when it classifies neither as a marker nor as an anonymous voice.
/// The roles `break` and `unidentified` force those two kinds, so comparing with them asks
/// the site's own classifier without naming its kinds.
fn is_person(classifier: &Classifier, label: &str) -> bool {
    let kind = classifier.classify(label, None);
    kind != classifier.classify(label, Some("break"))
        && kind != classifier.classify(label, Some("unidentified"))
}

/// How long the audio is: as the file says, else until the last cue ends.
fn duration(imported: &Imported) -> Option<f64> {
    imported
        .duration
        .or_else(|| {
            imported
                .cues
                .iter()
                .filter_map(|c| c.end.or(c.start))
                .reduce(f64::max)
        })
        .filter(|&s| s > 0.0)
}

fn write_turn(turn: &Turn) -> String {
    let mut paragraphs = turn.paragraphs.iter().map(|p| escape_inline(p));
    let first = paragraphs.next().unwrap_or_default();
    let opening = match &turn.speaker {
        Some(name) => {
            let stamp = turn
                .start
                .map(|s| format!("[{}] ", clock(s)))
                .unwrap_or_default();
            format!("{stamp}**{}:** {first}", label_text(name))
        }
        None => escape_block_start(&first),
    };
    std::iter::once(opening)
        .chain(paragraphs.map(|p| escape_block_start(&p)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A name as a bold label can hold it: no `*`, on one line.
fn label_text(name: &str) -> String {
    one_line(&name.replace('*', ""))
}

/// `HH:MM:SS`, with the fraction of a second when there is one (`00:00:02.5`).
pub fn clock(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round() as u64;
    let s = millis / 1000;
    let mut text = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    if !millis.is_multiple_of(1000) {
        let fraction = format!("{:03}", millis % 1000);
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text
}

/// Escapes the characters Markdown reads as inline markup: code, emphasis, raw HTML, and a
/// bracket at the start, which the loader would take for a timestamp.
fn escape_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        let escape = match c {
            '\\' | '`' | '*' | '<' => true,
            // `SPEAKER_00` is a word; `_this_` is emphasis.
            '_' => !(inside_word(i.checked_sub(1)) && inside_word(Some(i + 1))),
            '[' => i == 0,
            ']' => chars.get(i + 1) == Some(&'('),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph that does not open with a label must not open with what Markdown reads as a
/// heading, quote, list or rule, nor with `Name:`, which the loader reads as a label.
fn escape_block_start(paragraph: &str) -> String {
    let mut text = paragraph.to_string();
    let label_end = speaker_prefix(&text).map(|(_, rest)| text.len() - rest.len());
    if let Some(colon) = label_end.and_then(|end| text[..end].rfind(':')) {
        text.insert(colon, '\\');
    }
    if text.starts_with(['#', '>', '-', '+', '=', '|', '~']) {
        text.insert(0, '\\');
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        text.insert(digits, '\\');
    }
    text
}

/// A YAML double-quoted scalar: reads back as exactly `text`, whatever it holds.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_keep_the_fraction_only_when_there_is_one() {
        assert_eq!(clock(2.5), "00:00:02.5");
        assert_eq!(clock(21.25), "00:00:21.25");
        assert_eq!(clock(3723.0), "01:02:03");
        assert_eq!(clock(8.647), "00:00:08.647");
    }

    #[test]
    fn markdown_in_speech_stays_text() {
        assert_eq!(
            escape_inline("a *b* `c` <d> snake_case _e_"),
            "a \\*b\\* \\`c\\` \\<d> snake_case \\_e\\_"
        );
        assert_eq!(
            escape_inline("[laughs] ok [1](x)"),
            "\\[laughs] ok [1\\](x)"
        );
        assert_eq!(escape_block_start("# one"), "\\# one");
        assert_eq!(escape_block_start("1. two"), "1\\. two");
        assert_eq!(
            escape_block_start("Ann Lee: not a label"),
            "Ann Lee\\: not a label"
        );
        assert_eq!(escape_block_start("Plain words."), "Plain words.");
    }

    #[test]
    fn yaml_strings_escape_what_yaml_would_read() {
        assert_eq!(yaml_string("A: \"B\" # c"), "\"A: \\\"B\\\" # c\"");
        assert_eq!(yaml_string("back\\slash\n"), "\"back\\\\slash\\n\"");
    }
}
