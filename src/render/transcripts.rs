//! An episode's transcript as the files podcast apps read: WebVTT, SRT and Podcasting 2.0 JSON
//! (timed), plain text, and Podcasting 2.0 JSON chapters.
//!
//! Apps trust these files blindly, so they must stay valid however messy the transcript is:
//! times never go backwards, every cue lasts, and no spoken word is lost or doubled when a long
//! turn is cut into readable cues. Where the transcript gives few timestamps, the time between
//! two of them is shared out by word count. Pure: the files come back as strings, and writing
//! them is not this module's business.

use serde::{Serialize, Serializer};

use crate::config::TranscriptFormat;

use crate::model::time::push_padded;
use crate::model::transcript::to_plain_text;
use crate::model::{Archive, Block, Blocks, Episode, Timestamp, Turn, Voice};
use crate::text::{ascii_words, ends_sentence, looks_like_name, offset_in, one_line};

/// Every name a transcript file can have, for whoever must find or remove them.
pub const FILE_NAMES: [&str; 5] = [
    "transcript.vtt",
    "transcript.srt",
    "transcript.json",
    "transcript.txt",
    "chapters.json",
];

/// The media type of each file in [`FILE_NAMES`], as feeds and servers announce it.
pub fn mime(name: &str) -> &'static str {
    match name {
        "transcript.vtt" => "text/vtt",
        "transcript.srt" => "application/x-subrip",
        "transcript.json" => "application/json",
        "chapters.json" => "application/json+chapters",
        _ => "text/plain",
    }
}

/// One transcript file of an episode, named as it sits in the episode's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFile {
    pub name: &'static str,
    pub mime: &'static str,
    pub body: String,
}

/// A cue holds at most this many words: more is a wall of text on a phone screen.
const MAX_CUE_WORDS: usize = 30;
/// A cue spans about this long at most, so the highlighted text keeps pace with slow speech.
const MAX_CUE_MILLIS: usize = 12_000;
/// Slow speech or a long pause never cuts a cue below this many words: fewer stop reading as
/// a phrase, and a lone word on screen for a minute helps nobody.
const MIN_CUE_WORDS: usize = 15;
/// 150 words a minute: how long speech lasts when nothing says when it ends.
const MILLIS_PER_WORD: u64 = 400;

/// The files of `names` (of [`FILE_NAMES`], as [`available`] gives them) that the episode has.
/// The cues are worked out only when a timed format is asked for, and then once for all of them.
pub fn files(
    archive: &Archive,
    episode: &Episode,
    blocks: &Blocks,
    names: &[&'static str],
) -> Vec<TranscriptFile> {
    let timed = names.iter().any(|name| TIMED.contains(name));
    let cues = if timed {
        cues(archive, episode, blocks)
    } else {
        None
    };
    names
        .iter()
        .filter_map(|&name| {
            let body = match name {
                "transcript.vtt" => cues.as_deref().map(write_vtt),
                "transcript.srt" => cues.as_deref().map(write_srt),
                "transcript.json" => cues.as_deref().and_then(write_json),
                "transcript.txt" => txt(archive, blocks),
                "chapters.json" => chapters(blocks),
                _ => None,
            };
            Some(TranscriptFile {
                name,
                mime: mime(name),
                body: body?,
            })
        })
        .collect()
}

/// The files made from the cues, which need a timestamp in the transcript.
const TIMED: [&str; 3] = ["transcript.vtt", "transcript.srt", "transcript.json"];

/// The name of a format's file in the episode's folder.
pub fn file_name(format: TranscriptFormat) -> &'static str {
    match format {
        TranscriptFormat::Vtt => "transcript.vtt",
        TranscriptFormat::Srt => "transcript.srt",
        TranscriptFormat::Json => "transcript.json",
        TranscriptFormat::Txt => "transcript.txt",
    }
}

/// The name of the chapters file, which no format setting governs: it is how apps get chapters.
pub const CHAPTERS: &str = "chapters.json";

/// The names of the files [`files`] can give for this episode, without writing them; which
/// of them a site writes is the page graph's to say.
pub fn available(episode: &Episode) -> Vec<&'static str> {
    let holds = &episode.contents;
    let timed = holds.timed_turns && holds.spoken_turns;
    let has = [timed, timed, timed, holds.turns > 0, holds.timed_chapters];
    FILE_NAMES
        .into_iter()
        .zip(has)
        .filter_map(|(name, has)| has.then_some(name))
        .collect()
}

/// WebVTT with a voice span per cue, which is how Apple Podcasts learns who is speaking.
pub fn vtt(archive: &Archive, episode: &Episode, blocks: &Blocks) -> Option<String> {
    cues(archive, episode, blocks).map(|cues| write_vtt(&cues))
}

/// SRT, naming the speaker at the start of each turn.
pub fn srt(archive: &Archive, episode: &Episode, blocks: &Blocks) -> Option<String> {
    cues(archive, episode, blocks).map(|cues| write_srt(&cues))
}

/// The Podcasting 2.0 JSON transcript: one segment per cue.
pub fn json(archive: &Archive, episode: &Episode, blocks: &Blocks) -> Option<String> {
    cues(archive, episode, blocks).and_then(|cues| write_json(&cues))
}

