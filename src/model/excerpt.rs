//! Which of a person's turns in an episode their speaker page quotes, and where in it to begin.
//!
//! A speaker page is read to learn what someone said, so the quote should carry substance, not
//! "Yeah, like you said…" or "So, tell us about yourself". The rule is general, the same for
//! every archive, with no list tuned to one show: substance is counted as the distinct words of
//! content (four letters or more, not one of the small words every conversation is made of) in
//! statements; questions count only when a person asked nothing else. The turn with the most
//! substance is quoted, from the start of its most content-bearing sentence, so leading filler
//! and back-channel are skipped.
//!
//! Pure text work on `Turn::plain`: no HTML, no rendering.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::ops::ControlFlow;
use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{Timestamp, Turn};
use crate::text::{ascii_whitespace, ascii_words, byte_mask, offset_in, sentence_mark};

/// What a speaker page and a speaker's feed quote from one appearance. It holds its own words,
/// so that a page listing thousands of appearances never reads their transcripts again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The anchor and time of the turn quoted.
    pub anchor: String,
    pub timestamp: Option<Timestamp>,
    /// Where in the turn's `plain` text the quote begins (a byte offset): the start of a
    /// sentence, 0 for the turn's beginning.
    pub from: usize,
    /// The turn's words from there, at most [`Excerpt::WORDS`] and one more, single-spaced: a
    /// page that quotes up to `WORDS` words from it shows what it would from the whole turn,
    /// down to the ellipsis of a cut.
    pub quote: String,
}

impl Excerpt {
    /// The most words a page or feed may quote.
    pub const WORDS: usize = 100;

    /// The excerpt of `turn` from byte `from` of its plain text.
    pub fn of(turn: &Turn, from: usize) -> Excerpt {
        Excerpt {
            anchor: turn.anchor.clone(),
            timestamp: turn.timestamp,
            from,
            quote: opening_words(turn.plain.get(from..).unwrap_or_default()),
        }
    }
}

/// The first [`Excerpt::WORDS`] words of `text` and one more, single-spaced: enough to quote
/// up to `WORDS` of them exactly as from the whole text.
pub fn opening_words(text: &str) -> String {
    text.split_whitespace()
        .take(Excerpt::WORDS + 1)
        .collect::<Vec<_>>()
        .join(" ")
}

/// How much a turn says, compared statements first, then everything including questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Substance {
    statements: usize,
    all: usize,
}

/// A sentence's first words this many at most count for it: a quote shows about that many, so
/// a long run-on sentence does not win on words no one will see.
const SENTENCE_WINDOW: usize = 30;

/// Small words of English conversation that are four letters or more, and so would otherwise
/// count as content: function words, fillers and back-channel. General English, not any show's.
const SMALL_WORDS: &[&str] = &[
    "about",
    "actually",
    "after",
    "again",
    "all",
    "also",
    "anyway",
    "back",
    "basically",
    "been",
    "before",
    "being",
    "both",
    "cause",
    "could",
    "didn't",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "each",
    "even",
    "every",
    "exactly",
    "from",
    "going",
    "gonna",
    "good",
    "great",
    "have",
    "having",
    "here",
    "here's",
    "just",
    "kind",
    "know",
    "like",
    "little",
    "look",
    "lots",
    "made",
    "make",
    "many",
    "maybe",
    "mean",
    "more",
    "most",
    "much",
    "need",
    "okay",
    "only",
    "other",
    "over",
    "pretty",
    "really",
    "right",
    "said",
    "same",
    "say",
    "says",
    "should",
    "some",
    "something",
    "sort",
    "stuff",
    "sure",
    "than",
    "thank",
    "thanks",
    "that",
    "that's",
    "their",
    "them",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "through",
    "totally",
    "very",
    "wanna",
    "want",
    "we're",
    "well",
    "were",
    "what",
    "what's",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "yeah",
    "you're",
    "your",
    "yours",
];

/// The substance of a turn's text, weighed to its end: what the tests hold [`richest`] to. A
/// build only weighs through `richest`.
#[cfg(test)]
fn substance(plain: &str) -> Substance {
    // With no statements to reach, the weighing never stops early, so no bound is needed.
    substance_reaching(plain, 0, 0).unwrap_or_default()
}

