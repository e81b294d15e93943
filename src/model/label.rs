//! Speaker labels at the start of a paragraph: `**Name:**`, `[00:12:05] **Name:**`, `Name:`.
//!
//! Real archives write labels in many small variations; these are the forms PRODUCT.md
//! promises to read, plus the near misses that real transcripts are full of (a space inside
//! the bold, a doubled colon, a timestamp before or after the label, escaped brackets).

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::time::Timestamp;

/// A label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    pub name: &'a str,
    pub timestamp: Option<Timestamp>,
    /// Where the spoken text starts, as a byte offset into the paragraph.
    pub text_start: usize,
    /// A bracketed timestamp beside the label that is no time (`[99:99:99]`), as a byte range
    /// of the paragraph. It is not taken for the turn's time, and stays in the text: before
    /// `text_start` when it came before the label, at it when after.
    pub unread: Option<Range<usize>>,
}

/// A bracketed timestamp, and the shape of one that does not read: the first field takes any
/// number of digits (hours, or minutes in `[MM:SS]`), so that `[100:00:01]` is a time and
/// `[99:99:99]` is recognised as a timestamp that is wrong rather than ignored.
const TIMESTAMP: &str = r"\\?\[(\d+(?::\d{1,2}){1,2}(?:[.,]\d+)?)\\?\]";

/// A pattern that opens a paragraph, with a quick look at what any match must begin with or
/// hold: every paragraph of every transcript is tried against these, and most fail the look.
struct Pattern {
    regex: LazyLock<Regex>,
    may_match: fn(&str) -> bool,
}

impl Pattern {
    fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        (self.may_match)(text)
            .then(|| self.regex.captures(text))
            .flatten()
    }
}

static LEADING_TIMESTAMP: Pattern = Pattern {
    regex: LazyLock::new(|| Regex::new(&format!(r"^{TIMESTAMP}[ \t]*")).expect("valid regex")),
    may_match: |text| text.starts_with(['[', '\\']),
};

/// The most characters a bold label's name may have.
const BOLD_LABEL_CHARS: usize = 100;

/// A bold label opening `text`: `**Name:**`, `**Name**:`, and the near misses (`**Name :**`,
/// `**Name::**`, `**Name: **`). Returns the name, untrimmed, and the bytes the label takes.
/// The name is the shortest run of 1 to [`BOLD_LABEL_CHARS`] characters, none a `*` or a line
/// break, that a close follows. Every paragraph of every transcript comes here, so this is
/// written out rather than left to a regular expression, which cost more than the rest of
/// reading a label; the tests hold it to the expression it replaces.
fn bold_label(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("**")?;
    let mut end = 0;
    for _ in 0..BOLD_LABEL_CHARS {
        let next = rest[end..]
            .chars()
            .next()
            .filter(|&c| c != '*' && c != '\n')?;
        end += next.len_utf8();
        if let Some(close) = bold_label_close(&rest[end..]) {
            return Some((&rest[..end], 2 + end + close));
        }
    }
    None
}

/// The bytes of the close that opens `text`, if one does: a colon or two inside the bold
/// (`:**`, ` :: **`), or after it (`**:`, `** :`).
fn bold_label_close(text: &str) -> Option<usize> {
    let inside = || {
        let rest = text.trim_start_matches([' ', '\t']).strip_prefix(':')?;
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        let rest = rest.trim_start_matches([' ', '\t']).strip_prefix("**")?;
        Some(text.len() - rest.len())
    };
    let after = || {
        let rest = text.strip_prefix("**")?;
        let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
        Some(text.len() - rest.len())
    };
    inside().or_else(after)
}

/// The most characters a plain `Name:` label may have.
const PLAIN_LABEL_CHARS: usize = 80;

