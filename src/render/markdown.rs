//! Markdown → HTML, as a chain of small passes over pulldown-cmark events.
//!
//! Each pass does one thing and can be tested alone: raw HTML is made inert unless the site
//! opts in, links and images lose a URL the filter refuses, fenced code goes through the
//! highlighter. Transcripts come from many hands; text from content must never run as markup
//! by accident, and raw HTML a site lets through is sanitized as a whole fragment.

use std::cell::Cell;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::{highlight, links, sanitize};
use crate::model::transcript::markdown_options;

/// How Markdown from content is turned into HTML.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownOptions {
    /// Let raw HTML through as HTML, sanitized (off: it is shown as text).
    pub allow_html: bool,
}

pub fn to_html(markdown: &str, options: MarkdownOptions) -> String {
    plain_paragraph(markdown).unwrap_or_else(|| parsed_to_html(markdown, options))
}

/// [`to_html`] through the parser, whatever `markdown` is: what its shortcut is held to.
pub fn parsed_to_html(markdown: &str, options: MarkdownOptions) -> String {
    let has_raw_html = Cell::new(false);
    let events = Parser::new_ext(markdown, markdown_options());
    let events = escape_raw_html(events, options.allow_html, &has_raw_html);
    let events = drop_unsafe_links(events);
    let events = highlight_code(events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    // Without raw HTML the fragment is all our own markup, so most turns skip the sanitizer.
    if has_raw_html.get() {
        html = sanitize::fragment(&html);
    }
    html
}

/// The HTML of `markdown` when it is one paragraph of words and plain punctuation, as most
/// turns of a transcript are; `None` when it may be anything else, for the parser to write.
///
/// Every turn of every page comes through [`to_html`], and parsing each alone was a tenth of
/// a build. This says what the parser (with [`markdown_options`]) would write, without it,
/// for a text that no Markdown construct can touch: each line begins with a letter, so it
/// opens no block (list, heading, quote, code, table, definition), and does not end in a
/// space, so there is no hard break to make or trailing space to drop; no byte the parser
/// treats as inline markup is in it (emphasis, code, links, HTML, entities, escapes, tables,
/// strikethrough), nor `"`, `..` or `--`, which smart punctuation turns into other marks. An
/// apostrophe after a letter or digit can open no quotation, so the parser always writes it
/// as a right single quote; any other is left to the parser. The text needs no escaping:
/// nothing that must be escaped in HTML is let through.
fn plain_paragraph(markdown: &str) -> Option<String> {
    let bytes = markdown.as_bytes();
    // Folds, not `any`: with no early way out, the compiler compares many bytes at once.
    let has = |wanted: fn(u8) -> bool| bytes.iter().fold(false, |has, &b| has | wanted(b));
    if has(is_markup) || markdown.contains("..") || markdown.contains("--") {
        return None;
    }
    let plain = match has(|b| b == b'\n') {
        true => markdown.split('\n').all(plain_line),
        false => plain_line(markdown),
    };
    if !plain {
        return None;
    }
    let mut html = String::with_capacity(markdown.len() + 16);
    html.push_str("<p>");
    let mut copied = 0;
    if has(|b| b == b'\'') {
        for (at, _) in markdown.match_indices('\'') {
            if !bytes[..at].last().is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            html.push_str(&markdown[copied..at]);
            html.push('’');
            copied = at + 1;
        }
    }
    html.push_str(&markdown[copied..]);
    html.push_str("</p>\n");
    Some(html)
}

/// Whether `byte` is, or may begin, markup in a line: a control character other than the
/// line break, or punctuation the parser reads inline (`'` apart, see [`plain_paragraph`]).
fn is_markup(byte: u8) -> bool {
    ((byte < 0x20) & (byte != b'\n'))
        | (byte == 0x7f)
        | (byte == b'*')
        | (byte == b'_')
        | (byte == b'&')
        | (byte == b'\\')
        | (byte == b'[')
        | (byte == b']')
        | (byte == b'<')
        | (byte == b'>')
        | (byte == b'`')
        | (byte == b'|')
        | (byte == b'~')
        | (byte == b'"')
}

/// Whether `line` begins with a letter, which begins no Markdown block, and ends in something
/// other than a space, which would make a hard break or be dropped.
fn plain_line(line: &str) -> bool {
    line.chars().next().is_some_and(char::is_alphabetic) && !line.ends_with(' ')
}

/// Whether a link or image destination may stay a link: the one URL filter decides.
/// An email autolink is an address CommonMark has checked; the writer puts `mailto:` before it.
/// An empty destination (`[text]()`, seen in real transcripts) is the page itself: harmless.
pub fn is_safe_destination(link_type: LinkType, destination: &str) -> bool {
    link_type == LinkType::Email
        || destination.trim().is_empty()
        || links::safe_url(destination).is_some()
}

/// Raw HTML becomes text, so it is escaped on output, unless the site allows it; then `seen`
/// records that the fragment has raw HTML to sanitize.
fn escape_raw_html<'a, 'b>(
    events: impl Iterator<Item = Event<'a>> + 'b,
    allow: bool,
    seen: &'b Cell<bool>,
) -> impl Iterator<Item = Event<'a>> + 'b {
    events.map(move |event| match event {
        Event::Html(html) | Event::InlineHtml(html) if !allow => Event::Text(html),
        Event::Html(_) | Event::InlineHtml(_) => {
            seen.set(true);
            event
        }
        other => other,
    })
}

/// A link whose URL is refused keeps its text but is no link; such an image shows its alt
/// text instead. Images can sit inside links, so each end is matched to its start.
fn drop_unsafe_links<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut dropped: Vec<bool> = Vec::new();
    events.filter(move |event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        }) => {
            let safe = is_safe_destination(*link_type, dest_url);
            dropped.push(!safe);
            safe
        }
        Event::End(TagEnd::Link | TagEnd::Image) => !dropped.pop().unwrap_or(false),
        _ => true,
    })
}

