//! A parsed body as the cache keeps it.
//!
//! Most of a parsed body is the text of its turns, twice: as written (Markdown) and as plain
//! text. Both are the body's own, in pieces (a turn's paragraph after its label, then the
//! blocks that continue it; the plain text differs where markup is left out and paragraphs
//! are joined) in order. So an entry keeps where each piece is in the body, and writes out
//! only what it does not find there. Whoever reads an entry has the body at hand: its key is
//! made from the body. An entry is then a tenth to a quarter of its body (the generated
//! benchmark archives, and the real corpora of the tests, where more markup is left out of
//! the plain text), where with every text written out it was about as long as the body: at
//! 100,000 episodes, gigabytes less for a build to write to disk and read back.
//!
//! Finding the pieces is general, not tied to how the parser cut the text: any text reads
//! back exactly, whatever it holds, because what is not found is written out. The search
//! costs at most a few times the body's length, however the texts are made.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::transcript::{Parsed, RawBlock, UnreadTimestamp};

/// A parsed body, its texts as pieces of the body, with the answers it depended on.
#[derive(Serialize, Deserialize)]
pub(super) struct Entry<'a> {
    /// Every label `parse` asked about, and whether it was a known speaker then. The same
    /// body reads differently once a profile names a new speaker.
    pub asked: Vec<(String, bool)>,
    /// The blocks, each text taken out ...
    blocks: Cow<'a, [RawBlock]>,
    /// ... and kept here, in the blocks' order.
    texts: Vec<Vec<Piece>>,
    /// Each turn's plain text.
    plain: Vec<Vec<Piece>>,
    unread: Cow<'a, [UnreadTimestamp]>,
}

/// A stretch of a text.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Piece {
    /// `len` bytes of the body from byte `start`.
    Body { start: usize, len: usize },
    /// Text not found in the body where it was looked for.
    Own(String),
}

/// The entry of `parsed`, which was parsed from `body`, encoded; `parsed` is as it was
/// after.
pub(super) fn encode(
    asked: Vec<(String, bool)>,
    parsed: &mut Parsed,
    body: &str,
) -> postcard::Result<Vec<u8>> {
    // Each text, and whether it is a turn's, whose plain text is looked for from where it is.
    let texts: Vec<(String, bool)> = parsed
        .blocks
        .iter_mut()
        .filter_map(|block| {
            let turn = matches!(block, RawBlock::Turn { .. });
            block.text_mut().map(|text| (std::mem::take(text), turn))
        })
        .collect();
    let mut finder = Finder::new(body);
    let pieces: Vec<Vec<Piece>> = texts.iter().map(|(text, _)| finder.pieces(text)).collect();
    let turn_starts = texts
        .iter()
        .zip(&pieces)
        .filter(|((_, turn), _)| *turn)
        .map(|(_, pieces)| match pieces.first() {
            Some(Piece::Body { start, .. }) => Some(*start),
            _ => None,
        });
    let plain = plain_pieces(&parsed.plain, turn_starts, body);
    let entry = Entry {
        asked,
        blocks: Cow::Borrowed(&parsed.blocks),
        texts: pieces,
        plain,
        unread: Cow::Borrowed(&parsed.unread),
    };
    let bytes = postcard::to_stdvec(&entry);
    let slots = parsed.blocks.iter_mut().filter_map(RawBlock::text_mut);
    for (slot, (text, _)) in slots.zip(texts) {
        *slot = text;
    }
    bytes
}

impl Entry<'_> {
    /// The parsed body again, given the body the entry was made from; `None` when the entry
    /// does not fit it (a piece outside the body, or texts that do not match the blocks).
    pub fn parsed(self, body: &str) -> Option<Parsed> {
        let mut texts = self.texts.into_iter();
        let mut blocks = self.blocks.into_owned();
        for slot in blocks.iter_mut().filter_map(RawBlock::text_mut) {
            *slot = joined(texts.next()?, body)?;
        }
        let plain = self
            .plain
            .into_iter()
            .map(|pieces| joined(pieces, body))
            .collect::<Option<Vec<String>>>()?;
        texts.next().is_none().then(|| Parsed {
            blocks,
            plain,
            unread: self.unread.into_owned(),
        })
    }
}

/// Each turn's plain text as pieces of the body, looked for from where the turn's text
/// begins in the body, when it was found there (`starts`, one for each turn): the plain text
/// is that text without its markup.
fn plain_pieces(
    plain: &[String],
    starts: impl Iterator<Item = Option<usize>>,
    body: &str,
) -> Vec<Vec<Piece>> {
    let mut finder = Finder::new(body);
    let starts = starts.chain(std::iter::repeat(None));
    plain
        .iter()
        .zip(starts)
        .map(|(text, start)| match start {
            Some(start) => finder.pieces_from(text, start),
            None => finder.pieces(text),
        })
        .collect()
}