/// A plain transcript to read: one paragraph per turn, chapters and breaks on lines of their own.
pub fn txt(archive: &Archive, blocks: &Blocks) -> Option<String> {
    blocks.turns().next()?;
    let paragraphs: Vec<String> = blocks
        .iter()
        .filter_map(|block| txt_block(archive, block))
        .collect();
    Some(paragraphs.join("\n\n") + "\n")
}

/// Podcasting 2.0 JSON chapters: the chapters that say when they start, in time order.
pub fn chapters(blocks: &Blocks) -> Option<String> {
    let mut chapters: Vec<JsonChapter> = blocks
        .chapters()
        .filter_map(|c| {
            Some(JsonChapter {
                start_time: c.timestamp?.0,
                title: one_line(&c.title),
            })
        })
        .collect();
    if chapters.is_empty() {
        return None;
    }
    // Stable, so chapters that start together keep the transcript's order.
    chapters.sort_by_key(|c| c.start_time);
    serde_json::to_string(&JsonChapters {
        version: "1.2.0",
        chapters,
    })
    .ok()
}

/// A stretch of one turn, shown on screen at once.
#[derive(Debug)]
struct Cue<'a> {
    speaker: &'a str,
    /// A stretch of the turn's plain text, which is single-spaced.
    text: &'a str,
    /// Milliseconds.
    start: u64,
    end: u64,
    /// The turn's first cue: where SRT names the speaker.
    opens_turn: bool,
}

/// A turn or chapter as the clock sees it: what is said, and when it starts if the transcript
/// says so. A chapter says nothing, but its timestamp still pins the time where it stands.
struct Moment<'a> {
    turn: Option<&'a Turn>,
    text: &'a str,
    words: u64,
    stamp: Option<u64>,
}

fn cues<'a>(archive: &'a Archive, episode: &Episode, blocks: &'a Blocks) -> Option<Vec<Cue<'a>>> {
    if !blocks.turns().any(|t| t.timestamp.is_some()) {
        return None;
    }
    let moments = moments(blocks);
    let times = schedule(&moments, episode.duration.map(|d| d.0));
    let mut cues = Vec::new();
    for (moment, &(start, end)) in moments.iter().zip(&times) {
        match moment.turn {
            // Markers are not speech: their time stays a gap between cues.
            Some(turn) if turn.voice != Voice::Marker => {
                let speaker = speaker_name(archive, turn);
                split_turn(speaker, moment.text, start, end, &mut cues);
            }
            _ => {}
        }
    }
    settle(&mut cues);
    (!cues.is_empty()).then_some(cues)
}

fn moments(blocks: &[Block]) -> Vec<Moment<'_>> {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::Turn(t) => Some(Moment {
                turn: Some(t),
                text: &t.plain,
                words: t.words as u64,
                stamp: t.timestamp.map(|t| t.0),
            }),
            Block::Chapter(c) => Some(Moment {
                turn: None,
                text: "",
                words: 0,
                stamp: c.timestamp.map(|t| t.0),
            }),
            Block::Prose { .. } => None,
        })
        .collect()
}

/// The start and end of every moment, in milliseconds, never going backwards.
fn schedule(moments: &[Moment], duration: Option<u64>) -> Vec<(u64, u64)> {
    let words: Vec<u64> = moments.iter().map(|m| m.words).collect();
    let fixed = fixed_points(moments, &words, duration);
    let mut starts = vec![0; moments.len()];
    for pair in fixed.windows(2) {
        let ((from, t0), (to, t1)) = (pair[0], pair[1]);
        spread(&words[from..to], t0, t1, &mut starts[from..to]);
    }
    let end = fixed.last().map_or(0, |&(_, t)| t);
    (0..starts.len())
        .map(|i| (starts[i], starts.get(i + 1).copied().unwrap_or(end)))
        .collect()
}

/// The moments whose start is known, as `(index, millis)`, plus the end of the last one at
/// index `moments.len()`. A timestamp no later than the last one kept is not trusted (real
/// transcripts have typos and rounding): its moment is timed as if it had none, so time never
/// runs backwards and its text still gets a share of the clock.
fn fixed_points(moments: &[Moment], words: &[u64], duration: Option<u64>) -> Vec<(usize, u64)> {
    let mut fixed: Vec<(usize, u64)> = Vec::new();
    for (i, moment) in moments.iter().enumerate() {
        if let Some(t) = moment.stamp {
            if fixed.last().is_none_or(|&(_, last)| t > last) {
                fixed.push((i, t));
            }
        }
    }
    // Whatever comes before the first timestamp is shared out from the start of the audio.
    if fixed.first().is_none_or(|&(i, _)| i > 0) {
        fixed.insert(0, (0, 0));
    }
    let (last, from) = fixed[fixed.len() - 1];
    let end = match duration {
        Some(d) if d > from => d,
        _ => from + words[last..].iter().sum::<u64>() * MILLIS_PER_WORD,
    };
    fixed.push((moments.len(), end));
    fixed
}

/// Shares `from..to` among moments in proportion to their words: each starts once the words
/// before it are said.
fn spread(words: &[u64], from: u64, to: u64, starts: &mut [u64]) {
    let total = words.iter().sum::<u64>().max(1);
    let mut said = 0;
    for (start, w) in starts.iter_mut().zip(words) {
        *start = from + (to - from) * said / total;
        said += w;
    }
}

