//! Caption files: WebVTT and SRT, read by hand because their grammar is tiny and an error must
//! name the line and column of the bad timing in the file.
//!
//! Captions are made to be watched, not read, so the reader undoes what only a screen needs:
//! markup and inline timing tags go, and YouTube's rolling auto-captions (each cue repeating
//! the line before it) lose their repeats, so that every word is imported once.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::speech::{join_pieces, strip_srt_tags, strip_tags, unescape, Piece, Voices};
use super::{Cue, Format, Imported};
use crate::error::Diagnostic;
use crate::text::one_line;

/// `WEBVTT`, alone or followed by a space or tab and anything.
pub fn is_vtt_header(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// An SRT file opens with a cue number over a timing line, or a timing line.
pub fn looks_like_srt(text: &str) -> bool {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    match (lines.next(), lines.next()) {
        (Some(first), _) if first.contains("-->") => true,
        (Some(first), Some(second)) => {
            let first = first.trim();
            !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) && second.contains("-->")
        }
        _ => false,
    }
}

/// Lines of a file between separators, with the 0-based index of the first.
struct Block<'a> {
    first: usize,
    lines: &'a [&'a str],
}

impl Block<'_> {
    /// The 1-based file line of the block's `i`th line.
    fn line(&self, i: usize) -> usize {
        self.first + i + 1
    }
}

fn blocks<'a>(lines: &'a [&'a str], is_separator: fn(&str) -> bool) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        match (is_separator(line), start) {
            (true, Some(s)) => {
                blocks.push(Block {
                    first: s,
                    lines: &lines[s..i],
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        blocks.push(Block {
            first: s,
            lines: &lines[s..],
        });
    }
    blocks
}

/// A cue's timing line and what follows it, before its text is read.
struct RawCue<'a> {
    start: f64,
    end: f64,
    line: usize,
    text: &'a [&'a str],
}

/// Finds a block's timing line (first, or second after a cue id or number) and parses it.
fn raw_cue<'a>(path: &Path, block: &Block<'a>, clock: ClockForm) -> Result<RawCue<'a>, Diagnostic> {
    let at = if block.lines[0].contains("-->") { 0 } else { 1 };
    let Some(timing) = block.lines.get(at).filter(|l| l.contains("-->")) else {
        // Point at the line that was meant as the timing: the first that holds a time.
        let meant = block
            .lines
            .iter()
            .take(2)
            .position(|l| TIME_LIKE.is_match(l));
        let line = block.line(meant.unwrap_or(0));
        return Err(Diagnostic::error(
            path,
            format!(
                "expected a cue timing such as `{}`; a blank line inside a cue's text also ends the cue",
                clock.example()
            ),
        )
        .kind("import")
        .at(line, 1));
    };
    let (start, end) = parse_timing(path, timing, block.line(at), clock)?;
    let text = &block.lines[at + 1..];
    if let Some(i) = text.iter().position(|l| l.contains("-->")) {
        return Err(Diagnostic::error(
            path,
            "a cue timing inside the text of the cue before it: separate cues with an empty line",
        )
        .kind("import")
        .at(block.line(at + 1 + i), 1));
    }
    Ok(RawCue {
        start,
        end,
        line: block.line(at),
        text,
    })
}

/// How a format writes a time, for error messages.
#[derive(Clone, Copy)]
enum ClockForm {
    Vtt,
    Srt,
}

impl ClockForm {
    fn example(self) -> &'static str {
        match self {
            ClockForm::Vtt => "00:00:01.000 --> 00:00:04.000",
            ClockForm::Srt => "00:00:01,000 --> 00:00:04,000",
        }
    }

    fn pattern(self) -> &'static str {
        match self {
            ClockForm::Vtt => "HH:MM:SS.mmm (hours optional), under 1,000 hours",
            ClockForm::Srt => "HH:MM:SS,mmm, under 1,000 hours",
        }
    }
}

