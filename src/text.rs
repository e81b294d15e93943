//! Rules for plain text that the readers and the writers of transcripts share, so that what
//! one writes the other reads the same way.

use std::sync::LazyLock;

use regex::Regex;

/// Whitespace collapsed to single spaces, trimmed: names and titles must not break a cue or a
/// line, and text read from captions comes in broken lines.
pub fn one_line(text: &str) -> String {
    let mut line = OneLine::with_capacity(text.len());
    line.push_str(text);
    line.into_string()
}

/// Text collapsed as [`one_line`] collapses it, while it is written piece by piece: a
/// Markdown turn arrives as many text events, and joining them first would mean a second
/// pass over the whole turn.
pub struct OneLine {
    text: String,
    space: bool,
}

impl OneLine {
    pub fn with_capacity(capacity: usize) -> OneLine {
        OneLine {
            text: String::with_capacity(capacity),
            space: false,
        }
    }

    /// A break between pieces: one space, if text follows.
    pub fn space(&mut self) {
        self.space = true;
    }

    /// A block of bytes at a time where it can, byte by byte where whitespace needs a look, and
    /// a run of words already single-spaced is copied at once: every transcript of a build
    /// passes through here, and most of it is such runs.
    pub fn push_str(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        // `piece[run..at]` is not yet pushed; it holds no whitespace but single spaces between
        // words.
        let mut run = 0;
        let mut at = 0;
        loop {
            // After a word (so that a space opening the block has a word before it), whole
            // blocks of single-spaced words are passed over at once.
            while at > run {
                let window = bytes.get(at..=at + BLOCK).and_then(|w| w.try_into().ok());
                match window.is_some_and(single_spaced) {
                    true => at += BLOCK,
                    false => break,
                }
            }
            // Most bytes begin no whitespace, and are passed over without decoding them.
            let Some(skip) = bytes[at..].iter().position(|&b| may_begin_whitespace(b)) else {
                break;
            };
            at += skip;
            let width = whitespace_width(piece, at);
            if width == 0 {
                at += 1;
                continue;
            }
            let between_words = bytes[at] == b' '
                && at > run
                && at + 1 < bytes.len()
                && whitespace_width(piece, at + 1) == 0;
            if !between_words {
                self.push_words(&piece[run..at]);
                self.space = true;
                run = at + width;
            }
            at += width;
        }
        self.push_words(&piece[run..]);
    }

    /// Words with no whitespace but single spaces between them, after a space if one is due.
    fn push_words(&mut self, words: &str) {
        if words.is_empty() {
            return;
        }
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push_str(words);
    }

    pub fn into_string(mut self) -> String {
        // Often kept for the whole build, so not a byte more than the text.
        self.text.shrink_to_fit();
        self.text
    }
}