/// Any match has a colon before any line break or `*`, within [`PLAIN_LABEL_CHARS`] characters
/// (of up to 4 bytes each) and the colon.
static PLAIN_LABEL: Pattern = Pattern {
    regex: LazyLock::new(|| {
        let more = PLAIN_LABEL_CHARS - 1;
        Regex::new(&format!(
            r"^([^\s*\[\]#>|`:][^:*\n]{{0,{more}}}?):(?:[ \t]|$)"
        ))
        .expect("valid regex")
    }),
    may_match: |text| {
        let head = &text.as_bytes()[..text.len().min(PLAIN_LABEL_CHARS * 4 + 1)];
        memchr::memchr3(b':', b'\n', b'*', head).is_some_and(|at| head[at] == b':')
    },
};

/// A timestamp right after the label: bracketed, or bare `HH:MM:SS` as some exports write it.
static TRAILING_TIMESTAMP: Pattern = Pattern {
    regex: LazyLock::new(|| {
        Regex::new(&format!(
            r"^[ \t]*(?:{TIMESTAMP}|(\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d+)?)(?:[ \t]|$))[ \t]*"
        ))
        .expect("valid regex")
    }),
    // `\d` is any Unicode digit.
    may_match: |text| {
        text.trim_start_matches([' ', '\t'])
            .starts_with(|c: char| c == '[' || c == '\\' || c.is_numeric())
    },
};

/// Reads the label opening `paragraph`, if it has one. The plain `Name:` form is a label only
/// when `is_declared(name)` says the episode or a profile declares that name: otherwise every
/// sentence starting `Note:` would become a speaker.
pub fn parse_label<'a>(
    paragraph: &'a str,
    is_declared: impl Fn(&str) -> bool,
) -> Option<Label<'a>> {
    let (mut timestamp, mut offset, mut unread) = match LEADING_TIMESTAMP.captures(paragraph) {
        Some(c) => match Timestamp::parse(&c[1]) {
            Some(t) => (Some(t), c[0].len(), None),
            None => (None, c[0].len(), Some(0..c[0].trim_end().len())),
        },
        None => (None, 0, None),
    };
    let rest = &paragraph[offset..];
    let name = if let Some((name, len)) = bold_label(rest) {
        offset += len;
        name.trim()
    } else {
        let c = PLAIN_LABEL.captures(rest)?;
        let name = c.get(1)?.as_str().trim();
        if !is_declared(name) {
            return None;
        }
        offset += c[0].len();
        name
    };
    // A label of only spaces (U+00A0, a zero-width space) names no one: the paragraph is
    // read as if it had no label.
    if super::slug::is_blank(name) {
        return None;
    }
    if let Some(c) = TRAILING_TIMESTAMP.captures(&paragraph[offset..]) {
        let found = c
            .get(1)
            .or(c.get(2))
            .and_then(|m| Timestamp::parse(m.as_str()));
        match (found, c.get(1)) {
            (Some(found), _) => {
                timestamp = timestamp.or(Some(found));
                offset += c[0].len();
            }
            // A bracketed one that is no time is left in the text; a bare one is just text.
            (None, Some(_)) => {
                let start = offset + (c[0].len() - c[0].trim_start().len());
                unread = unread.or(Some(start..offset + c[0].trim_end().len()));
            }
            (None, None) => {}
        }
    }
    let text_start = offset + (paragraph[offset..].len() - paragraph[offset..].trim_start().len());
    Some(Label {
        name,
        timestamp,
        text_start,
        unread,
    })
}

/// A heading split from its timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub title: String,
    pub timestamp: Option<Timestamp>,
    /// A bracketed timestamp at an edge that is no time, as a byte range of the heading given;
    /// it stays in the title.
    pub unread: Option<Range<usize>>,
}