/// The substance of `plain`, whose [`content_word_bound`] is `bound`, or `None` once its
/// statements cannot reach `least`: each long word still to come adds one at most.
fn substance_reaching(plain: &str, bound: usize, least: usize) -> Option<Substance> {
    // Each distinct word, and whether a statement says it. A turn has a distinct content word
    // for every dozen bytes or so: room for them from the start spares regrowing the map.
    let mut words: HashMap<Word, bool> = HashMap::with_capacity(plain.len() / 16);
    let mut statements = 0;
    let mut passed = 0;
    let weighing = try_for_each_sentence(plain, |sentence| {
        passed += sentence.long_words;
        for word in sentence.words.drain(..) {
            let stated = words.entry(word).or_default();
            if !*stated && !sentence.question {
                *stated = true;
                statements += 1;
            }
        }
        match statements + bound.saturating_sub(passed) < least {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        }
    });
    weighing.is_continue().then_some(Substance {
        statements,
        all: words.len(),
    })
}

/// Of a person's turns, each its block index and plain text, the index of the one with the
/// most substance, the earliest of equals.
///
/// Every turn of every episode comes here, and weighing them all was a third of the CPU time
/// of reading the transcripts, so not all are weighed. A single turn is the richest unweighed.
/// A turn has no more statements than it has words of [`CONTENT_LETTERS`] bytes or more
/// ([`content_word_bound`]), so turns are weighed highest bound first, and once the best so
/// far has more statements than the next turn's bound, no turn left can outweigh or equal it.
/// A turn being weighed is let go as soon as the long words it has left could not bring its
/// statements level with the best's.
pub fn richest(turns: &[(usize, &str)]) -> Option<usize> {
    if let [(at, _)] = turns {
        return Some(*at);
    }
    let mut bounded: Vec<(usize, usize, &str)> = turns
        .iter()
        .map(|&(at, plain)| (content_word_bound(plain), at, plain))
        .collect();
    bounded.sort_unstable_by_key(|&(bound, at, _)| (Reverse(bound), at));
    let mut best: Option<(Substance, usize)> = None;
    for (bound, at, plain) in bounded {
        if let Some((most, best_at)) = best {
            if bound < most.statements {
                break;
            }
            // A turn bounded by the best's statements can only equal it, with every one of
            // its long words a distinct statement's; then the earlier turn wins.
            let could_equal = most.all == bound && at < best_at;
            if bound == most.statements && !could_equal {
                continue;
            }
        }
        let least = best.map_or(0, |(most, _)| most.statements);
        let Some(substance) = substance_reaching(plain, bound, least) else {
            continue;
        };
        if best.is_none_or(|(most, best_at)| (substance, Reverse(at)) > (most, Reverse(best_at))) {
            best = Some((substance, at));
        }
    }
    best.map(|(_, at)| at)
}

/// The most content words `plain` can hold: its words of [`CONTENT_LETTERS`] bytes or more,
/// the only ones [`content_word`] does not pass over at once, split at ASCII whitespace as
/// [`for_each_sentence`] splits.
///
/// Every turn of a build is bounded here, and splitting each into words cost about two fifths
/// of what weighing the turns it lets through did. So the words are not split but their ends
/// counted: a long word ends where whitespace follows [`CONTENT_LETTERS`] bytes that are not,
/// or the text ends after them. Each 64 bytes become a mask of their whitespace, and the ends
/// of a chunk are counted in it at once, with the bytes of the chunk before to look back on.
fn content_word_bound(plain: &str) -> usize {
    let bytes = plain.as_bytes();
    let Some(last) = bytes.len().checked_sub(CONTENT_LETTERS) else {
        return 0;
    };
    let mut ends_within = 0;
    // The bytes of the chunk before that are not whitespace, a bit each.
    let mut before = 0_u64;
    for chunk in bytes.chunks(64) {
        let spaces = byte_mask(chunk, ascii_whitespace);
        let words = !spaces & (u64::MAX >> (64 - chunk.len()));
        // Bit 64 + i stands for byte i of this chunk, bit i for byte i of the one before.
        let both = (u128::from(words) << 64) | u128::from(before);
        let after_word = (1..=CONTENT_LETTERS).fold(u128::MAX, |run, back| run & (both << back));
        ends_within += ((after_word >> 64) as u64 & spaces).count_ones() as usize;
        before = words;
    }
    let ends_last = !bytes[last..].iter().any(|&byte| ascii_whitespace(byte));
    ends_within + usize::from(ends_last)
}