/// How many bytes the whitespace character at byte `at` of `text` takes, 0 if there is none
/// there (or `at` is inside a character): [`char::is_whitespace`], decoding only the bytes that
/// may begin a whitespace character beyond ASCII. Always inlined: it is asked of every single
/// space between words, and the ASCII answer must cost no call.
#[inline(always)]
fn whitespace_width(text: &str, at: usize) -> usize {
    match text.as_bytes()[at] {
        byte if !may_begin_whitespace(byte) => 0,
        0..0x80 => 1,
        _ => text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

/// Whether `byte` may be the first of a whitespace character's bytes: ASCII's tab to carriage
/// return and space, and the lead bytes of Unicode's (U+0085 and U+00A0; U+1680; U+2000 to
/// U+205F; U+3000). A test checks it against every character. Comparisons, not a table, so
/// that [`single_spaced`] runs on many bytes at once.
fn may_begin_whitespace(byte: u8) -> bool {
    (byte.wrapping_sub(b'\t') < 5) | (byte == b' ') | (byte == 0xC2) | (byte.wrapping_sub(0xE1) < 3)
}

/// How many bytes [`single_spaced`] looks at in one go.
const BLOCK: usize = 32;

/// Whether the block of `BLOCK` bytes that `window` begins with holds no whitespace but single
/// spaces before a byte that begins none. Every byte is looked at, with no branch between them,
/// so that the compiler can compare many at once.
fn single_spaced(window: &[u8; BLOCK + 1]) -> bool {
    let mut care = false;
    for at in 0..BLOCK {
        let (byte, next) = (window[at], window[at + 1]);
        care |= may_begin_whitespace(byte) & !((byte == b' ') & !may_begin_whitespace(next));
    }
    !care
}

/// A bit for each byte of `chunk` (64 at most), set where `is` holds: built 16 bytes at a time,
/// which compilers make one comparison and one mask each when `is` is a comparison or two.
/// Scanning a text for a few kinds of byte a block at a time this way is much faster than a
/// branch on every byte.
pub fn byte_mask(chunk: &[u8], is: impl Fn(u8) -> bool) -> u64 {
    chunk.chunks(16).enumerate().fold(0, |mask, (at, sixteen)| {
        let bits = sixteen
            .iter()
            .enumerate()
            .fold(0_u16, |bits, (i, &byte)| bits | (u16::from(is(byte)) << i));
        mask | (u64::from(bits) << (16 * at))
    })
}

/// The words of `text` between ASCII whitespace, as [`str::split_ascii_whitespace`] gives
/// them, found 64 bytes at a time ([`byte_mask`]) instead of with a branch on every byte: the
/// whitespace of each 64 bytes is one mask, taken a bit at a time. Every word of every turn
/// goes through here, while an archive is read and while its transcript files are written.
pub fn ascii_words(text: &str) -> AsciiWords<'_> {
    AsciiWords {
        text,
        block: 0,
        spaces: ascii_whitespace_mask(text.as_bytes(), 0),
        from: 0,
    }
}

/// The iterator of [`ascii_words`].
pub struct AsciiWords<'a> {
    text: &'a str,
    /// Where the 64 bytes that `spaces` describes begin.
    block: usize,
    /// A bit for each whitespace byte of those 64 not yet passed.
    spaces: u64,
    /// Where the next word may begin: just after the last whitespace passed.
    from: usize,
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let len = self.text.len();
        loop {
            let end = if self.spaces != 0 {
                let end = self.block + self.spaces.trailing_zeros() as usize;
                self.spaces &= self.spaces - 1;
                end
            } else if self.block + 64 < len {
                self.block += 64;
                self.spaces = ascii_whitespace_mask(self.text.as_bytes(), self.block);
                continue;
            } else if self.from < len {
                len
            } else {
                return None;
            };
            let start = std::mem::replace(&mut self.from, end + 1);
            if end > start {
                // Both ends are at ASCII bytes or the text's ends, so on characters' boundaries.
                return self.text.get(start..end);
            }
        }
    }
}

/// The whitespace bits of the 64 bytes of `bytes` from `block` (see [`AsciiWords`]).
fn ascii_whitespace_mask(bytes: &[u8], block: usize) -> u64 {
    let chunk = &bytes[block.min(bytes.len())..bytes.len().min(block + 64)];
    byte_mask(chunk, ascii_whitespace)
}

/// `u8::is_ascii_whitespace`, in comparisons that compilers can make on many bytes at once
/// (see [`byte_mask`]).
pub fn ascii_whitespace(byte: u8) -> bool {
    (byte == b' ') | ((byte.wrapping_sub(b'\t') < 5) & (byte != 0x0b))
}

/// Where `piece`, a slice of `text` (as `split_whitespace` and the like give), begins in it.
pub fn offset_in(text: &str, piece: &str) -> usize {
    piece.as_ptr() as usize - text.as_ptr() as usize
}

/// A word that ends a sentence, closing quotes and brackets aside.
pub fn ends_sentence(word: &str) -> bool {
    sentence_mark(word).is_some()
}

/// The mark that ends the sentence `word` ends (`.`, `?`, `!` or `…`, closing quotes and
/// brackets aside), if it ends one.
pub fn sentence_mark(word: &str) -> Option<char> {
    // Most words end in a letter or digit, which is neither a mark nor a closing one.
    if word.as_bytes().last().is_none_or(u8::is_ascii_alphanumeric) {
        return None;
    }
    word.trim_end_matches(['"', '\'', '”', '’', ')', ']'])
        .chars()
        .next_back()
        .filter(|c| matches!(c, '.' | '?' | '!' | '…'))
}