/// The text `pieces` of `body` make.
fn joined(pieces: Vec<Piece>, body: &str) -> Option<String> {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Body { start, len } => text.push_str(body.get(start..start.checked_add(len)?)?),
            Piece::Own(own) => text.push_str(&own),
        }
    }
    Some(text)
}

/// How many bytes a text's first stretch is looked for by: enough to find it in the right
/// place, in a body where short phrases repeat.
const PROBE: usize = 24;
/// How many bytes a text's stretch near the last piece is looked for by.
const SHORT_PROBE: usize = 8;
/// How far past the end of the last piece found a text's first stretch is looked for: the
/// next text is usually a label away, but prose or a text not found may lie between.
const FAR: usize = 64 * 1024;
/// How far a text's later stretches are looked for: they follow the one before closely (a
/// blank line between blocks).
const NEAR: usize = 256;
/// After this many characters in a row of a text not found, the rest is written out. In a row:
/// a plain text misses a character wherever the body's punctuation was made typographic
/// (`'` is `’` there), and then goes on as the body does.
const MISSES: usize = 16;

/// Finds the texts of a body's blocks in the body, one after the other, each from where the
/// one before ended.
struct Finder<'a> {
    body: &'a str,
    /// Where the last piece found ends.
    after: usize,
    /// Bytes of the body the finder may still search: a body whose texts are not its own
    /// (none are, but nothing here relies on it) costs a few times its length, not its length
    /// times its number of turns.
    budget: usize,
}

impl<'a> Finder<'a> {
    fn new(body: &'a str) -> Finder<'a> {
        Finder {
            body,
            after: 0,
            budget: 4 * body.len() + FAR,
        }
    }

    /// `text` as pieces of the body where they are found, and written out where not.
    fn pieces(&mut self, text: &str) -> Vec<Piece> {
        self.pieces_within(text, FAR)
    }

    /// `text` as pieces of the body, for a text known to begin at or just after `start`.
    fn pieces_from(&mut self, text: &str, start: usize) -> Vec<Piece> {
        self.after = start.min(self.body.len());
        self.pieces_within(text, NEAR)
    }

    /// `text` as pieces, its first stretch looked for within `reach` bytes of the last piece.
    fn pieces_within(&mut self, text: &str, reach: usize) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut reach = reach;
        let mut misses = 0;
        while !rest.is_empty() {
            if let Some((start, len)) = self.find(rest, reach) {
                pieces.push(Piece::Body { start, len });
                self.after = start + len;
                rest = &rest[len..];
                misses = 0;
            } else {
                misses += 1;
                let take = match misses < MISSES {
                    true => rest.chars().next().map_or(rest.len(), char::len_utf8),
                    false => rest.len(),
                };
                match pieces.last_mut() {
                    Some(Piece::Own(own)) => own.push_str(&rest[..take]),
                    _ => pieces.push(Piece::Own(rest[..take].to_string())),
                }
                rest = &rest[take..];
            }
            reach = NEAR;
        }
        pieces
    }

    /// Where the longest stretch that begins `rest` is in the body, within `reach` bytes
    /// after the last piece: its start and length.
    ///
    /// A stretch far from the last piece is looked for by a long probe, so as not to be found
    /// in the wrong place; one near it by a short one, since it is almost always right there,
    /// and a short probe goes on matching where the text and the body part again soon after
    /// (a plain text's `’` where the body has `'`).
    fn find(&mut self, rest: &str, reach: usize) -> Option<(usize, usize)> {
        let body = self.body.as_bytes();
        let probe_len = if reach > NEAR { PROBE } else { SHORT_PROBE };
        let probe = &rest.as_bytes()[..char_floor(rest, probe_len)];
        if probe.is_empty() {
            return None;
        }
        let from = self.after;
        let length = (reach + probe.len()).min(self.budget);
        let window = body.get(from..from.saturating_add(length).min(body.len()))?;
        let found = memchr::memmem::find(window, probe);
        self.budget -= found.map_or(window.len(), |at| at + probe.len());
        let start = from + found?;
        let same = common_prefix(rest.as_bytes(), &body[start..]);
        Some((start, char_floor(rest, same)))
    }
}

/// How many bytes `a` and `b` begin with alike. A found stretch usually runs for the rest of a
/// turn's text, so they are compared a block at a time, which compiles to a few wide
/// comparisons, and byte by byte only in the block where they part: comparing every byte alone
/// was most of the time spent encoding an entry.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 32;
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let whole = a
        .chunks_exact(BLOCK)
        .zip(b.chunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count()
        * BLOCK;
    whole
        + a[whole..]
            .iter()
            .zip(&b[whole..])
            .take_while(|(x, y)| x == y)
            .count()
}

