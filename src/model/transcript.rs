//! A transcript body → blocks: turns, chapters and the prose around them.
//!
//! A paragraph that opens with a speaker label opens a turn; the turn goes on through the
//! following blocks until the next label or the next chapter heading. Blocks are cut from the
//! Markdown source as written, so that nothing is lost or reformatted: the renderer turns each
//! block's text into HTML later.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
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
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => text.space(),
            _ => {}
        }
    }
    text.into_string()
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
    /// `is_declared` tells which plain `Name:` labels are real (see [`parse`]).
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

/// [`parse`], with the plain text of every turn and the timestamps that did not read.
pub fn read(body: &str, first_line: usize, is_declared: &dyn Fn(&str) -> bool) -> Parsed {
    let mut unread = Vec::new();
    let blocks = parse_blocks(body, first_line, is_declared, &mut unread);
    let plain = blocks
        .iter()
        .filter_map(|block| match block {
            RawBlock::Turn { text, .. } => Some(to_plain_text(text)),
            _ => None,
        })
        .collect();
    Parsed {
        blocks,
        plain,
        unread,
    }
}

/// Splits `body` into blocks. `first_line` is the line of the file the body starts on;
/// `is_declared` tells which plain `Name:` labels are real.
pub fn parse(body: &str, first_line: usize, is_declared: &dyn Fn(&str) -> bool) -> Vec<RawBlock> {
    parse_blocks(body, first_line, is_declared, &mut Vec::new())
}

/// [`parse`], gathering the timestamps that did not read into `unread`.
fn parse_blocks(
    body: &str,
    first_line: usize,
    is_declared: &dyn Fn(&str) -> bool,
    unread: &mut Vec<UnreadTimestamp>,
) -> Vec<RawBlock> {
    let mut blocks: Vec<RawBlock> = Vec::new();
    let mut lines = LineCounter::new(body, first_line);
    for (kind, range) in top_level_blocks(body) {
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
                None => continue_or_prose(&mut blocks, source, line),
            },
            Kind::Other => continue_or_prose(&mut blocks, source, line),
        }
    }
    blocks
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

/// The byte ranges of the top-level blocks of a Markdown document, with what kind they are.
fn top_level_blocks(body: &str) -> Vec<(Kind, std::ops::Range<usize>)> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current = (Kind::Other, 0);
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    current = (kind_of(&tag), range.start);
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let end_at = if matches!(end, TagEnd::Paragraph) {
                        range.end
                    } else {
                        range.end.max(current.1)
                    };
                    blocks.push((current.0, current.1..end_at));
                }
            }
            _ if depth == 0 => blocks.push((Kind::Other, range)),
            _ => {}
        }
    }
    blocks
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
            self.line += self.text[self.offset..offset].matches('\n').count();
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

    fn blocks(body: &str) -> Vec<RawBlock> {
        parse(body, 10, &|name| name == "Ann Lee")
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