/// Where to begin quoting a turn: the start of its most content-bearing sentence, a statement
/// if it has one; the earliest of equals.
pub fn start(plain: &str) -> usize {
    let mut best = (Substance::default(), 0);
    let mut distinct = HashSet::new();
    for_each_sentence(plain, |sentence| {
        distinct.clear();
        distinct.extend(sentence.words.drain(..).take(SENTENCE_WINDOW));
        let n = distinct.len();
        let score = Substance {
            statements: if sentence.question { 0 } else { n },
            all: n,
        };
        if score > best.0 {
            best = (score, sentence.start);
        }
    });
    past_stage_directions(plain, best.1)
}

/// The offset after any `[laughter]`, `[08:15]` at `from`: a quote opens on words said.
fn past_stage_directions(plain: &str, mut from: usize) -> usize {
    while let Some(rest) = plain[from..].strip_prefix('[') {
        let Some(close) = rest.find(']') else { break };
        let after = &rest[close + 1..];
        from = plain.len() - after.trim_start().len();
    }
    from
}

/// A sentence of a text: where it begins (a byte offset), whether it asks, and its content
/// words in order, for whoever it is handed to to take.
struct Sentence<'a> {
    start: usize,
    question: bool,
    words: Vec<Word<'a>>,
    /// Its words of [`CONTENT_LETTERS`] bytes or more, content words or not.
    long_words: usize,
}

/// Hands each sentence of `text` to `each`, in order. A sentence ends with a word that ends in
/// `.`, `?`, `!` or `…` (closing quotes and brackets may follow); a transcript without
/// punctuation is one sentence. One pass over the words: every turn of a build comes here.
///
/// `text` is a turn's plain text, whose only whitespace is single spaces (`to_plain_text`
/// collapses Unicode's too), so words are split at ASCII whitespace without decoding.
fn for_each_sentence<'a>(text: &'a str, mut each: impl FnMut(&mut Sentence<'a>)) {
    let _ = try_for_each_sentence(text, |sentence| {
        each(sentence);
        ControlFlow::Continue(())
    });
}

/// [`for_each_sentence`], until `each` breaks off.
fn try_for_each_sentence<'a>(
    text: &'a str,
    mut each: impl FnMut(&mut Sentence<'a>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut sentence = Sentence {
        start: 0,
        question: false,
        words: Vec::new(),
        long_words: 0,
    };
    // The first sentence begins at the text's start, any later one at its first word.
    let mut open = false;
    let mut first = true;
    for word in ascii_words(text) {
        if !open {
            sentence.start = if first { 0 } else { offset_in(text, word) };
            open = true;
            first = false;
        }
        sentence.words.extend(content_word(word));
        sentence.long_words += usize::from(word.len() >= CONTENT_LETTERS);
        if let Some(mark) = sentence_mark(word) {
            sentence.question = mark == '?';
            each(&mut sentence)?;
            sentence.words.clear();
            sentence.long_words = 0;
            open = false;
        }
    }
    if open {
        sentence.question = false;
        each(&mut sentence)?;
    }
    ControlFlow::Continue(())
}

/// A content word, lower-cased, as a key of the sets a turn's words are counted in. Most words
/// are short: those are packed into one number, lower-cased as they are packed, so that they
/// are hashed and compared at once and never copied. Every word of every turn comes here.
#[derive(PartialEq, Eq, Hash, Debug)]
enum Word<'a> {
    /// Up to [`PACKED`] bytes, first byte lowest, the length in the highest byte.
    Packed(u128),
    Text(Cow<'a, str>),
}

/// The most bytes a [`Word::Packed`] holds: a `u128`'s, but the one its length takes.
const PACKED: usize = 15;

// Small words are looked up packed: each must fit.
const _: () = {
    let mut i = 0;
    while i < SMALL_WORDS.len() {
        assert!(SMALL_WORDS[i].len() <= PACKED);
        i += 1;
    }
};