/// `start --> end [settings]` → seconds. Errors point at the bad time's column.
fn parse_timing(
    path: &Path,
    line: &str,
    line_no: usize,
    clock: ClockForm,
) -> Result<(f64, f64), Diagnostic> {
    let arrow = line.find("-->").unwrap_or(line.len());
    let (left, right) = (&line[..arrow], line.get(arrow + 3..).unwrap_or(""));
    let start_token = left.trim();
    let start_column = left.len() - left.trim_start().len();
    let end_token = right.split_whitespace().next().unwrap_or("");
    let end_column = arrow + 3 + (right.len() - right.trim_start().len());
    let column = |byte: usize| line[..byte].chars().count() + 1;
    let bad = |token: &str, byte: usize| {
        let message = if token.is_empty() {
            format!(
                "a cue timing without a time: expected `{}`",
                clock.example()
            )
        } else {
            format!("bad timestamp `{token}`: expected {}", clock.pattern())
        };
        Diagnostic::error(path, message)
            .kind("import")
            .at(line_no, column(byte))
    };
    let start = parse_clock(start_token).ok_or_else(|| bad(start_token, start_column))?;
    let end = parse_clock(end_token).ok_or_else(|| bad(end_token, end_column))?;
    if end < start {
        return Err(Diagnostic::error(
            path,
            format!("the cue ends (`{end_token}`) before it starts (`{start_token}`)"),
        )
        .kind("import")
        .at(line_no, column(end_column)));
    }
    Ok((start, end))
}

/// `01:02:03.456`, `02:03.456`, with `.` or `,` before the fraction → seconds. Minutes and
/// seconds stay under 60; hours may have any number of digits, but stay under 1,000
/// ([`LATEST_SECONDS`](super::LATEST_SECONDS)).
fn parse_clock(token: &str) -> Option<f64> {
    let (clock, fraction) = match token.rfind(['.', ',']) {
        Some(i) => (&token[..i], &token[i + 1..]),
        None => (token, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = clock.split(':').collect();
    if !parts.iter().all(|p| digits(p)) || !(fraction.is_empty() || digits(fraction)) {
        return None;
    }
    if fraction.len() > 3 {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (hours, minutes, seconds) = match numbers.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if minutes >= 60 || seconds >= 60 {
        return None;
    }
    // Milliseconds first, so `01:02:03.456` is exactly the f64 nearest 3723.456.
    let millis: u64 = format!("{fraction:0<3}").parse().ok()?;
    if hours >= 1000 {
        return None;
    }
    let total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
    Some(total as f64 / 1000.0)
}

static TIME_LIKE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d:\d").expect("valid regex"));

static INLINE_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(?:\d+:)?\d{2}:\d{2}\.\d{3}>").expect("valid regex"));

static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>").expect("valid regex"));

/// Reads WebVTT: the header's `Language:` and `Title:` lines, cues with or without ids, voice
/// spans; NOTE, STYLE and REGION blocks are skipped.
pub fn read_vtt(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    // Only an empty line ends a cue: YouTube puts a line of one space inside cues.
    let blocks = blocks(&lines, str::is_empty);
    let header = vtt_header(path, &blocks)?;
    let mut imported = Imported {
        format: Format::WebVtt,
        cues: Vec::new(),
        title: header_field(header, "Title"),
        language: header_field(header, "Language"),
        duration: None,
    };
    let rolling = INLINE_TIME.is_match(text);
    let mut voices = Voices::default();
    let mut shown: Vec<String> = Vec::new();
    for block in &blocks[1..] {
        if is_skipped_block(block.lines[0]) {
            continue;
        }
        let raw = raw_cue(path, block, ClockForm::Vtt)?;
        let mut payload: Vec<&str> = raw.text.to_vec();
        if rolling {
            payload = drop_repeated_lines(&payload, &mut shown);
        }
        let pieces = payload
            .iter()
            .flat_map(|line| vtt_line(line, &mut voices))
            .collect();
        push_cues(&mut imported.cues, &raw, pieces);
    }
    Ok(imported)
}

/// The header block: `WEBVTT` and its metadata lines, with no cue in it.
fn vtt_header<'b, 'a>(path: &Path, blocks: &'b [Block<'a>]) -> Result<&'b Block<'a>, Diagnostic> {
    let header = blocks
        .first()
        .filter(|b| is_vtt_header(b.lines[0].trim_end()));
    let Some(header) = header else {
        let line = blocks.first().map_or(1, |b| b.line(0));
        return Err(Diagnostic::error(
            path,
            "expected `WEBVTT` on the first line: every WebVTT file starts with it",
        )
        .kind("import")
        .at(line, 1));
    };
    if let Some(i) = header.lines.iter().position(|l| l.contains("-->")) {
        return Err(Diagnostic::error(
            path,
            "a cue timing inside the header: put an empty line after the `WEBVTT` header",
        )
        .kind("import")
        .at(header.line(i), 1));
    }
    Ok(header)
}

/// `Language: en` in the header block.
fn header_field(header: &Block, name: &str) -> Option<String> {
    header.lines[1..].iter().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim().eq_ignore_ascii_case(name) && !value.trim().is_empty())
            .then(|| value.trim().to_string())
    })
}