/// Cuts one turn into cues, its time shared in proportion to words. `text` is single-spaced
/// plain text, so each cue is a slice of it.
fn split_turn<'a>(speaker: &'a str, text: &'a str, start: u64, end: u64, cues: &mut Vec<Cue<'a>>) {
    // Room for words of four bytes and a space, which few languages write shorter.
    let mut words = Vec::with_capacity(text.len() / 5 + 1);
    words.extend(ascii_words(text));
    let slice = |first: usize, last: usize| {
        &text[offset_in(text, words[first])..offset_in(text, words[last]) + words[last].len()]
    };
    let span = end.saturating_sub(start);
    let total = words.len().max(1) as u64;
    let at = |said: usize| start + span * said as u64 / total;
    let mut said = 0;
    for (i, len) in cue_lengths(&words, cue_limit(words.len(), span))
        .into_iter()
        .enumerate()
    {
        cues.push(Cue {
            speaker,
            text: slice(said, said + len - 1),
            start: at(said),
            end: at(said + len),
            opens_turn: i == 0,
        });
        said += len;
    }
}

/// Words per cue for a turn of `words` lasting `span` ms: what fits in [`MAX_CUE_MILLIS`] at
/// the turn's pace, within [`MIN_CUE_WORDS`]..=[`MAX_CUE_WORDS`]. At 150 words a minute both
/// limits agree.
fn cue_limit(words: usize, span: u64) -> usize {
    let span = usize::try_from(span).unwrap_or(usize::MAX);
    if span == 0 {
        return MAX_CUE_WORDS;
    }
    (words.saturating_mul(MAX_CUE_MILLIS) / span).clamp(MIN_CUE_WORDS, MAX_CUE_WORDS)
}

/// How many words go in each cue; they add up to `words.len()`.
fn cue_lengths(words: &[&str], limit: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    let mut rest = words;
    while !rest.is_empty() {
        let len = next_cue_length(rest, limit.max(1));
        lengths.push(len);
        rest = &rest[len..];
    }
    lengths
}

/// The next cue ends at the sentence end nearest an even share of what is left, else at a
/// clause end, else at the even share itself; never before a third of `limit`, so no cue is a
/// stray word or two.
fn next_cue_length(words: &[&str], limit: usize) -> usize {
    if words.len() <= limit {
        return words.len();
    }
    let even = words.len().div_ceil(words.len().div_ceil(limit));
    let shortest = (limit / 3).max(1);
    let best = |is_end: fn(&str) -> bool| {
        (shortest..=limit)
            .filter(|&len| is_end(words[len - 1]))
            .min_by_key(|&len| (len.abs_diff(even), std::cmp::Reverse(len)))
    };
    best(ends_sentence)
        .or_else(|| best(ends_clause))
        .unwrap_or(even)
}

fn ends_clause(word: &str) -> bool {
    word.ends_with([',', ';', ':', '–', '—'])
}

/// Each cue starts no earlier than the one before it ends, and lasts at least a millisecond:
/// WebVTT wants end after start, and apps skip cues that go back in time. Only cues squeezed
/// to nothing move, by a millisecond each.
fn settle(cues: &mut [Cue]) {
    let mut free = 0;
    for cue in cues {
        cue.start = cue.start.max(free);
        cue.end = cue.end.max(cue.start + 1);
        free = cue.end;
    }
}

fn speaker_name<'a>(archive: &'a Archive, turn: &'a Turn) -> &'a str {
    archive
        .speaker(&turn.voice)
        .map_or(turn.label.as_str(), |(_, speaker)| speaker.name.as_str())
}

fn write_vtt(cues: &[Cue]) -> String {
    let mut out = String::with_capacity(cue_bytes(cues) + 7);
    out.push_str("WEBVTT\n");
    // The speaker of the cue before, and their name as a voice span writes it: a turn is many
    // cues, and a speaker many turns.
    let mut voice: (&str, String) = ("", String::new());
    for cue in cues {
        out.push('\n');
        clock(&mut out, cue.start, '.');
        out.push_str(" --> ");
        clock(&mut out, cue.end, '.');
        out.push_str("\n<v ");
        if cue.speaker != voice.0 {
            voice.1.clear();
            vtt_escape(&mut voice.1, &one_line(cue.speaker));
            voice.0 = cue.speaker;
        }
        out.push_str(&voice.1);
        out.push('>');
        vtt_escape(&mut out, cue.text);
        out.push('\n');
    }
    out
}

/// Room for the cues' text and timing lines, so the file is written without regrowing.
fn cue_bytes(cues: &[Cue]) -> usize {
    cues.iter()
        .map(|cue| cue.text.len() + cue.speaker.len() + 40)
        .sum()
}

/// WebVTT's three escapes. With `>` escaped, no payload can hold `-->`; cue text is one line,
/// so it cannot hold a blank one.
fn vtt_escape(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = memchr::memchr3(b'&', b'<', b'>', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

fn write_srt(cues: &[Cue]) -> String {
    let mut out = String::with_capacity(cue_bytes(cues));
    for (i, cue) in cues.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&(i + 1).to_string());
        out.push('\n');
        clock(&mut out, cue.start, ',');
        out.push_str(" --> ");
        clock(&mut out, cue.end, ',');
        out.push('\n');
        if cue.opens_turn {
            srt_label(&mut out, cue.speaker);
        }
        // SRT has no escapes, and simple readers take any line with an arrow for a timing
        // line; an en dash is what smart punctuation makes of `--` in the text anyway.
        if cue.text.contains("-->") {
            out.push_str(&cue.text.replace("-->", "–>"));
        } else {
            out.push_str(cue.text);
        }
        out.push('\n');
    }
    out
}

