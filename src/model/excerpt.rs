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
use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{Timestamp, Turn};
use crate::text::{offset_in, sentence_mark};

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
/// Every word of every turn is looked up here, so [`is_small_word`] keeps them in a hash set.
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

/// The substance of a turn's text.
pub fn substance(plain: &str) -> Substance {
    // Each distinct word, and whether a statement says it. A turn has a distinct content word
    // for every dozen bytes or so: room for them from the start spares regrowing the map.
    let mut words: HashMap<Cow<str>, bool> = HashMap::with_capacity(plain.len() / 16);
    for_each_sentence(plain, |sentence| {
        for word in sentence.words.drain(..) {
            *words.entry(word).or_default() |= !sentence.question;
        }
    });
    Substance {
        statements: words.values().filter(|&&stated| stated).count(),
        all: words.len(),
    }
}

impl Substance {
    /// Whether a turn of `words` words (as `transcript::word_count` counts them) could have
    /// more substance than this: each content word is a word of the turn, so one with no more
    /// words than this has statements cannot. Most turns are passed over on this alone.
    pub fn could_be_outweighed_by(&self, words: usize) -> bool {
        words > self.statements
    }
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
    words: Vec<Cow<'a, str>>,
}

/// Hands each sentence of `text` to `each`, in order. A sentence ends with a word that ends in
/// `.`, `?`, `!` or `…` (closing quotes and brackets may follow); a transcript without
/// punctuation is one sentence. One pass over the words: every turn of a build comes here.
///
/// `text` is a turn's plain text, whose only whitespace is single spaces (`to_plain_text`
/// collapses Unicode's too), so words are split at ASCII whitespace without decoding.
fn for_each_sentence<'a>(text: &'a str, mut each: impl FnMut(&mut Sentence<'a>)) {
    let mut sentence = Sentence {
        start: 0,
        question: false,
        words: Vec::new(),
    };
    // The first sentence begins at the text's start, any later one at its first word.
    let mut open = false;
    let mut first = true;
    for word in text.split_ascii_whitespace() {
        if !open {
            sentence.start = if first { 0 } else { offset_in(text, word) };
            open = true;
            first = false;
        }
        sentence.words.extend(content_word(word));
        if let Some(mark) = sentence_mark(word) {
            sentence.question = mark == '?';
            each(&mut sentence);
            sentence.words.clear();
            open = false;
        }
    }
    if open {
        sentence.question = false;
        each(&mut sentence);
    }
}

/// A word as content, lower-cased: four letters or more, not a small word, not an address.
fn content_word(word: &str) -> Option<Cow<'_, str>> {
    let trimmed = trim_to_alphanumeric(word);
    // Four letters take four bytes at least, lower-cased or not: a shorter word is dropped
    // before any other work is done on it.
    if trimmed.len() < 4 || is_address(word) {
        return None;
    }
    let lower = lower_case(trimmed);
    (has_four_letters(&lower) && !is_small_word(&lower)).then_some(lower)
}

/// Whether `word` has four letters or more; most words are ASCII, counted without decoding.
fn has_four_letters(word: &str) -> bool {
    match word.is_ascii() {
        true => word
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .nth(3)
            .is_some(),
        false => word.chars().filter(|c| c.is_alphabetic()).nth(3).is_some(),
    }
}

/// `word` without what is not a letter or digit at either end; most words have nothing to trim.
fn trim_to_alphanumeric(word: &str) -> &str {
    let bytes = word.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last))
            if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() =>
        {
            word
        }
        _ => word.trim_matches(|c: char| !c.is_alphanumeric()),
    }
}

fn is_address(word: &str) -> bool {
    word.starts_with("www.") || (word.contains(':') && word.contains("://"))
}

/// The length of the longest of [`SMALL_WORDS`]: a longer word is not looked up.
const LONGEST_SMALL_WORD: usize = {
    let (mut i, mut longest) = (0, 0);
    while i < SMALL_WORDS.len() {
        if SMALL_WORDS[i].len() > longest {
            longest = SMALL_WORDS[i].len();
        }
        i += 1;
    }
    longest
};

fn is_small_word(word: &str) -> bool {
    if word.len() > LONGEST_SMALL_WORD {
        return false;
    }
    static SET: OnceLock<HashSet<&str>> = OnceLock::new();
    SET.get_or_init(|| SMALL_WORDS.iter().copied().collect())
        .contains(word)
}

/// `word` lower-cased, with ’ as '. Most words of a transcript already are, and are borrowed
/// as they are: this runs on every word of every turn.
fn lower_case(word: &str) -> Cow<'_, str> {
    match word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        true => Cow::Borrowed(word),
        false => Cow::Owned(word.replace('’', "'").to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of a text that carry content, lower-cased, in order (repeats included).
    fn content_words(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
        text.split_whitespace().filter_map(content_word)
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
        let words: Vec<Cow<str>> =
            content_words("Rust’s ÉCOLE «Ownership» Σίσυφος don’t, ok crates").collect();
        assert_eq!(words, ["rust's", "école", "ownership", "σίσυφος", "crates"]);
        // The longest small words, whatever their case.
        assert_eq!(content_words("Basically, SOMETHING (actually)").count(), 0);
    }

    #[test]
    fn no_turn_has_more_substance_than_words() {
        for text in [
            "Rust ownership rules prevent data races without garbage collection overhead.",
            "Compilers? Databases! «Ownership» and ‘borrowing’ — lifetimes, traits: generics.",
            "Ünïcödé wörds, ÉCOLE école Σίσυφος ΣΊΣΥΦΟΣ",
        ] {
            let plain = crate::text::one_line(text);
            let words = crate::model::transcript::word_count(&plain);
            // A best turn so far with as many statement words as this turn has words.
            let best = Substance {
                statements: words,
                all: words,
            };
            assert!(substance(&plain) <= best && !best.could_be_outweighed_by(words));
            assert!(Substance::default().could_be_outweighed_by(words));
        }
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
