//! Descriptions shortened for cards: a few dozen words of plain text, whatever the front
//! matter holds.
//!
//! Real archives put whole show notes in `description`: hundreds of words, link lists, raw
//! URLs. On a card that made the home page of a phone 15,000 px tall. A card gets the opening
//! words, cut at a word boundary, with Markdown links reduced to their text and bare URLs to
//! their host; the page of the episode or show keeps the description as written. The theme
//! clamps the text to a few lines as well, since words are a poor measure of lines.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Words in a card's description.
pub const CARD_WORDS: usize = 40;

/// `[text](url)`: Markdown links, which read as their text.
static MARKDOWN_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)\s]*\)").expect("valid regex"));

/// A bare URL, in angle brackets or not, up to the next space but without the punctuation of
/// the sentence around it: the host is kept (`host`).
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"<?(?i:https?://|www\.)",
        r"(?<host>[^/\s?#<>]*[^/\s?#<>.,;:!?)\]])",
        r"(?:[/?#](?:[^\s<>]*[^\s<>.,;:!?)\]])?)?>?",
    ))
    .expect("valid regex")
});

/// `description` as a card shows it: at most `words` words of plain text, ending in `…` when
/// cut. `None` when nothing is left.
pub fn shorten(description: &str, words: usize) -> Option<String> {
    let text = MARKDOWN_LINK.replace_all(description, "$1");
    let text = BARE_URL.replace_all(&text, |c: &Captures| host(&c["host"]).to_string());
    let mut iter = text.split_whitespace();
    let kept: Vec<&str> = iter.by_ref().take(words).collect();
    if kept.is_empty() {
        return None;
    }
    let mut out = kept.join(" ");
    if iter.next().is_some() {
        // `word,…` reads as a typo: the cut ends the sentence.
        let end = out
            .trim_end_matches([',', ';', ':', '-', '–', '—', '(', '.'])
            .len();
        out.truncate(end);
        out.push('…');
    }
    Some(out)
}

/// `www.example.org` → `example.org`: what a reader recognises of a URL.
fn host(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 24: a 300-word blurb full of URLs went onto every card as written, so cards were
    // as long as show notes. A card gets 40 words now, cut at a word boundary, with `…`.
    #[test]
    fn a_long_description_is_cut_at_a_word_with_an_ellipsis() {
        let long = (1..=300).map(|i| format!("word{i}")).collect::<Vec<_>>();
        let short = shorten(&long.join(" "), CARD_WORDS).unwrap();
        assert_eq!(short.split_whitespace().count(), CARD_WORDS);
        assert!(short.ends_with("word40…"), "{short}");
        assert_eq!(
            shorten("Two words.", CARD_WORDS).as_deref(),
            Some("Two words.")
        );
    }

    #[test]
    fn a_cut_after_punctuation_keeps_only_the_ellipsis() {
        assert_eq!(
            shorten("One, two, three", 2).as_deref(),
            Some("One, two…"),
            "the comma before the cut goes"
        );
    }

    #[test]
    fn urls_read_as_their_host_and_links_as_their_text() {
        let text = "Slides: https://www.example.org/talks/2024/slides.pdf, notes at \
                    <https://notes.example.net/x?y=1> and [the paper](https://arxiv.org/abs/1).";
        assert_eq!(
            shorten(
                "See https://example.org. Or www.example.com/a/.",
                CARD_WORDS
            )
            .as_deref(),
            Some("See example.org. Or example.com.")
        );
        assert_eq!(
            shorten(text, CARD_WORDS).as_deref(),
            Some("Slides: example.org, notes at notes.example.net and the paper.")
        );
    }

    #[test]
    fn nothing_left_is_no_description() {
        assert_eq!(shorten("  \n ", CARD_WORDS), None);
    }
}