impl<'a> Word<'a> {
    /// `lower`, already lower-cased, as a key: packed if it fits. Whether a word is packed
    /// depends on its lower-cased bytes alone, so a word is always the same key.
    fn of(lower: Cow<'a, str>) -> Word<'a> {
        match lower.len() <= PACKED {
            true => Word::Packed(pack(lower.as_bytes())),
            false => Word::Text(lower),
        }
    }

    /// `ascii` lower-cased, as a key: the key [`Word::of`] gives its lower-cased text, but a
    /// word that packs is lower-cased in the number, never copied.
    fn of_ascii(ascii: &'a str) -> Word<'a> {
        if ascii.len() <= PACKED {
            return Word::Packed(lower_case_packed(pack(ascii.as_bytes())));
        }
        Word::of(match ascii.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(ascii.to_ascii_lowercase()),
            false => Cow::Borrowed(ascii),
        })
    }

    fn is_small(&self) -> bool {
        let Word::Packed(key) = self else {
            // No small word is that long.
            return false;
        };
        static SMALL: OnceLock<SmallWords> = OnceLock::new();
        SMALL.get_or_init(SmallWords::new).contains(*key)
    }
}

/// [`SMALL_WORDS`], packed, to be looked up once for every word of every turn: a bit for each
/// of 4,096 slots says whether a small word falls in it, so that nearly every word, which is
/// not small, is told so by one bit, and only the rest are looked up in the set.
struct SmallWords {
    slots: [u64; 64],
    set: HashSet<u128>,
}

impl SmallWords {
    fn new() -> SmallWords {
        let mut small = SmallWords {
            slots: [0; 64],
            set: HashSet::with_capacity(SMALL_WORDS.len()),
        };
        for word in SMALL_WORDS {
            let key = pack(word.as_bytes());
            let slot = Self::slot(key);
            small.slots[slot / 64] |= 1 << (slot % 64);
            small.set.insert(key);
        }
        small
    }

    fn contains(&self, key: u128) -> bool {
        let slot = Self::slot(key);
        self.slots[slot / 64] & (1 << (slot % 64)) != 0 && self.set.contains(&key)
    }

    /// Which of the 4,096 slots `key` falls in: the top 12 bits of a multiplicative hash.
    fn slot(key: u128) -> usize {
        let folded = key as u64 ^ (key >> 64) as u64;
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) as usize
    }
}

/// At most [`PACKED`] bytes and their count, in one number. Built in registers: bytes stored
/// to memory one by one and read back as a number stall the processor. A word of four bytes
/// or more, as every content word is, is read as two numbers that overlap where it is
/// shorter than both, which is harmless, for the bytes they share are the same.
fn pack(bytes: &[u8]) -> u128 {
    let len = bytes.len();
    let count = (len as u128) << (8 * PACKED);
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let half = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
    match len {
        8..=PACKED => {
            // Nothing is left of it when the word is eight bytes.
            let tail = word(len - 8)
                .checked_shr(8 * (16 - len) as u32)
                .unwrap_or(0);
            count | u128::from(word(0)) | (u128::from(tail) << 64)
        }
        4..8 => {
            let tail = u64::from(half(len - 4)) << (8 * (len - 4));
            count | u128::from(u64::from(half(0)) | tail)
        }
        _ => bytes
            .iter()
            .take(PACKED)
            .enumerate()
            .fold(count, |packed, (i, &byte)| {
                packed | u128::from(byte) << (8 * i)
            }),
    }
}

/// A packed word of ASCII bytes, each capital made small, all at once: a byte has its 0x20 bit
/// set when it is from `A` to `Z`.
fn lower_case_packed(packed: u128) -> u128 {
    const ONES: u128 = u128::MAX / 0xff;
    let low_seven = packed & (ONES * 0x7f);
    let from_a = low_seven + ONES * (0x80 - u128::from(b'A'));
    let past_z = low_seven + ONES * (0x80 - u128::from(b'Z') - 1);
    let capitals = from_a & !past_z & !packed & (ONES * 0x80);
    packed | (capitals >> 2)
}

/// The fewest letters a content word has.
const CONTENT_LETTERS: usize = 4;

/// A word as content, lower-cased: four letters or more, not a small word, not an address.
fn content_word(word: &str) -> Option<Word<'_>> {
    // Four letters take four bytes at least, lower-cased or not, trimmed or not: a shorter
    // word is dropped before any other work is done on it.
    if word.len() < CONTENT_LETTERS {
        return None;
    }
    if !word.is_ascii() {
        return content_word_beyond_ascii(word);
    }
    let trimmed = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let letters = trimmed.bytes().filter(u8::is_ascii_alphabetic).count();
    if letters < CONTENT_LETTERS || is_address(word) {
        return None;
    }
    let word = Word::of_ascii(trimmed);
    (!word.is_small()).then_some(word)
}

/// [`content_word`] of a word with a character beyond ASCII.
fn content_word_beyond_ascii(word: &str) -> Option<Word<'_>> {
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    if trimmed.len() < CONTENT_LETTERS || is_address(word) {
        return None;
    }
    let lower: Cow<str> = Cow::Owned(trimmed.replace('’', "'").to_lowercase());
    let enough_letters = lower
        .chars()
        .filter(|c| c.is_alphabetic())
        .nth(CONTENT_LETTERS - 1)
        .is_some();
    let word = Word::of(lower);
    (enough_letters && !word.is_small()).then_some(word)
}