/// Fenced and indented code blocks become highlighted HTML.
fn highlight_code<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut in_code: Option<String> = None;
    let mut code = String::new();
    events.filter_map(move |event| match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            in_code = Some(match kind {
                CodeBlockKind::Fenced(info) => {
                    info.split_whitespace().next().unwrap_or("").to_string()
                }
                CodeBlockKind::Indented => String::new(),
            });
            code.clear();
            None
        }
        Event::Text(text) if in_code.is_some() => {
            code.push_str(&text);
            None
        }
        Event::End(TagEnd::CodeBlock) => {
            let language = in_code.take().unwrap_or_default();
            Some(Event::Html(CowStr::from(highlight::code_block(
                &code, &language,
            ))))
        }
        other => Some(other),
    })
}

/// The first `words` words of `text`, with an ellipsis when cut.
pub fn first_words(text: &str, words: usize) -> String {
    let mut iter = text.split_whitespace();
    let kept: Vec<&str> = iter.by_ref().take(words).collect();
    let mut out = kept.join(" ");
    if iter.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::every_text;

    #[test]
    fn raw_html_is_inert_unless_allowed() {
        let html = to_html("Hi <script>alert(1)</script>", MarkdownOptions::default());
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
        let allowed = to_html("Hi <b>there</b>", MarkdownOptions { allow_html: true });
        assert!(allowed.contains("<b>there</b>"));
    }

    // Issue 21: with `allow_html = true` raw HTML went out as written, scripts and all. It is
    // sanitized as a whole fragment now: a tag split over several events (`<a href=…>` …
    // `</a>`) is judged as the browser will see it, and highlighted code keeps its classes.
    #[test]
    fn allowed_html_is_sanitized_and_keeps_formatting() {
        let markdown =
            "Hi <b>bold</b> <i>it</i> x<sup>2</sup> <abbr title=\"Q and A\">Q&A</abbr><br>\n\
                        <img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\">click</a>\n\
                        <span style=\"background:url(javascript:alert(3))\">s</span>\n\n\
                        <script>alert(4)</script>\n\n\
                        <table><tr><td>cell</td></tr></table>\n\n\
                        ```rust\nfn main() {}\n```\n";
        let html = to_html(markdown, MarkdownOptions { allow_html: true });
        for kept in [
            "<b>bold</b>",
            "<i>it</i>",
            "<sup>2</sup>",
            "<abbr title=\"Q and A\">",
            "<br>",
            "<td>cell</td>",
            "<pre class=\"code hl-code\" data-lang=\"rust\" tabindex=\"0\"><code>",
            "<span class=\"hl-",
        ] {
            assert!(html.contains(kept), "{kept} lost from {html}");
        }
        let lower = html.to_lowercase();
        for gone in ["<script", "onerror", "javascript:", "style="] {
            assert!(!lower.contains(gone), "{gone} kept in {html}");
        }
        assert!(html.contains(">click</a>"), "{html}");
    }

    // Issue 21: `[x](javascript:…)`, `<javascript:…>` and `![x](data:…)` came out as live
    // links and images; `javascript&colon;` too, as pulldown-cmark decodes it to a colon.
    #[test]
    fn script_links_keep_their_text_and_lose_their_link() {
        let markdown =
            "[one](javascript:alert(1)) <javascript:alert(2)> [three](javascript&colon;alert(3)) \
                        [four](JaVaScRiPt:alert(4)) ![five](data:image/svg+xml,x) \
                        [![six](data:x)](vbscript:y) [ok](https://x.org/) <x@y.org> ![fine](a.png)";
        let html = to_html(markdown, MarkdownOptions::default());
        let lower = html.to_lowercase();
        for bad in ["href=\"javascript", "href=\"vbscript", "src=\"data:"] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
        for text in ["one", "javascript:alert(2)", "three", "four", "five", "six"] {
            assert!(html.contains(text), "{text} lost from {html}");
        }
        assert!(html.contains("<a href=\"https://x.org/\">ok</a>"), "{html}");
        assert!(to_html("[same page]()", MarkdownOptions::default()).contains("<a href=\"\">"));
        assert!(html.contains("href=\"mailto:x@y.org\""), "{html}");
        assert!(
            html.contains("<img src=\"a.png\" alt=\"fine\" />"),
            "{html}"
        );
    }

    #[test]
    fn html_entities_decode_and_reescape() {
        let html = to_html(
            "weren&#39;t &quot;this&quot; & that",
            MarkdownOptions::default(),
        );
        assert!(html.contains("weren't"), "{html}");
        assert!(html.contains("&amp; that"), "{html}");
    }

    #[test]
    fn fenced_code_is_highlighted() {
        let html = to_html("```rust\nfn main() {}\n```\n", MarkdownOptions::default());
        assert!(html.contains("class=\"code hl-code\""), "{html}");
        assert!(html.contains("hl-"), "{html}");
    }

    fn held_to_the_parser(text: &str) -> bool {
        let shortcut = plain_paragraph(text);
        if let Some(html) = &shortcut {
            let parsed = parsed_to_html(text, MarkdownOptions::default());
            assert_eq!(html, &parsed, "{text:?}");
        }
        shortcut.is_some()
    }

    #[test]
    fn a_plain_paragraph_is_written_as_the_parser_writes_it() {
        // Every short text of the characters that decide the shortcut, each in turn where a
        // line begins and ends, between words, doubled and after any other.
        let alphabet = [
            "a", "É", "7", " ", "\n", "'", ".", "-", "’", "!", "#", ">", "*", "\u{a0}", "(", "=",
            "\"",
        ];
        let texts = every_text(&alphabet, 5);
        let written = texts.iter().filter(|text| held_to_the_parser(text)).count();
        assert!(
            written > 10_000,
            "only {written} of {} written",
            texts.len()
        );
        // And the rest of the markup, around words.
        let markup = ["a", " ", "_", "&", "\\", "[", "]", "<", "`", "|", "~", ":"];
        for text in every_text(&markup, 5) {
            held_to_the_parser(&text);
        }
        for text in [
            "It's a fine day, isn't it? Yes! 100% (mostly): the rest's fine.",
            "Zoë Müller’s line\nand its next: a-b, a.b.",
            "Words' ends' quotes'",
            "Anyone\u{a0}",
            "Ünïcödé\u{3000}spaces",
        ] {
            assert!(held_to_the_parser(text), "{text:?} left to the parser");
        }
        for text in [
            "It's 'quoted'",
            "a.. b",
            "a -- b",
            "line \nbreak",
            "line\n\nparagraphs",
            "1. list",
            "\u{3000}indented",
            "trailing ",
            "a\tb",
            "a\r\nb",
            "x > y",
            "",
        ] {
            assert_eq!(plain_paragraph(text), None, "{text:?}");
        }
    }

    #[test]
    fn excerpts_stop_at_a_word() {
        assert_eq!(first_words("a b c d", 2), "a b…");
        assert_eq!(first_words("a b", 2), "a b");
    }
}
