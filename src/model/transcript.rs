//! A transcript body → blocks: turns, chapters and the prose around them.
//!
//! A paragraph that opens with a speaker label opens a turn; the turn goes on through the
//! following blocks until the next label or the next chapter heading. Blocks are cut from the
//! Markdown source as written, so that nothing is lost or reformatted: the renderer turns each
//! block's text into HTML later.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::label::{parse_label, split_heading_timestamp};
use super::time::Timestamp;
use crate::text::OneLine;

/// One block of a transcript as written, before speakers are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RawBlock {
    Turn {
        label: String,
        #[serde(with = "millis")]
        timestamp: Option<Timestamp>,
        text: String,
        line: usize,
    },
    Chapter {
        title: String,
        #[serde(with = "millis")]
        timestamp: Option<Timestamp>,
        line: usize,
    },
    Prose {
        text: String,
        line: usize,
    },
}

impl RawBlock {
    /// The block's own text, if it has one: a turn's words after its label, or prose.
    pub fn text_mut(&mut self) -> Option<&mut String> {
        match self {
            RawBlock::Turn { text, .. } | RawBlock::Prose { text, .. } => Some(text),
            RawBlock::Chapter { .. } => None,
        }
    }
}

/// Timestamps as the build cache keeps them: milliseconds. (Front matter writes them as
/// clock times, which is what `Timestamp` reads.)
mod millis {
    use super::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        t.map(|t| t.0).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Timestamp))
    }
}

/// The Markdown extensions every body is read with, here and in the renderer.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The text of a Markdown fragment without its markup, for excerpts, descriptions, transcript
/// files and the search index. Raw HTML stays, as text: pages show it as text too.
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = OneLine::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, markdown_options()) {
        match plain_part(event) {
            PlainPart::Text(t) => text.push_str(&t),
            PlainPart::Break => text.space(),
            PlainPart::Nothing => {}
        }
    }
    text.into_string()
}

/// What a Markdown event gives the plain text.
enum PlainPart<'a> {
    Text(CowStr<'a>),
    /// A break between words: one space, if words follow.
    Break,
    Nothing,
}

fn plain_part(event: Event<'_>) -> PlainPart<'_> {
    match event {
        Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
            PlainPart::Text(t)
        }
        Event::SoftBreak | Event::HardBreak => PlainPart::Break,
        Event::End(end) if ends_words(end) => PlainPart::Break,
        _ => PlainPart::Nothing,
    }
}

/// Whether the end of an element is a break between words in the plain text.
fn ends_words(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::Heading(_)
            | TagEnd::TableCell
            | TagEnd::CodeBlock
    )
}

/// The words of text from [`to_plain_text`]: single spaces part them, so counting spaces
/// is enough, and much cheaper than splitting the text again.
pub fn word_count(plain: &str) -> usize {
    if plain.is_empty() {
        0
    } else {
        bytecount::count(plain.as_bytes(), b' ') + 1
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Chapter,
    Other,
}

/// A body read: its blocks, the plain text of each turn in order, and the timestamps that could
/// not be read. What the build cache keeps of a transcript, since working it out is most of the
/// cost of reading one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parsed {
    pub blocks: Vec<RawBlock>,
    pub plain: Vec<String>,
    pub unread: Vec<UnreadTimestamp>,
}

/// A bracketed timestamp beside a label or at the edge of a chapter heading that is no time
/// (`[99:99:99]`). It stays in the text as written; the model reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadTimestamp {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// How the model has a transcript body read. The model reads no file: whoever builds it
/// decides whether earlier parses are reused (the build cache) or every body is read afresh
/// ([`Afresh`]). A reader must give what [`read`] gives for the same body and answers.
pub trait TranscriptReader: Sync {
    /// `body` read into blocks; `first_line` is the line of the file it starts on, and
    /// `is_declared` tells which plain `Name:` labels are real (see [`read`]).
    fn read_transcript(
        &self,
        body: &str,
        first_line: usize,
        is_declared: &dyn Fn(&str) -> bool,
    ) -> Parsed;
}

/// No cache: every body is read afresh.
pub struct Afresh;