/// `183402` → `183,402`, for pages and for messages.
pub fn thousands(number: i64) -> String {
    let digits = number.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if number < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The 1-based line and column (in characters) of byte `at` of a file: where an editor shows
/// a bad byte.
pub fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

static DIARIZATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^speaker[_ ]?\d+$").expect("valid regex"));

/// Words after the first that a label may write in lower case: particles of names (`Ludwig
/// van Beethoven`) and the nouns of anonymous labels (`Audience member 2`, `Unknown speaker`).
const LOWER_CASE_WORDS: [&str; 17] = [
    "van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin", "&",
    "member", "members", "speaker",
];

/// Words that open a sentence with a colon far more often than they name anyone.
const NOT_NAMES: [&str; 12] = [
    "note",
    "notes",
    "warning",
    "update",
    "edit",
    "example",
    "tip",
    "caution",
    "important",
    "source",
    "transcript",
    "translation",
];

/// Abbreviations a name may carry with a full stop; any other full stop ends a sentence.
const TITLES: [&str; 9] = ["Dr", "Mr", "Mrs", "Ms", "Prof", "Rev", "Jr", "Sr", "St"];

/// One to five capitalised words, allowing particles, initials and titles: `Ann Lee`,
/// `Dr. J. R. Hartley`, `Speaker 2`, `SPEAKER_00`, `JOHN SMITH`.
pub fn looks_like_name(name: &str) -> bool {
    if DIARIZATION.is_match(name) {
        return true;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || NOT_NAMES.contains(&name.to_lowercase().as_str()) {
        return false;
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-' | '_' | '&');
    if !name.chars().all(|c| allowed(c) || c.is_whitespace()) {
        return false;
    }
    // Scripts without case (Chinese, Arabic, Devanagari …) write every name as they write any
    // word: there, a letter is as good as a capital.
    let capitalised = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
    };
    let numbered = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    let full_stop_ok = |w: &str| match w.strip_suffix('.') {
        Some(stem) => stem.chars().count() == 1 || TITLES.contains(&stem),
        None => !w.contains('.'),
    };
    capitalised(words[0])
        && words.iter().all(|&w| full_stop_ok(w))
        && words[1..]
            .iter()
            .all(|&w| capitalised(w) || numbered(w) || LOWER_CASE_WORDS.contains(&w))
}

/// Every text of up to `longest` characters of `alphabet`, shortest first, layer by layer:
/// each of one character more than the last layer's. For tests that try every short text.
#[cfg(test)]
pub fn every_text(alphabet: &[&str], longest: usize) -> Vec<String> {
    let mut texts = vec![String::new()];
    let mut layer = texts.clone();
    for _ in 0..longest {
        layer = layer
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        texts.extend(layer.iter().cloned());
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_sentences() {
        assert_eq!(one_line("  a\n b\t c "), "a b c");
        assert_eq!(one_line("a b"), "a b");
        assert_eq!(one_line("a  b"), "a b");
        assert_eq!(one_line("a b "), "a b");
        assert_eq!(one_line(" "), "");
        assert_eq!(one_line(""), "");
        assert!(ends_sentence("done.”"));
        assert!(!ends_sentence("and,"));
        assert_eq!(sentence_mark("really?)”"), Some('?'));
        assert_eq!(sentence_mark("what?!"), Some('!'));
        assert_eq!(sentence_mark("”"), None);
    }

    #[test]
    fn ascii_whitespace_is_the_standard_librarys() {
        for byte in 0..=u8::MAX {
            assert_eq!(
                ascii_whitespace(byte),
                byte.is_ascii_whitespace(),
                "{byte:#x}"
            );
        }
    }

    #[test]
    fn ascii_words_are_the_words_split_at_ascii_whitespace() {
        // Every kind of ASCII whitespace, the one control byte between them that is none, and
        // words beyond ASCII, in runs long and short around the 64 bytes looked at in one go.
        let pieces = [
            "a", "word", " ", "  ", "\t", "\n", "\u{b}", "\u{c}", "\r", "é", "日本", "\u{a0}",
            "\u{2003}", "\u{1}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut texts = every_text(&pieces[..6], 3);
        for _ in 0..3000 {
            let mut text = String::new();
            let length = seed as usize % 200;
            for _ in 0..length {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[seed as usize % pieces.len()]);
            }
            texts.push(text);
        }
        texts.push(format!("{}b", " ".repeat(63)));
        texts.push(format!("{} {}", "x".repeat(64), "y".repeat(127)));
        for text in &texts {
            let expected: Vec<&str> = text.split_ascii_whitespace().collect();
            assert_eq!(ascii_words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn pieces_join_as_one_text_would() {
        let mut line = OneLine::with_capacity(0);
        for piece in ["a", "b  ", "", "\u{a0}c\u{2003}d", " ", "e"] {
            line.push_str(piece);
        }
        line.space();
        line.push_str("f ");
        assert_eq!(line.into_string(), "ab c d e f");
    }

    /// What `OneLine` must give: the pieces' words, single-spaced, split where
    /// `char::is_whitespace` says, and a space wherever one piece ends in or the next begins
    /// with whitespace.
    fn collapsed(pieces: &[&str]) -> String {
        pieces
            .concat()
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `pieces` pushed one by one make what collapsing them joined would.
    fn assert_collapses(pieces: &[&str]) {
        let mut line = OneLine::with_capacity(0);
        for piece in pieces {
            line.push_str(piece);
        }
        assert_eq!(line.into_string(), collapsed(pieces), "{pieces:?}");
    }

    #[test]
    fn every_kind_of_whitespace_collapses_to_one_space() {
        let spaces = [
            " ", "  ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{1680}",
            "\u{2000}", "\u{200a}", "\u{2028}", "\u{202f}", "\u{3000}", " \u{a0} ",
        ];
        // Characters that look like spaces to a byte scanner but are not whitespace.
        let words = [
            "a",
            "wörd",
            "\u{200b}",
            "\u{2060}x",
            "ÿ",
            "日本",
            "x\u{ad}y",
        ];
        for space in spaces {
            for word in words {
                for pieces in [
                    vec![word, space, word],
                    vec![space, word, space, word, space],
                    vec![word, word, space, space, word],
                    vec![&format!("{word}{space}{word} {word}  {word}")],
                ] {
                    assert_collapses(&pieces);
                }
            }
        }
    }

    /// Long pieces are passed over in blocks: whitespace anywhere in one, or at its edges,
    /// collapses as it would byte by byte.
    #[test]
    fn whitespace_in_a_long_run_of_words_collapses_wherever_it_falls() {
        let words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
                     tempor incididunt ut labore et dolore magna aliqua.";
        for space in [
            "  ",
            "\t",
            "\n",
            " \u{a0}",
            "\u{2009}",
            "\u{3000} ",
            "\u{85}",
        ] {
            for at in (0..=words.len()).filter(|&at| words.is_char_boundary(at)) {
                let piece = format!("{}{space}{}", &words[..at], &words[at..]);
                for pieces in [vec![&piece[..]], vec![&piece[..], words, &piece[..]]] {
                    assert_collapses(&pieces);
                }
            }
        }
    }

    #[test]
    fn every_whitespace_character_begins_with_a_byte_marked_as_beginning_one() {
        let mut first = [0; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let byte = c.encode_utf8(&mut first).as_bytes()[0];
            if c.is_whitespace() {
                assert!(may_begin_whitespace(byte), "{c:?} begins with {byte:#x}");
            }
        }
        // Not every character with such a first byte is whitespace: ASCII's are.
        for byte in 0..0x80u8 {
            let ascii = char::from(byte);
            assert_eq!(
                may_begin_whitespace(byte),
                ascii.is_whitespace(),
                "{ascii:?}"
            );
        }
    }

    #[test]
    fn counts_read_like_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }

    #[test]
    fn a_byte_is_placed_in_characters() {
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_column("é\nñx".as_bytes(), 5), (2, 2));
    }
}