/// A timestamp at the start or end of a heading: `## [00:14:30] Title` or `## Title [14:30]`.
pub fn split_heading_timestamp(heading: &str) -> Heading {
    static ANYWHERE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(TIMESTAMP).expect("valid regex"));
    let trimmed = heading.trim();
    let lead = heading.len() - heading.trim_start().len();
    let whole = |unread| Heading {
        title: trimmed.to_string(),
        timestamp: None,
        unread,
    };
    let Some(found) = ANYWHERE.find(trimmed) else {
        return whole(None);
    };
    if found.start() != 0 && found.end() != trimmed.len() {
        return whole(None);
    }
    let captures = ANYWHERE.captures(found.as_str());
    let Some(timestamp) = captures.and_then(|c| Timestamp::parse(&c[1])) else {
        return whole(Some(lead + found.start()..lead + found.end()));
    };
    let title = format!("{}{}", &trimmed[..found.start()], &trimmed[found.end()..]);
    let title = title.trim().trim_matches(['-', '–', '—', ':']).trim();
    Heading {
        title: title.to_string(),
        timestamp: Some(timestamp),
        unread: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::every_text;

    /// The look before each pattern turns away nothing that it matches: every text of up to
    /// four characters that matter to the patterns, alone and around timestamps, and names of
    /// the longest kind.
    #[test]
    fn the_look_before_a_pattern_turns_away_no_match() {
        let alphabet = [
            ":", "*", "\n", " ", "\t", "a", "é", "[", "]", "\\", "1", "٣", "#",
        ];
        let mut texts = every_text(&alphabet, 4);
        let short = 1 + alphabet.len() + alphabet.len().pow(2);
        let times = [
            "[1:23]",
            "\\[01:02:03.5\\]",
            "12:34:56",
            "٣:٣٣:٣٣,5",
            "[99:99:99]",
        ];
        let around: Vec<String> = texts[..short]
            .iter()
            .flat_map(|before| times.iter().map(move |time| format!("{before}{time} a")))
            .collect();
        texts.extend(around);
        let longest = "𝒜".repeat(PLAIN_LABEL_CHARS);
        texts.push(format!("**{longest}:** text"));
        texts.push(format!("{longest}: text"));
        let patterns = [&LEADING_TIMESTAMP, &PLAIN_LABEL, &TRAILING_TIMESTAMP];
        let mut matched = [0; 3];
        for text in &texts {
            for (pattern, matched) in patterns.iter().zip(&mut matched) {
                if pattern.regex.is_match(text) {
                    *matched += 1;
                    assert!((pattern.may_match)(text), "{} on {text:?}", *pattern.regex);
                }
            }
        }
        assert!(matched.iter().all(|&n| n > 0), "{matched:?}");
        assert!(PLAIN_LABEL.captures(texts.last().unwrap()).is_some());
        let too_long = format!("𝒜{longest}: text");
        assert!(PLAIN_LABEL.regex.captures(&too_long).is_none());
    }

    /// The expression [`bold_label`] replaced, as the contract's forms were first written.
    const BOLD_LABEL: &str = r"^\*\*([^*\n]{1,100}?)(?:[ \t]*::?[ \t]*\*\*|\*\*[ \t]*:)";

    /// [`bold_label`] finds what the expression found, name and length, on every text of up
    /// to five characters that matter to it after `**`, and on names around the longest.
    #[test]
    fn a_bold_label_is_read_as_the_expression_read_it() {
        let expression = Regex::new(BOLD_LABEL).unwrap();
        let alphabet = ["*", ":", " ", "\t", "\n", "a", "é", "𝒜", "\r"];
        let mut texts = every_text(&alphabet, 5);
        let closes = [
            "", ":** x", "**: x", " :: ** x", "::", "* x", "\n:** x", "**",
        ];
        for chars in [98, 99, 100, 101] {
            for close in closes {
                texts.push(format!("{}{close}", "𝒜".repeat(chars)));
                texts.push(format!("{}{close}", "a: ".repeat(chars / 3)));
            }
        }
        let mut found = 0;
        for text in texts.iter().flat_map(|t| [format!("**{t}"), t.clone()]) {
            let expected = expression
                .captures(&text)
                .map(|c| (c.get(1).unwrap().as_str(), c[0].len()));
            assert_eq!(bold_label(&text), expected, "on {text:?}");
            found += usize::from(expected.is_some());
        }
        assert!(found > 200, "{found}");
    }

    fn none(_: &str) -> bool {
        false
    }

    fn label(p: &str) -> Option<(String, Option<u64>, String)> {
        parse_label(p, |n| n == "Dwarkesh Patel").map(|l| {
            (
                l.name.to_string(),
                l.timestamp.map(|t| t.0),
                p[l.text_start..].to_string(),
            )
        })
    }

    #[test]
    fn every_label_form_of_the_contract() {
        let want = |name: &str, ts: Option<u64>, text: &str| {
            Some((name.to_string(), ts, text.to_string()))
        };
        assert_eq!(
            label("**Satya Nadella:** And that"),
            want("Satya Nadella", None, "And that")
        );
        assert_eq!(
            label("**Satya Nadella**: And that"),
            want("Satya Nadella", None, "And that")
        );
        assert_eq!(
            label("[00:12:05] **Dwarkesh Patel:** So"),
            want("Dwarkesh Patel", Some(725_000), "So")
        );
        assert_eq!(
            label("**Dwarkesh Patel:** [00:12:05] So"),
            want("Dwarkesh Patel", Some(725_000), "So")
        );
        assert_eq!(
            label("Dwarkesh Patel: So"),
            want("Dwarkesh Patel", None, "So")
        );
    }

    #[test]
    fn escaped_and_fractional_timestamps() {
        assert_eq!(
            label(r"**Break:** \[01:02:03.45\]"),
            Some(("Break".into(), Some(3_723_450), String::new()))
        );
        assert_eq!(
            label(r"\[14:22\] **Ann:** hi"),
            Some(("Ann".into(), Some(862_000), "hi".into()))
        );
    }

    #[test]
    fn near_misses_real_transcripts_write() {
        assert_eq!(label("**Jerod Santo: ** ok").unwrap().0, "Jerod Santo");
        assert_eq!(
            label("**Kulpreet Singh::** 00:01:31 ok").unwrap().1,
            Some(91_000)
        );
        assert_eq!(label("**Ann:**no space").unwrap().2, "no space");
        assert_eq!(label("**Ann:**").unwrap().2, "");
    }

    #[test]
    fn plain_names_must_be_declared_and_bold_text_is_not_a_label() {
        assert_eq!(parse_label("Note: this is prose", none), None);
        assert_eq!(parse_label("**Important** point: yes", none), None);
        assert_eq!(parse_label("**Note: this is bold**", none), None);
        assert_eq!(parse_label("Just a sentence.", none), None);
    }

    #[test]
    fn headings_carry_timestamps_at_either_end() {
        let split = |h: &str| {
            let heading = split_heading_timestamp(h);
            (heading.title, heading.timestamp)
        };
        assert_eq!(
            split("[00:14:30] The second hour"),
            ("The second hour".to_string(), Some(Timestamp(870_000)))
        );
        assert_eq!(
            split(r"Origins \[05:00\]"),
            ("Origins".to_string(), Some(Timestamp(300_000)))
        );
        assert_eq!(split("Plain").1, None);
    }

    /// `[99:99:99]` once vanished without a word: the label swallowed it and the turn had no
    /// time. It now stays in the text, and its place is given so the reader can warn.
    #[test]
    fn a_timestamp_that_is_no_time_is_kept_and_located() {
        let p = "[99:99:99] **Ann:** Hello.";
        let found = parse_label(p, none).unwrap();
        assert_eq!((found.timestamp, found.unread), (None, Some(0..10)));
        assert_eq!(&p[found.text_start..], "Hello.");
        let p = "**Ann:** \\[12:75\\] Hello.";
        let found = parse_label(p, none).unwrap();
        assert_eq!((found.timestamp, found.unread), (None, Some(9..18)));
        assert_eq!(&p[found.text_start..], "\\[12:75\\] Hello.");
        let heading = split_heading_timestamp(" [99:99] Intro");
        assert_eq!(heading.title, "[99:99] Intro");
        assert_eq!(heading.unread, Some(1..8));
    }

    /// What `import` writes past 100 hours is a label with its time, not a paragraph of the
    /// turn before.
    #[test]
    fn a_label_at_a_hundred_hours_and_more() {
        assert_eq!(
            label("[100:00:01] **Bo:** Late."),
            Some(("Bo".into(), Some(360_001_000), "Late.".into()))
        );
    }
}