impl TranscriptReader for Afresh {
    fn read_transcript(
        &self,
        body: &str,
        first_line: usize,
        is_declared: &dyn Fn(&str) -> bool,
    ) -> Parsed {
        read(body, first_line, is_declared)
    }
}

/// Splits `body` into blocks, with the plain text of every turn and the timestamps that did
/// not read. `first_line` is the line of the file the body starts on; `is_declared` tells
/// which plain `Name:` labels are real.
pub fn read(body: &str, first_line: usize, is_declared: &dyn Fn(&str) -> bool) -> Parsed {
    let mut unread = Vec::new();
    let (blocks, plains) = parse_blocks(body, first_line, is_declared, &mut unread);
    let texts = blocks.iter().filter_map(|block| match block {
        RawBlock::Turn { text, .. } => Some(text),
        _ => None,
    });
    let plain = texts
        .zip(plains)
        .map(|(text, plain)| match plain {
            Some(plain) => plain.into_string(),
            None => to_plain_text(text),
        })
        .collect();
    Parsed {
        blocks,
        plain,
        unread,
    }
}

/// The blocks of [`read`], gathering the timestamps that did not read into `unread`, with the
/// plain text of each turn where the one parse of the body gives it (see [`plain_from`]).
fn parse_blocks(
    body: &str,
    first_line: usize,
    is_declared: &dyn Fn(&str) -> bool,
    unread: &mut Vec<UnreadTimestamp>,
) -> (Vec<RawBlock>, Vec<Option<OneLine>>) {
    let mut lines = LineCounter::new(body, first_line);
    let (tops, pieces) = top_level_blocks(body);
    // Each top-level block of the body makes one block of the transcript at most.
    let mut blocks: Vec<RawBlock> = Vec::with_capacity(tops.len());
    let mut plains: Vec<Option<OneLine>> = Vec::with_capacity(tops.len());
    for TopBlock {
        kind,
        range,
        pieces: own,
    } in tops
    {
        let pieces = &pieces[own];
        let source = body[range.clone()].trim_end();
        let line = lines.line_at(range.start);
        let mut note = |within: std::ops::Range<usize>| {
            unread.push(locate(body, range.start, line, within));
        };
        match kind {
            Kind::Chapter => {
                let text = source.trim_start_matches('#');
                let hashes = source.len() - text.len();
                let heading = split_heading_timestamp(text.trim_end_matches('#'));
                if let Some(within) = heading.unread {
                    note(hashes + within.start..hashes + within.end);
                }
                blocks.push(RawBlock::Chapter {
                    title: heading.title,
                    timestamp: heading.timestamp,
                    line,
                });
            }
            Kind::Paragraph => match parse_label(source, is_declared) {
                Some(label) => {
                    let mut text = source[label.text_start..].to_string();
                    let plain = match label.unread {
                        Some(_) => None,
                        None => plain_from(
                            body,
                            pieces,
                            range.clone(),
                            range.start + label.text_start,
                            None,
                        ),
                    };
                    plains.push(plain);
                    if let Some(within) = label.unread {
                        // Before the label, it would be lost with the label: the turn keeps it.
                        if within.end <= label.text_start {
                            text = format!("{} {text}", &source[within.clone()]);
                        }
                        note(within);
                    }
                    blocks.push(RawBlock::Turn {
                        label: label.name.to_string(),
                        timestamp: label.timestamp,
                        text,
                        line,
                    });
                }
                None => {
                    goes_on_turn(&blocks, &mut plains, |plain| {
                        plain_from(body, pieces, range.clone(), range.start, Some(plain))
                    });
                    continue_or_prose(&mut blocks, source, line)
                }
            },
            Kind::Other => {
                goes_on_turn(&blocks, &mut plains, |_| None);
                continue_or_prose(&mut blocks, source, line)
            }
        }
    }
    (blocks, plains)
}