fn is_address(word: &str) -> bool {
    // A word is a few bytes: a loop looks through them sooner than a call to a search would.
    word.starts_with("www.") || (word.bytes().any(|b| b == b':') && word.contains("://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of a text that carry content, lower-cased, in order (repeats included).
    fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split_whitespace()
            .filter_map(content_word)
            .map(|word| match word {
                Word::Packed(key) => {
                    let bytes = key.to_le_bytes();
                    String::from_utf8(bytes[..usize::from(bytes[PACKED])].to_vec()).unwrap()
                }
                Word::Text(text) => text.into_owned(),
            })
    }

    #[test]
    fn statements_outweigh_a_longer_question() {
        let question =
            "So what would you say is the most important lesson from building databases \
                        and compilers over twenty years?";
        let statement = "Compilers taught me patience; databases taught me humility.";
        assert!(substance(statement) > substance(question));
    }

    #[test]
    fn filler_and_back_channel_have_no_substance() {
        assert_eq!(
            substance("Yeah. Right, right. Okay, that’s it."),
            Substance::default()
        );
        assert_eq!(
            substance("Yeah, like you said, I think that's really the thing.").statements,
            0
        );
    }

    #[test]
    fn a_quote_begins_at_the_sentence_with_most_content() {
        let text = "Yeah, totally. So I think, you know. Rust ownership rules prevent data races \
                    without garbage collection overhead. Anyway.";
        assert_eq!(&text[start(text)..text.len()][..4], "Rust");
    }

    // Corpus check: quotes opened on "[laughter] I wasn't going for laughs" and "[08:15] We
    // like to travel"; they open on the words said now.
    #[test]
    fn a_quote_does_not_open_on_a_stage_direction() {
        let text = "Hm. [laughter] [08:15] Supply chains constrain hardware companies differently.";
        assert!(
            text[start(text)..].starts_with("Supply"),
            "{}",
            &text[start(text)..]
        );
    }

    #[test]
    fn a_quote_of_a_turn_of_only_questions_begins_at_its_richest_question() {
        let text = "Okay? How did the migration from Postgres to SQLite affect latency?";
        assert!(text[start(text)..].starts_with("How did"));
    }

    #[test]
    fn sentence_marks_inside_words_and_quotes_do_not_split() {
        let text = "Version 1.0 shipped. “Really?” she asked. Done";
        let found = sentences(text);
        let starts: Vec<&str> = found.iter().map(|&(at, _)| &text[at..]).collect();
        let questions: Vec<bool> = found.iter().map(|&(_, question)| question).collect();
        assert_eq!(questions, [false, true, false, false]);
        assert_eq!(
            starts,
            [text, "“Really?” she asked. Done", "she asked. Done", "Done"]
        );
    }

    #[test]
    fn content_words_are_lower_cased_with_one_apostrophe() {
        let words: Vec<String> =
            content_words("Rust’s ÉCOLE «Ownership» Σίσυφος don’t, ok crates").collect();
        assert_eq!(words, ["rust's", "école", "ownership", "σίσυφος", "crates"]);
        // The longest small words, whatever their case.
        assert_eq!(content_words("Basically, SOMETHING (actually)").count(), 0);
    }

    #[test]
    fn a_word_is_one_key_however_it_is_written() {
        for spellings in [
            ["World", "world", "«WORLD»", "(world)"],
            ["Don’t-care", "don't-care", "«DON’T-CARE»", "don't-care,"],
            [
                "Internationalization",
                "internationalization",
                "«INTERNATIONALIZATION»",
                "internationalization.",
            ],
        ] {
            let keys: Vec<Word> = spellings.iter().filter_map(|w| content_word(w)).collect();
            assert_eq!(keys.len(), 4, "{spellings:?}");
            assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
        }
        // Packed words of different lengths differ, whatever bytes they end in.
        assert_ne!(pack(b"word"), pack(b"word\0"));
    }

    #[test]
    fn a_word_packs_into_its_bytes_and_count() {
        let bytes: Vec<u8> = (0..40_u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(0x81))
            .collect();
        for len in 0..=20 {
            for start in 0..4 {
                let word = &bytes[start..start + len];
                let mut expected = (len as u128) << (8 * PACKED);
                for (i, &byte) in word.iter().take(PACKED).enumerate() {
                    expected |= u128::from(byte) << (8 * i);
                }
                assert_eq!(pack(word), expected, "{len} bytes from {start}");
            }
        }
    }

    #[test]
    fn packed_words_lower_case_as_ascii_does() {
        for byte in 0..=0x7f_u8 {
            for at in [0, 7, 8, PACKED - 1] {
                let mut word = [b'a'; PACKED];
                word[at] = byte;
                let lowered = word.map(|b| b.to_ascii_lowercase());
                assert_eq!(
                    lower_case_packed(pack(&word)),
                    pack(&lowered),
                    "{byte:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn the_bound_counts_the_long_words_of_any_text() {
        let counted = |text: &str| {
            text.split_ascii_whitespace()
                .filter(|word| word.len() >= CONTENT_LETTERS)
                .count()
        };
        // Words of every length around the bound's, across and at the ends of the spans it
        // counts in, between every kind of whitespace and none.
        let pieces = [
            "a",
            "abc",
            "abcd",
            "abcde",
            "é",
            "ab\u{1}cd",
            "σίσυ",
            "",
            " ",
            "\t",
            "\n\r",
            "\x0c",
            "\u{a0}",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for length in 0..700 {
            let mut text = String::new();
            while text.len() < length {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[seed as usize % pieces.len()]);
            }
            assert_eq!(content_word_bound(&text), counted(&text), "{text:?}");
        }
        for length in [3, 4, 255, 258, 259, 260, 514] {
            assert_eq!(
                content_word_bound(&"x".repeat(length)),
                usize::from(length >= 4)
            );
            assert_eq!(content_word_bound(&"abcd ".repeat(length)), length);
        }
    }

    #[test]
    fn no_turn_has_more_substance_than_its_bound() {
        for text in [
            "Rust ownership rules prevent data races without garbage collection overhead.",
            "Compilers? Databases! «Ownership» and ‘borrowing’ — lifetimes, traits: generics.",
            "Ünïcödé wörds, ÉCOLE école Σίσυφος ΣΊΣΥΦΟΣ",
            "Sure. Yeah. Okay, that’s it.",
        ] {
            let plain = crate::text::one_line(text);
            let bound = content_word_bound(&plain);
            let most = Substance {
                statements: bound,
                all: bound,
            };
            assert!(substance(&plain) <= most, "{text}");
        }
    }

    #[test]
    fn the_richest_turn_is_the_one_weighing_every_turn_would_pick() {
        let texts = [
            "Yeah.",
            "Compilers optimise loops. Databases index tables.",
            "So what about compilers? And databases?",
            "Databases index tables. Compilers optimise loops.",
            "Right, right. Okay.",
            "Garbage collection pauses hurt latency; ownership avoids them entirely.",
            "Garbage collection pauses hurt latency; ownership avoids them entirely.",
            "Anyway, basically, honestly.",
            // As much as the second, weighed before it: it has more long words.
            "Compilers optimise loops. Databases index tables. Yeah, that.",
        ];
        // Every subset of the turns, in the order said, against weighing them all.
        for subset in 1u32..(1 << texts.len()) {
            let turns: Vec<(usize, &str)> = (0..texts.len())
                .filter(|at| subset & (1 << at) != 0)
                .map(|at| (at, texts[at]))
                .collect();
            let mut expected = None;
            for &(at, _) in &turns {
                if expected.is_none_or(|(most, _)| substance(texts[at]) > most) {
                    expected = Some((substance(texts[at]), at));
                }
            }
            assert_eq!(richest(&turns), expected.map(|(_, at)| at), "{turns:?}");
        }
        assert_eq!(richest(&[]), None);
    }

    #[test]
    fn urls_are_not_content() {
        assert_eq!(
            substance("See https://example.com/some/longer/path.").all,
            0
        );
    }

    #[test]
    fn text_without_punctuation_is_one_sentence() {
        assert_eq!(start("no punctuation at all in this auto transcript"), 0);
        assert_eq!(sentences("").len(), 0);
        assert_eq!(sentences("  Hi.  Yes?  "), [(0, false), (7, true)]);
    }

    /// Each sentence's start and whether it asks.
    fn sentences(text: &str) -> Vec<(usize, bool)> {
        let mut found = Vec::new();
        for_each_sentence(text, |s| found.push((s.start, s.question)));
        found
    }
}