/// The longest length of at most `max` bytes that ends `text` on a character boundary.
fn char_floor(text: &str, max: usize) -> usize {
    let mut at = max.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::transcript;

    fn round_trip(body: &str) -> (Parsed, Parsed, usize) {
        let mut parsed = transcript::read(body, 1, &|_| true);
        let bytes = encode(vec![], &mut parsed, body).unwrap();
        assert_eq!(parsed.blocks, transcript::read(body, 1, &|_| true).blocks);
        let entry: Entry = postcard::from_bytes(&bytes).unwrap();
        (parsed, entry.parsed(body).unwrap(), bytes.len())
    }

    #[test]
    fn the_common_prefix_is_counted_to_the_first_byte_that_differs() {
        let long = "a".repeat(100);
        for parts_at in [0, 1, 31, 32, 33, 64, 99] {
            let mut other = long.clone().into_bytes();
            other[parts_at] = b'b';
            assert_eq!(common_prefix(long.as_bytes(), &other), parts_at);
        }
        assert_eq!(common_prefix(long.as_bytes(), long.as_bytes()), 100);
        assert_eq!(common_prefix(&long.as_bytes()[..40], long.as_bytes()), 40);
        assert_eq!(common_prefix(b"", b"abc"), 0);
    }

    #[test]
    fn a_body_reads_back_as_it_was_parsed() {
        let body = "Intro *prose*.\n\n## Part one [00:01:00]\n\n[00:01:05] **Ann Lee:** Hello — \
                    “quoted” naïve café.\n\n\n\n   Still Ann, after blank lines.\n\n```rust\nfn \
                    main() {}\n\nlet x = 1;\n```\n\n[99:99:99] **Bo:** Hi.\n\n- a list\n- of \
                    two\n\nBo: plain label, 東京.\n";
        let (parsed, again, _) = round_trip(body);
        assert_eq!(again.blocks, parsed.blocks);
        assert_eq!(again.plain, parsed.plain);
        assert_eq!(again.unread, parsed.unread);
    }

    #[test]
    fn an_entry_keeps_where_its_texts_are_not_the_texts() {
        let turn = "A sentence of a transcript that goes on for a while, as people do. ";
        let body: String = (0..200)
            .map(|n| format!("**Speaker {}:** {}\n\n", n % 3, turn.repeat(3)))
            .collect();
        let (parsed, again, size) = round_trip(&body);
        assert_eq!(again.blocks, parsed.blocks);
        assert_eq!(again.plain, parsed.plain);
        // The labels and lines are written out; neither the turns' texts nor their plain
        // texts, each about as long as the body, are.
        assert!(size < body.len() / 4, "{size} bytes");
    }

    #[test]
    fn plain_text_without_the_markup_reads_back_from_pieces_of_the_body() {
        let body = "**Ann:** Some *emphasis* and a [link](https://example.org/) in a turn that \
                    runs on.\n\nA second paragraph of Ann, which the plain text joins to the \
                    first.\n\n**Bo:** `code` and **bold** words, then an ordinary sentence or \
                    two of what Bo said.\n";
        let (parsed, again, _) = round_trip(body);
        assert!(parsed
            .plain
            .iter()
            .any(|plain| plain.contains("emphasis and a link")));
        assert_eq!(again.plain, parsed.plain);
        assert_eq!(again.blocks, parsed.blocks);
    }

    #[test]
    fn text_not_in_the_body_is_written_out() {
        let body = "one two three four five six seven eight nine ten eleven twelve";
        let mut finder = Finder::new(body);
        let text = "one two three four five six seven eight nine ten, and then something else";
        let pieces = finder.pieces(text);
        assert_eq!(pieces[0], Piece::Body { start: 0, len: 48 });
        assert_eq!(joined(pieces, body).unwrap(), text);
        for text in [
            "",
            "é",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "twelve",
            "東京 one two",
        ] {
            let pieces = Finder::new(body).pieces(text);
            assert_eq!(joined(pieces, body).unwrap(), text);
        }
    }

    #[test]
    fn a_body_of_texts_not_its_own_costs_a_few_times_its_length() {
        let body = "x".repeat(10_000);
        let mut finder = Finder::new(&body);
        for _ in 0..1000 {
            let text = "y".repeat(50) + &"x".repeat(30);
            assert_eq!(joined(finder.pieces(&text), &body).unwrap(), text);
        }
        assert!(finder.budget < FAR, "{}", finder.budget);
    }

    #[test]
    fn an_entry_that_does_not_fit_the_body_is_none() {
        let body = "**Ann:** Hello there, how are you today?\n";
        let mut parsed = transcript::read(body, 1, &|_| true);
        let bytes = encode(vec![], &mut parsed, body).unwrap();
        for other in ["", "**Ann:** Hé", "short"] {
            let entry: Entry = postcard::from_bytes(&bytes).unwrap();
            assert!(entry.parsed(other).is_none(), "{other:?}");
        }
    }
}