/// When a block goes on the turn before it, that turn's plain text becomes what `add` makes of
/// it with the block, or stays unknown.
fn goes_on_turn(
    blocks: &[RawBlock],
    plains: &mut [Option<OneLine>],
    add: impl FnOnce(OneLine) -> Option<OneLine>,
) {
    if let (Some(RawBlock::Turn { .. }), Some(slot)) = (blocks.last(), plains.last_mut()) {
        *slot = slot.take().and_then(add);
    }
}

/// The plain text of the paragraph of the body at `paragraph`, from byte `from` on, where a
/// turn's words begin (after its label, or at the paragraph's start when it goes on a turn),
/// put after `before`: what [`to_plain_text`] gives for those words parsed alone, but from the
/// parse of the whole body, which has read them already. Every turn of a build needs its plain
/// text, and parsing each again for it was a fifteenth of a build's instructions.
///
/// `None` where the two parses could differ, and the turn's words are parsed alone after all:
/// where a quote mark before the words may pair with one in them (smart punctuation makes the
/// second a closing quote, alone an opening one); where a `[` may make a link to a definition
/// elsewhere in the body, or a `|` a table of words that were not one behind a label; where
/// the words do not begin with a letter (alone, `- ` or `1. ` would begin a list, and a quote
/// or emphasis mark would be read against a different character before it); and where an
/// element of the paragraph, or a piece of text that is not the source as written, begins
/// before `from` and ends after it (emphasis across the label's end). Tests hold the two to
/// the same text, on generated transcripts and on every one of the corpora.
fn plain_from(
    body: &str,
    pieces: &[Piece<'_>],
    paragraph: Range<usize>,
    from: usize,
    before: Option<OneLine>,
) -> Option<OneLine> {
    let words = &body[from..paragraph.end];
    let starts_a_word = words.chars().next().is_some_and(char::is_alphabetic);
    let label = &body[paragraph.start..from];
    if !starts_a_word
        || memchr::memchr2(b'[', b'|', words.as_bytes()).is_some()
        || memchr::memchr2(b'"', b'\'', label.as_bytes()).is_some()
    {
        return None;
    }
    // A paragraph that goes on a turn follows the break that ended the one before.
    let mut plain = before.unwrap_or_else(|| OneLine::with_capacity(words.len()));
    for piece in pieces {
        match piece {
            Piece::Element(range) if range.start < from && range.end > from => return None,
            Piece::Element(_) => {}
            Piece::Text(range, text) if range.start < from && range.end > from => {
                let cut = from - range.start;
                match &body[range.clone()] == text.as_ref() {
                    true => plain.push_str(&text[cut..]),
                    false => return None,
                }
            }
            Piece::Text(range, text) if range.start >= from => plain.push_str(text),
            Piece::Text(..) => {}
            Piece::Break(at) if *at > from => plain.space(),
            Piece::Break(_) => {}
        }
    }
    Some(plain)
}

/// Where `within` (a range of the block that starts at byte `start` of `body`, on `line`) is
/// in the file, with its text.
fn locate(
    body: &str,
    start: usize,
    line: usize,
    within: std::ops::Range<usize>,
) -> UnreadTimestamp {
    let at = start + within.start;
    let line = line + body[start..at].matches('\n').count();
    let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    UnreadTimestamp {
        text: body[at..start + within.end].to_string(),
        line,
        column: body[line_start..at].chars().count() + 1,
    }
}

/// A block without a label belongs to the turn before it, if there is one.
fn continue_or_prose(blocks: &mut Vec<RawBlock>, source: &str, line: usize) {
    if let Some(RawBlock::Turn { text, .. }) = blocks.last_mut() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(source);
        return;
    }
    if let Some(RawBlock::Prose { text, .. }) = blocks.last_mut() {
        text.push_str("\n\n");
        text.push_str(source);
        return;
    }
    blocks.push(RawBlock::Prose {
        text: source.to_string(),
        line,
    });
}

/// A top-level block of a Markdown document: what kind it is, its bytes, and which of the
/// document's [`Piece`]s are its own.
struct TopBlock {
    kind: Kind,
    range: Range<usize>,
    pieces: Range<usize>,
}