fn is_skipped_block(first: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|word| {
        first
            .strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// YouTube's auto-captions scroll: each cue shows the last line of the one before it, then a
/// new one. The lines a cue opens with that close the cue shown before are dropped; `shown`
/// holds that cue's lines, without markup.
fn drop_repeated_lines<'a>(text: &[&'a str], shown: &mut Vec<String>) -> Vec<&'a str> {
    let lines: Vec<(&str, String)> = text
        .iter()
        .map(|l| (*l, one_line(&unescape(&strip_tags(l)))))
        .filter(|(_, plain)| !plain.is_empty())
        .collect();
    let plain: Vec<String> = lines.iter().map(|(_, p)| p.clone()).collect();
    let repeated = (0..=plain.len().min(shown.len()))
        .rev()
        .find(|&n| plain[..n] == shown[shown.len() - n..])
        .unwrap_or(0);
    *shown = plain;
    lines[repeated..].iter().map(|(line, _)| *line).collect()
}

/// One line of cue text as pieces: a new piece at each voice span, and at each `>>` or label
/// in the text outside voice spans.
fn vtt_line(line: &str, voices: &mut Voices) -> Vec<Piece> {
    let clean = |text: &str| unescape(&strip_tags(text));
    let mut pieces = Vec::new();
    let mut before = 0;
    let mut speaker: Option<String> = None;
    for found in VOICE.captures_iter(line) {
        let Some(whole) = found.get(0) else { continue };
        pieces.extend(voiced(&line[before..whole.start()], speaker.take(), voices));
        speaker = found
            .get(1)
            .map(|name| one_line(&clean(name.as_str())))
            .filter(|name| !name.is_empty());
        before = whole.end();
    }
    pieces.extend(voiced(&line[before..], speaker, voices));
    pieces
}

/// Text after a voice span belongs to that voice; text outside one is read for `>>` and labels.
fn voiced(text: &str, speaker: Option<String>, voices: &mut Voices) -> Vec<Piece> {
    let clean = |text: &str| unescape(&strip_tags(text));
    match speaker {
        Some(name) => vec![Piece {
            speaker: Some(name),
            text: one_line(&clean(text)),
        }],
        None => voices.split_line(text, clean),
    }
}

/// A cue's pieces as cues: one per voice it holds, sharing its timing.
fn push_cues(cues: &mut Vec<Cue>, raw: &RawCue, pieces: Vec<Piece>) {
    for piece in join_pieces(pieces) {
        if piece.speaker.is_none() && piece.text.is_empty() {
            continue;
        }
        cues.push(Cue {
            start: Some(raw.start),
            end: Some(raw.end),
            speaker: piece.speaker,
            text: piece.text,
            line: raw.line,
        });
    }
}