/// `Ann Lee: ` before a turn's first cue; a name that would not read back as a label when bare
/// (`0xB10C`, `dr. ann`) goes in brackets, `[0xB10C]: `, as caption readers expect, without the
/// brackets and colons a bracketed label cannot hold.
fn srt_label(out: &mut String, speaker: &str) {
    let name = one_line(speaker);
    match looks_like_name(&name) && !name.contains(':') {
        true => out.push_str(&name),
        false => {
            out.push('[');
            out.push_str(&name.replace(['[', ']', ':'], ""));
            out.push(']');
        }
    }
    out.push_str(": ");
}

/// Podcasting 2.0's JSON transcript: `{"version":"1.0.0","segments":[…]}`, a segment of
/// `speaker`, `startTime`, `endTime` and `body` for each cue, as serde_json would write the
/// same fields of a struct (a test holds the two to the same bytes).
///
/// Written field by field rather than by serialising a struct: serde_json escapes a string a
/// byte at a time, which came to a twentieth of a build's instructions, for text in which a
/// character that JSON escapes is rare. A text that holds one is still escaped by serde_json,
/// and it writes every number.
fn write_json(cues: &[Cue]) -> Option<String> {
    let mut out = String::with_capacity(cue_bytes(cues) + cues.len() * 40);
    // What serde_json writes, before it joins the file: a number, or a text it escapes.
    let mut scratch = Vec::new();
    out.push_str(r#"{"version":"1.0.0","segments":["#);
    for (i, cue) in cues.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"speaker":"#);
        json_string(&mut out, &mut scratch, cue.speaker)?;
        out.push_str(r#","startTime":"#);
        json_seconds(&mut out, &mut scratch, cue.start)?;
        out.push_str(r#","endTime":"#);
        json_seconds(&mut out, &mut scratch, cue.end)?;
        out.push_str(r#","body":"#);
        json_string(&mut out, &mut scratch, cue.text)?;
        out.push('}');
    }
    out.push_str("]}");
    Some(out)
}

/// `text` as a JSON string: as it is, between quotes, when JSON escapes none of its
/// characters (controls, `"` and `\`), else as serde_json writes it.
fn json_string(out: &mut String, scratch: &mut Vec<u8>, text: &str) -> Option<()> {
    // A fold, not `any`: with no early way out, the compiler compares many bytes at once.
    let escapes = text.bytes().fold(false, |escapes, byte| {
        escapes | (byte < 0x20) | (byte == b'"') | (byte == b'\\')
    });
    if escapes {
        return by_serde_json(out, scratch, text);
    }
    out.push('"');
    out.push_str(text);
    out.push('"');
    Some(())
}

/// [`seconds`], for [`write_json`]: two for every cue. Below [`SHORT_SECONDS`] the shortest
/// decimal that reads back as the `f64` serde_json is given is the milliseconds' own, whole or
/// with its fraction cut of trailing zeros, so it is written so, digit by digit.
fn json_seconds(out: &mut String, scratch: &mut Vec<u8>, millis: u64) -> Option<()> {
    if millis >= SHORT_SECONDS {
        return by_serde_json(out, scratch, &Seconds(millis));
    }
    push_padded(out, millis / 1000, 1);
    let (mut fraction, mut width) = (millis % 1000, 3);
    if fraction == 0 {
        return Some(());
    }
    while fraction.is_multiple_of(10) {
        fraction /= 10;
        width -= 1;
    }
    out.push('.');
    push_padded(out, fraction, width);
    Some(())
}

/// Milliseconds below which a number of seconds with three decimals is its own shortest
/// `f64` form: under 10¹² an `f64` is within a ten-thousandth of the number it stands for, so
/// no decimal with fewer digits (a thousandth or more away) reads back as the same `f64`.
const SHORT_SECONDS: u64 = 1_000_000_000_000_000;

/// Milliseconds that serialise as [`seconds`] does.
struct Seconds(u64);

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        seconds(&self.0, serializer)
    }
}

/// `value` as serde_json writes it, at the end of `out`.
fn by_serde_json<T: Serialize + ?Sized>(
    out: &mut String,
    scratch: &mut Vec<u8>,
    value: &T,
) -> Option<()> {
    scratch.clear();
    serde_json::to_writer(&mut *scratch, value).ok()?;
    out.push_str(std::str::from_utf8(scratch).ok()?);
    Some(())
}

#[derive(Serialize)]
struct JsonChapters {
    version: &'static str,
    chapters: Vec<JsonChapter>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonChapter {
    #[serde(serialize_with = "seconds")]
    start_time: u64,
    title: String,
}

/// Milliseconds as JSON seconds: whole seconds as integers (`60`), others with their fraction
/// (`12.5`).
fn seconds<S: Serializer>(millis: &u64, serializer: S) -> Result<S::Ok, S::Error> {
    if millis.is_multiple_of(1000) {
        serializer.serialize_u64(millis / 1000)
    } else {
        serializer.serialize_f64(*millis as f64 / 1000.0)
    }
}

fn txt_block(archive: &Archive, block: &Block) -> Option<String> {
    match block {
        Block::Turn(turn) => Some(txt_turn(archive, turn)),
        Block::Chapter(c) => Some(format!("## {}{}", one_line(&c.title), stamp(c.timestamp))),
        Block::Prose { text, .. } => Some(to_plain_text(text)).filter(|t| !t.is_empty()),
    }
}

/// `Name [12:05]: text` for speech, `[Break] [12:05] text` for a marker.
fn txt_turn(archive: &Archive, turn: &Turn) -> String {
    let text = &turn.plain;
    let line = match turn.voice {
        Voice::Marker => format!(
            "[{}]{} {text}",
            one_line(&turn.label),
            stamp(turn.timestamp)
        ),
        _ => format!(
            "{}{}: {text}",
            one_line(speaker_name(archive, turn)),
            stamp(turn.timestamp)
        ),
    };
    line.trim_end().to_string()
}

/// ` [12:05]`, or nothing for an untimed block.
fn stamp(timestamp: Option<Timestamp>) -> String {
    timestamp.map(|t| format!(" [{t}]")).unwrap_or_default()
}

/// `HH:MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SRT); hours past 99 take more digits. The
/// digits are put down one by one: through `write!`, the two clocks of each cue were most of
/// the time it took to write a WebVTT file.
fn clock(out: &mut String, millis: u64, separator: char) {
    let s = millis / 1000;
    push_padded(out, s / 3600, 2);
    out.push(':');
    push_padded(out, s / 60 % 60, 2);
    out.push(':');
    push_padded(out, s % 60, 2);
    out.push(separator);
    push_padded(out, millis % 1000, 3);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Ten words, one sentence.
    const SENTENCE: &str = "This sentence has exactly ten words in it, all told.";

    fn episode_one() -> String {
        let long = vec![SENTENCE; 20].join(" ");
        format!(
            "---\ntitle: One\nduration: \"00:05:00\"\nspeakers:\n  - name: Ann Lee\n    role: host\n  - \"Tom & Jerry\"\n---\n\n\
             ## [00:00:00] Intro\n\n\
             [00:00:05] **Ann Lee:** Welcome, this is A & B. Is x < y? Type `a-->b` here.\n\n\
             **Tom & Jerry:** [00:00:20] Thanks for having us.\n\n\
             **Ann Lee:** An untimed reply that carries on from the last time we knew.\n\n\
             **Speaker 1:** A question from the floor?\n\n\
             ## [00:01:00] Part two\n\n\
             **Break:** (theme music)\n\n\
             [00:01:30] **Tom & Jerry:** {long}\n\n\
             [00:01:10] **Ann Lee:** This timestamp goes backwards, as real ones do.\n\n\
             ## Wrap-up\n\n\
             [00:02:00] **Ann Lee:** That is all.\n"
        )
    }

    const EPISODE_TWO: &str = "---\ntitle: Two\nspeakers: [Ann Lee]\n---\n\nRecorded *live*.\n\n\
        ## [00:02:00] Later\n\n**Ann Lee:** No times on turns here.\n\n\
        ## [00:00:30] Earlier\n\n**Ann Lee:** Still none.\n";

    fn archive() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let show = root.join("content/show");
        std::fs::create_dir_all(&show).unwrap();
        std::fs::write(root.join("site.toml"), "title = \"T\"\n").unwrap();
        std::fs::write(show.join("_index.md"), "---\ntitle: S\n---\n").unwrap();
        std::fs::write(show.join("one.md"), episode_one()).unwrap();
        std::fs::write(show.join("two.md"), EPISODE_TWO).unwrap();
        // Loaded and modelled here rather than through the pipeline, which sits above render.
        let config = crate::config::Config::parse("title = \"T\"").unwrap();
        let classifier = crate::model::Classifier::new(
            &config.transcripts.markers,
            &config.transcripts.anonymous,
        )
        .with_roles(&config.speakers.roles);
        let options = crate::model::ModelOptions {
            drafts: false,
            classifier: &classifier,
            infer: config.speakers.infer,
            reserved: &[],
            bodies: crate::model::Bodies::Held,
        };
        let loaded = crate::load::load(root);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let (model, _) = crate::model::Model::new(loaded.sources, &crate::model::Afresh, &options);
        let built = model.archive();
        assert!(!built.has_errors(), "{:?}", built.diagnostics);
        built.archive
    }

    fn episode<'a>(archive: &'a Archive, slug: &str) -> &'a Episode {
        archive.episodes.iter().find(|e| e.slug == slug).unwrap()
    }

    // Each format of an episode, its blocks read from the archive.
    fn vtt(a: &Archive, e: &Episode) -> Option<String> {
        super::vtt(a, e, &a.blocks(e).unwrap())
    }

    fn srt(a: &Archive, e: &Episode) -> Option<String> {
        super::srt(a, e, &a.blocks(e).unwrap())
    }

    fn json(a: &Archive, e: &Episode) -> Option<String> {
        super::json(a, e, &a.blocks(e).unwrap())
    }

    fn txt(a: &Archive, e: &Episode) -> Option<String> {
        super::txt(a, &a.blocks(e).unwrap())
    }

    fn chapters(a: &Archive, e: &Episode) -> Option<String> {
        super::chapters(&a.blocks(e).unwrap())
    }

    fn files(a: &Archive, e: &Episode, names: &[&'static str]) -> Vec<TranscriptFile> {
        super::files(a, e, &a.blocks(e).unwrap(), names)
    }

    /// The words of every spoken turn, in order: what every timed format must hold.
    fn spoken_words(a: &Archive, episode: &Episode) -> Vec<String> {
        a.blocks(episode)
            .unwrap()
            .turns()
            .filter(|t| t.voice != Voice::Marker)
            .flat_map(|t| {
                let text = to_plain_text(&t.text);
                text.split_whitespace()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn words_of<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
        texts
            .flat_map(|t| t.split_whitespace().map(String::from))
            .collect()
    }

    /// What `write_json` writes, as serde_json writes it from structs of the same fields.
    fn json_by_serde(cues: &[Cue]) -> String {
        #[derive(Serialize)]
        struct Transcript<'a> {
            version: &'static str,
            segments: Vec<Segment<'a>>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Segment<'a> {
            speaker: &'a str,
            #[serde(serialize_with = "seconds")]
            start_time: u64,
            #[serde(serialize_with = "seconds")]
            end_time: u64,
            body: &'a str,
        }
        let segments = cues
            .iter()
            .map(|cue| Segment {
                speaker: cue.speaker,
                start_time: cue.start,
                end_time: cue.end,
                body: cue.text,
            })
            .collect();
        serde_json::to_string(&Transcript {
            version: "1.0.0",
            segments,
        })
        .unwrap()
    }

    #[test]
    fn json_is_written_as_serde_json_writes_it() {
        let texts = [
            "",
            "Plain words, said.",
            "She said \"no\" twice",
            "a back\\slash",
            // Each byte that JSON escapes alone in a text, so that none hides another.
            "\u{0}",
            "a bell\u{7}",
            "tab\there",
            "line\nbreak",
            "unit\u{1f}separator",
            "\u{7f} \u{2028} é 𝒜 “quoted” </script>",
        ];
        let times = [0, 1, 999, 1000, 1001, 12_500, 59_999, 3_600_000, 86_399_123];
        let cues: Vec<Cue> = texts
            .iter()
            .flat_map(|&text| {
                times.iter().map(move |&start| Cue {
                    speaker: text,
                    text,
                    start,
                    end: start + 1234,
                    opens_turn: false,
                })
            })
            .collect();
        for n in [0, 1, 2, cues.len()] {
            assert_eq!(write_json(&cues[..n]).unwrap(), json_by_serde(&cues[..n]));
        }
    }

    fn segments(json: &str) -> Vec<Value> {
        let value: Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["version"], "1.0.0");
        value["segments"].as_array().unwrap().clone()
    }

    #[test]
    fn vtt_names_voices_and_escapes_text() {
        let a = archive();
        let vtt = vtt(&a, episode(&a, "one")).unwrap();
        assert!(vtt.starts_with("WEBVTT\n\n00:00:05.000 --> "), "{vtt}");
        assert!(
            vtt.contains(
                "<v Ann Lee>Welcome, this is A &amp; B. Is x &lt; y? Type a--&gt;b here.\n"
            ),
            "{vtt}"
        );
        assert!(
            vtt.contains("<v Tom &amp; Jerry>Thanks for having us.\n"),
            "{vtt}"
        );
        assert!(vtt.contains("<v Speaker 1>A question"), "{vtt}");
        assert!(
            !vtt.contains("Break") && !vtt.contains("theme music"),
            "{vtt}"
        );
        for cue in vtt.trim_end().split("\n\n").skip(1) {
            let lines: Vec<&str> = cue.lines().collect();
            assert_eq!(lines.len(), 2, "one timing line, one payload line: {cue}");
            assert_eq!(lines[0].len(), "00:00:00.000 --> 00:00:00.000".len());
            assert!(lines[1].starts_with("<v ") && !lines[1].contains("-->"));
        }
    }

    #[test]
    fn srt_numbers_cues_and_names_each_turn() {
        let a = archive();
        let srt = srt(&a, episode(&a, "one")).unwrap();
        let cues: Vec<&str> = srt.trim_end().split("\n\n").collect();
        for (i, cue) in cues.iter().enumerate() {
            let lines: Vec<&str> = cue.lines().collect();
            assert_eq!(lines.len(), 3, "{cue}");
            assert_eq!(lines[0], (i + 1).to_string());
            assert!(
                lines[1].contains(',') && lines[1].contains(" --> "),
                "{cue}"
            );
        }
        assert!(cues[0].ends_with("\nAnn Lee: Welcome, this is A & B. Is x < y? Type a–>b here."));
        let long = cues
            .iter()
            .position(|c| c.contains("Tom & Jerry: This"))
            .unwrap();
        let next = cues[long + 1].lines().nth(2).unwrap();
        assert_eq!(next, [SENTENCE; 3].join(" "), "no name within a turn");
    }

    /// `0xB10C: Hey` read back as text, not as 0xB10C's turn: a bare label must look like a
    /// name to a caption reader, so any other name is written in brackets.
    #[test]
    fn an_srt_label_reads_back_as_the_same_speaker() {
        for name in ["Ann Lee", "李明", "0xB10C", "dr. ann", "a: b", "[x]"] {
            let mut line = String::new();
            srt_label(&mut line, name);
            line.push_str("Hello there.");
            let (label, text) = crate::import::speech::speaker_prefix(&line)
                .unwrap_or_else(|| panic!("{line} reads as no label"));
            assert_eq!(text, "Hello there.", "{line}");
            assert_eq!(label, name.replace(['[', ']', ':'], ""), "{line}");
            assert_eq!(
                line.starts_with('['),
                !name.starts_with(['A', '李']),
                "{line}"
            );
        }
    }

    #[test]
    fn json_is_a_podcasting_transcript() {
        let a = archive();
        let segments = segments(&json(&a, episode(&a, "one")).unwrap());
        assert_eq!(segments[0]["speaker"], "Ann Lee");
        assert_eq!(segments[0]["startTime"], 5);
        assert!(segments[0]["body"]
            .as_str()
            .unwrap()
            .contains("A & B. Is x < y?"));
        for s in &segments {
            assert!(s["speaker"].is_string() && s["body"].is_string(), "{s}");
            assert!(
                s["startTime"].is_number() && s["endTime"].is_number(),
                "{s}"
            );
        }
        let speakers: Vec<&str> = segments
            .iter()
            .filter_map(|s| s["speaker"].as_str())
            .collect();
        assert!(speakers.contains(&"Tom & Jerry") && speakers.contains(&"Speaker 1"));
        assert!(!speakers.contains(&"Break"));
    }

    #[test]
    fn every_spoken_word_appears_once_in_every_format() {
        let a = archive();
        let e = episode(&a, "one");
        let expected = spoken_words(&a, e);
        assert!(expected.len() > 200, "the long turn is there");

        let vtt = vtt(&a, e).unwrap();
        let payloads = vtt.lines().filter_map(|l| l.strip_prefix("<v "));
        let vtt_text: Vec<String> = payloads
            .map(|l| l.split_once('>').unwrap().1)
            .map(|t| {
                t.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .collect();
        assert_eq!(words_of(vtt_text.iter().map(String::as_str)), expected);

        let srt = srt(&a, e).unwrap();
        let srt_text: Vec<String> = srt
            .trim_end()
            .split("\n\n")
            .map(|cue| cue.lines().nth(2).unwrap())
            .map(|t| {
                ["Ann Lee: ", "Tom & Jerry: ", "Speaker 1: "]
                    .iter()
                    .fold(t, |t, p| t.strip_prefix(p).unwrap_or(t))
            })
            .map(|t| t.replace("–>", "-->"))
            .collect();
        assert_eq!(words_of(srt_text.iter().map(String::as_str)), expected);

        let json = segments(&json(&a, e).unwrap());
        assert_eq!(
            words_of(json.iter().filter_map(|s| s["body"].as_str())),
            expected
        );

        let txt = txt(&a, e).unwrap();
        let turns = txt
            .split("\n\n")
            .filter(|p| !p.starts_with("## ") && !p.starts_with('['))
            .map(|p| p.split_once(": ").unwrap().1);
        assert_eq!(words_of(turns), expected);
    }

    #[test]
    fn long_turns_become_cues_of_whole_sentences_of_thirty_words_at_most() {
        let a = archive();
        let segments = segments(&json(&a, episode(&a, "one")).unwrap());
        let long: Vec<&str> = segments
            .iter()
            .filter_map(|s| s["body"].as_str())
            .filter(|b| b.starts_with("This sentence"))
            .collect();
        assert_eq!(long.len(), 7, "{long:?}");
        for body in long {
            assert!(body.split_whitespace().count() <= MAX_CUE_WORDS, "{body}");
            assert!(body.ends_with("all told."), "{body}");
        }
    }

    #[test]
    fn times_never_go_back_even_when_a_timestamp_does() {
        let a = archive();
        let segments = segments(&json(&a, episode(&a, "one")).unwrap());
        let mut free = 0.0;
        for s in &segments {
            let (start, end) = (
                s["startTime"].as_f64().unwrap(),
                s["endTime"].as_f64().unwrap(),
            );
            assert!(start >= free && end > start, "{s}");
            free = end;
        }
        let backwards = segments
            .iter()
            .find(|s| s["body"].as_str().unwrap().contains("backwards"))
            .unwrap();
        let start = backwards["startTime"].as_f64().unwrap();
        assert!(
            (90.0..120.0).contains(&start),
            "after 01:30, before 02:00: {start}"
        );
        let last = segments.last().unwrap();
        assert_eq!(
            (last["startTime"].as_f64(), last["endTime"].as_f64()),
            (Some(120.0), Some(300.0))
        );
    }

    #[test]
    fn an_untimed_turn_goes_on_from_the_last_known_time() {
        let a = archive();
        let segments = segments(&json(&a, episode(&a, "one")).unwrap());
        let untimed = segments
            .iter()
            .find(|s| s["body"].as_str().unwrap().starts_with("An untimed"))
            .unwrap();
        let start = untimed["startTime"].as_f64().unwrap();
        assert!(start > 20.0 && start < 60.0, "{start}");
    }

    #[test]
    fn without_timestamps_on_turns_there_are_no_timed_files() {
        let a = archive();
        let e = episode(&a, "two");
        assert!(vtt(&a, e).is_none() && srt(&a, e).is_none() && json(&a, e).is_none());
        let names: Vec<&str> = files(&a, e, &FILE_NAMES).iter().map(|f| f.name).collect();
        assert_eq!(names, ["transcript.txt", "chapters.json"]);
        assert_eq!(
            txt(&a, e).unwrap(),
            "Recorded live.\n\n## Later [02:00]\n\nAnn Lee: No times on turns here.\n\n## Earlier [00:30]\n\nAnn Lee: Still none.\n"
        );
    }

    // Issue 25: every episode got all four transcript files whatever a site wanted, most of the
    // output of a large archive. Only the files asked for are made now, in the order asked.
    #[test]
    fn only_the_files_asked_for_are_made() {
        let a = archive();
        let e = episode(&a, "one");
        let names: Vec<&str> = files(&a, e, &["transcript.vtt", "transcript.json"])
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["transcript.vtt", "transcript.json"]);
        assert!(files(&a, e, &[]).is_empty());
    }

    #[test]
    fn chapters_json_lists_timed_chapters_in_time_order() {
        let a = archive();
        assert_eq!(
            chapters(&a, episode(&a, "one")).unwrap(),
            r#"{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":60,"title":"Part two"}]}"#
        );
        assert_eq!(
            chapters(&a, episode(&a, "two")).unwrap(),
            r#"{"version":"1.2.0","chapters":[{"startTime":30,"title":"Earlier"},{"startTime":120,"title":"Later"}]}"#
        );
    }

    #[test]
    fn every_file_of_a_timed_episode_and_the_same_each_time() {
        let a = archive();
        let e = episode(&a, "one");
        let files = files(&a, e, &FILE_NAMES);
        let names: Vec<&str> = files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "transcript.vtt",
                "transcript.srt",
                "transcript.json",
                "transcript.txt",
                "chapters.json"
            ]
        );
        assert_eq!(
            files,
            super::files(&a, e, &a.blocks(e).unwrap(), &FILE_NAMES)
        );
        let txt = &files[3].body;
        assert!(txt.contains("\n\n[Break] (theme music)\n\n"), "{txt}");
        assert!(txt.contains("\n\nAnn Lee [00:05]: Welcome"), "{txt}");
        assert!(txt.contains("\n\nSpeaker 1: A question"), "{txt}");
    }

    #[test]
    fn cue_lengths_cover_every_word_within_the_limit() {
        let text = "One two three. Four five, six seven eight nine ten eleven twelve thirteen.";
        for n in 0..120 {
            let words: Vec<&str> = text.split_whitespace().cycle().take(n).collect();
            for limit in [1, 5, MIN_CUE_WORDS, MAX_CUE_WORDS] {
                let lengths = cue_lengths(&words, limit);
                assert_eq!(lengths.iter().sum::<usize>(), n);
                assert!(lengths.iter().all(|&l| l >= 1 && l <= limit), "{lengths:?}");
            }
        }
    }

    #[test]
    fn cue_limit_follows_the_pace_of_speech() {
        assert_eq!(cue_limit(30, 12_000), 30, "150 words a minute");
        assert_eq!(cue_limit(100, 10_000), MAX_CUE_WORDS, "fast");
        assert_eq!(cue_limit(20, 600_000), MIN_CUE_WORDS, "a long pause");
        assert_eq!(cue_limit(20, 0), MAX_CUE_WORDS);
    }

    #[test]
    fn squeezed_cues_still_last_and_keep_their_order() {
        let cue = |start, end| Cue {
            speaker: "A",
            text: "",
            start,
            end,
            opens_turn: true,
        };
        let mut cues = vec![cue(5, 5), cue(5, 5), cue(3, 9)];
        settle(&mut cues);
        let times: Vec<(u64, u64)> = cues.iter().map(|c| (c.start, c.end)).collect();
        assert_eq!(times, [(5, 6), (6, 7), (7, 9)]);
    }

    #[test]
    fn clocks_and_escapes() {
        let written = |write: &dyn Fn(&mut String)| {
            let mut out = String::new();
            write(&mut out);
            out
        };
        assert_eq!(written(&|o| clock(o, 3_723_045, '.')), "01:02:03.045");
        assert_eq!(written(&|o| clock(o, 5, ',')), "00:00:00,005");
        assert_eq!(written(&|o| clock(o, 359_999_999, '.')), "99:59:59.999");
        assert_eq!(
            written(&|o| clock(o, 1_234 * 3_600_000 + 60_010, '.')),
            "1234:01:00.010"
        );
        assert_eq!(
            written(&|o| vtt_escape(o, "a <b> & c")),
            "a &lt;b&gt; &amp; c"
        );
    }

    #[test]
    fn seconds_are_written_as_serde_json_writes_them() {
        let mut scratch = Vec::new();
        let mut n = 1_u64;
        let growing = std::iter::from_fn(|| {
            n = n.checked_mul(3)?.checked_add(1)?;
            Some(n)
        });
        let near_the_bound = (SHORT_SECONDS - 5_000..SHORT_SECONDS + 5_000).step_by(7);
        let millis = (0..200_000).chain(growing).chain(near_the_bound);
        for millis in millis.chain([u64::MAX, SHORT_SECONDS - 1, 1_000_000_000_999]) {
            let mut out = String::new();
            json_seconds(&mut out, &mut scratch, millis).unwrap();
            let expected = serde_json::to_string(&Seconds(millis)).unwrap();
            assert_eq!(out, expected, "{millis}");
        }
    }
}