/// What an event within a top-level block gives its plain text, with where in the body it is.
enum Piece<'a> {
    /// Text, from the bytes of `range` (where smart punctuation or an escape made it other
    /// than they are).
    Text(Range<usize>, CowStr<'a>),
    /// A break between words, at the end of what it ends.
    Break(usize),
    /// An element (emphasis, a link…) over `range`.
    Element(Range<usize>),
}

/// The top-level blocks of a Markdown document, and the pieces of their plain text.
fn top_level_blocks(body: &str) -> (Vec<TopBlock>, Vec<Piece<'_>>) {
    let mut blocks = Vec::new();
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut current = (Kind::Other, 0, 0);
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    current = (kind_of(tag), range.start, pieces.len());
                } else {
                    pieces.push(Piece::Element(range.clone()));
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if ends_words(*end) {
                    pieces.push(Piece::Break(range.end));
                }
                if depth == 0 {
                    let end_at = if matches!(end, TagEnd::Paragraph) {
                        range.end
                    } else {
                        range.end.max(current.1)
                    };
                    blocks.push(TopBlock {
                        kind: current.0,
                        range: current.1..end_at,
                        pieces: current.2..pieces.len(),
                    });
                }
            }
            _ if depth == 0 => blocks.push(TopBlock {
                kind: Kind::Other,
                range,
                pieces: pieces.len()..pieces.len(),
            }),
            _ => match plain_part(event) {
                PlainPart::Text(t) => pieces.push(Piece::Text(range, t)),
                PlainPart::Break => pieces.push(Piece::Break(range.end)),
                PlainPart::Nothing => {}
            },
        }
    }
    (blocks, pieces)
}

fn kind_of(tag: &Tag<'_>) -> Kind {
    match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Heading {
            level: HeadingLevel::H2,
            ..
        } => Kind::Chapter,
        _ => Kind::Other,
    }
}