/// Reads SRT: numbered cues, `HH:MM:SS,mmm` timings, and text with speakers written into it.
pub fn read_srt(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut imported = Imported {
        format: Format::Srt,
        cues: Vec::new(),
        title: None,
        language: None,
        duration: None,
    };
    let mut voices = Voices::default();
    let clean = |text: &str| strip_srt_tags(text);
    for block in blocks(&lines, |l| l.trim().is_empty()) {
        let raw = raw_cue(path, &block, ClockForm::Srt)?;
        let pieces = raw
            .text
            .iter()
            .flat_map(|line| voices.split_line(line, clean))
            .collect();
        push_cues(&mut imported.cues, &raw, pieces);
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_with_and_without_hours() {
        assert_eq!(parse_clock("01:02:03.456"), Some(3723.456));
        assert_eq!(parse_clock("02:03.5"), Some(123.5));
        assert_eq!(parse_clock("00:00:01,250"), Some(1.25));
        assert_eq!(parse_clock("100:00:00.000"), Some(360_000.0));
        // Past 1,000 hours is no time, nor is an hour too long to be a number: it was once
        // dropped, leaving `00:01.000`.
        assert_eq!(parse_clock("999:59:59.999"), Some(3_599_999.999));
        assert_eq!(parse_clock("1000:00:00.000"), None);
        assert_eq!(parse_clock("99999999999999999999:00:01.000"), None);
        assert_eq!(parse_clock("00:61:00.000"), None);
        assert_eq!(parse_clock("00:00:01.2345"), None);
        assert_eq!(parse_clock("1.5"), None);
        assert_eq!(parse_clock("aa:bb:cc.ddd"), None);
    }

    /// Found by fuzzing: an hour too large to count in milliseconds overflowed, a panic in a
    /// debug build and a wrong time in a release one.
    #[test]
    fn an_hour_too_large_to_count_is_not_a_time() {
        assert_eq!(parse_clock("9999999999999999:00:00.000"), None);
    }

    #[test]
    fn a_bad_time_is_located_to_its_column() {
        let error = parse_timing(
            Path::new("a.vtt"),
            "00:00:01.000 --> 00:0x:02.000 align:start",
            7,
            ClockForm::Vtt,
        )
        .unwrap_err();
        assert_eq!((error.line, error.column), (Some(7), Some(18)));
        assert!(
            error.message.contains("`00:0x:02.000`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_cue_glued_to_the_header_is_an_error_not_a_loss() {
        let text = "WEBVTT\n00:01.000 --> 00:02.000\nHi\n";
        let error = read_vtt(Path::new("a.vtt"), text).unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(1)));
        let noted = "WEBVTT\n\nNOTE a\n\n1\n00:01.000 --> 00:02.000\n<v Ann>Hi\n";
        let cues = read_vtt(Path::new("a.vtt"), noted).unwrap().cues;
        assert_eq!(cues.len(), 1);
        assert_eq!((cues[0].line, cues[0].start), (6, Some(1.0)));
    }

    #[test]
    fn rolling_captions_lose_their_repeats() {
        let mut shown = Vec::new();
        let first = drop_repeated_lines(&[" ", "hello<00:00:00.420><c> there</c>"], &mut shown);
        assert_eq!(first, ["hello<00:00:00.420><c> there</c>"]);
        assert!(drop_repeated_lines(&["hello there", " "], &mut shown).is_empty());
        let third = drop_repeated_lines(&["hello there", "how<c> are</c>"], &mut shown);
        assert_eq!(third, ["how<c> are</c>"]);
    }

    #[test]
    fn voice_spans_anywhere_in_a_line() {
        let mut voices = Voices::default();
        let pieces = vtt_line("<v.loud Ann Lee>Hi &amp; bye</v> <v Bo>Yo", &mut voices);
        let got: Vec<(Option<&str>, &str)> = pieces
            .iter()
            .map(|p| (p.speaker.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(got, [(Some("Ann Lee"), "Hi & bye"), (Some("Bo"), "Yo")]);
    }
}