/// Turns byte offsets into file lines, walking forward only.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: first_line,
        }
    }

    fn line_at(&mut self, offset: usize) -> usize {
        if offset > self.offset {
            self.line += bytecount::count(&self.text.as_bytes()[self.offset..offset], b'\n');
            self.offset = offset;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_the_markup() {
        assert_eq!(
            to_plain_text("It's *very* `fast`.\n\nYes."),
            "It’s very fast. Yes."
        );
        assert_eq!(to_plain_text("  a\u{a0} b\n\n- c\n- d  \n"), "a b c d");
        assert_eq!(to_plain_text(""), "");
    }

    #[test]
    fn words_are_counted_as_splitting_would_count_them() {
        // Lengths on both sides of every width the counting takes at once.
        for words in [0, 1, 2, 7, 8, 9, 31, 32, 33, 100, 1000] {
            let text = to_plain_text(&"Wörd, and *more* ".repeat(words));
            assert_eq!(word_count(&text), text.split_whitespace().count(), "{text}");
        }
    }

    /// Every turn's plain text in `read`, held to its words parsed alone.
    fn assert_plain_as_alone(body: &str) {
        let parsed = read(body, 1, &|name| name == "Ann" || name == "Bob");
        let texts = parsed.blocks.iter().filter_map(|block| match block {
            RawBlock::Turn { text, .. } => Some(text),
            _ => None,
        });
        for (text, plain) in texts.zip(&parsed.plain) {
            assert_eq!(plain, &to_plain_text(text), "turn {text:?} of {body:?}");
        }
    }

    #[test]
    fn a_turns_plain_text_is_its_words_parsed_alone() {
        let labels = [
            "**Ann:** ",
            "Ann: ",
            "**Ann:**",
            "**Ann:**\n",
            "[00:01] **Ann:** ",
            "[99:99] **Ann:** ",
            "**Ann** [00:02]: ",
            "**Ann**: ",
            "**Ann:**  ",
            "**`Ann:** ",
            "**Ann_:** ",
            "*Ann:* ",
            "**[Ann:** ",
            "**\"Ann:** ",
            "**‘Ann’s:** ",
            "**Ann's:** ",
            "**'Ann:** ",
        ];
        let words = [
            "",
            "hello world",
            "*it's* \"quoted\" 'single' fine",
            "- a list",
            "1. one",
            "2) two",
            "[x][r] and [y]",
            "see [x][r] and [y]",
            "noted[^1]",
            "a | b\n--|--",
            "> quote",
            "`code` here`",
            "<b>bold</b> <!-- c -->",
            "text** after",
            "text_ under_ score_",
            "x -- y... z---",
            "# heading",
            "~~strike~~ ~one~",
            "&amp; &copy; &#42;",
            "foo\\*bar \\[",
            "A\n===",
            "a\n---",
            "    indented",
            "é accent 𝒜",
            "’tis ‘so’",
            "a  \nhard\\\nbreak",
            "<http://x.org> www.y.org",
            "***both*** **b** *i*",
            "[a](http://l) ![i](/p.png)",
            "<div>\nblock\n</div>",
            "hi](/u) there",
            "quoted\" and 'this' or that'",
            // Between two marks a quote may open or close: after a label's opening quote it
            // closes that, alone it opens one that the apostrophe after closes.
            "x.'.y it's",
        ];
        let after = [
            "",
            "\n\nMore words.",
            "\n\nmore *words*",
            "\n\n- item\n- item",
            "\n\n[r]: /u\n\n[^1]: a note",
            "\n\n    code",
            "\n\n**Bob:** reply",
            "\n\n**Bob:** reply\n\n[r]: /u\n\n[^1]: a note",
            "\n\n## Chapter [00:03]\n\nAfter.",
            "\n\n> quoted\nlazy",
            "\n  indented on",
        ];
        for label in labels {
            for first in words {
                for second in words {
                    assert_plain_as_alone(&format!("{label}{first} {second}"));
                }
                for rest in after {
                    assert_plain_as_alone(&format!("{label}{first}{rest}"));
                    assert_plain_as_alone(&format!("Intro.\n\n{label}{first}{rest}{rest}"));
                }
            }
        }
    }

    fn blocks(body: &str) -> Vec<RawBlock> {
        read(body, 10, &|name| name == "Ann Lee").blocks
    }

    #[test]
    fn a_turn_runs_on_until_the_next_label() {
        let b = blocks("**Ann Lee:** One.\n\nTwo.\n\n- a list\n\n**Bo:** Three.\n");
        assert_eq!(b.len(), 2);
        assert_eq!(
            b[0],
            RawBlock::Turn {
                label: "Ann Lee".into(),
                timestamp: None,
                text: "One.\n\nTwo.\n\n- a list".into(),
                line: 10
            }
        );
        assert!(matches!(&b[1], RawBlock::Turn { label, line: 16, .. } if label == "Bo"));
    }

    #[test]
    fn text_before_the_first_turn_is_prose_and_chapters_end_turns() {
        let b = blocks("Recorded live.\n\n## [00:10] Start\n\nAnn Lee: Hi.\n\n## Show notes\n\n- [link](https://x)\n");
        assert!(matches!(&b[0], RawBlock::Prose { text, line: 10 } if text == "Recorded live."));
        assert!(
            matches!(&b[1], RawBlock::Chapter { title, timestamp: Some(t), line: 12 } if title == "Start" && t.0 == 10_000)
        );
        assert!(matches!(&b[2], RawBlock::Turn { label, .. } if label == "Ann Lee"));
        assert!(matches!(&b[3], RawBlock::Chapter { title, .. } if title == "Show notes"));
        assert!(matches!(&b[4], RawBlock::Prose { text, .. } if text.starts_with("- [link]")));
    }

    #[test]
    fn a_label_alone_in_its_paragraph_takes_the_next_one() {
        let b = blocks("**Ann:**\n\nSo it began.\n");
        assert_eq!(b.len(), 1);
        assert!(matches!(&b[0], RawBlock::Turn { text, .. } if text == "So it began."));
    }

    #[test]
    fn code_blocks_stay_whole() {
        let b = blocks("**Ann:** Look:\n\n```rust\nfn main() {}\n\nlet x = 1;\n```\n");
        assert!(matches!(&b[0], RawBlock::Turn { text, .. } if text.ends_with("let x = 1;\n```")));
    }
}
