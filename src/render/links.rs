//! Where each page lives inside the site. Paths are site-relative folders (`show/episode/`);
//! templates put `root` in front, so links stay right at any depth and under any base path.

use crate::model::{Archive, EpisodeId, Show, Speaker, Tag};

pub const SPEAKERS: &str = "speakers/";
pub const SHOWS: &str = "shows/";
pub const TAGS: &str = "tags/";
pub const SEARCH: &str = "search/";
pub const NOT_FOUND: &str = "404.html";
pub const SITE_FEED: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// Page `page` (from 1) of a list whose first page is the folder `first`: the first is the
/// folder itself, the next `first` + `page/2/` and on. Shows, speakers and topics page alike.
fn nth_page(first: String, page: usize) -> String {
    if page <= 1 {
        first
    } else {
        format!("{first}page/{page}/")
    }
}

pub fn show_page(show: &Show, page: usize) -> String {
    nth_page(format!("{}/", show.slug), page)
}

/// A show's podcast feed.
pub fn show_feed(show: &Show) -> String {
    format!("{}/feed.xml", show.slug)
}

pub fn episode(archive: &Archive, id: EpisodeId) -> String {
    let episode = &archive.episodes[id];
    format!("{}/{}/", archive.shows[episode.show].slug, episode.slug)
}

pub fn speaker(speaker: &Speaker) -> String {
    format!("{SPEAKERS}{}/", speaker.slug)
}

/// Page `page` of a speaker's appearances: the first is their page.
pub fn speaker_page(speaker: &Speaker, page: usize) -> String {
    nth_page(self::speaker(speaker), page)
}

/// A speaker's Atom feed, beside their page.
pub fn speaker_feed(speaker: &Speaker) -> String {
    format!("{SPEAKERS}{}/{SITE_FEED}", speaker.slug)
}

/// The search page, narrowed to what one speaker said.
pub fn search_speaker(speaker: &Speaker) -> String {
    let name =
        percent_encoding::utf8_percent_encode(&speaker.name, percent_encoding::NON_ALPHANUMERIC);
    format!("{SEARCH}?speaker={name}")
}

pub fn tag(tag: &Tag) -> String {
    format!("{TAGS}{}/", tag.slug)
}

/// Page `page` (from 1) of a topic's episodes.
pub fn tag_page(tag: &Tag, page: usize) -> String {
    nth_page(self::tag(tag), page)
}

/// The URL schemes a link from content may use; every other one (`javascript:`, `vbscript:`,
/// `data:`, `file:`, …) is refused.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// A URL from content, if it is safe to put in `href` or `src`: relative, or with one of
/// [`SAFE_SCHEMES`]. Every URL from content that reaches a page or a feed goes through here;
/// autoescaping does not stop a `javascript:` URL.
///
/// The URL is judged the way a browser reads it: without the controls and spaces around it and
/// the tabs and line breaks inside it, and with character references decoded, because an
/// attribute's `java&#x09;script&colon;` is `javascript:` to the browser. What comes back is the
/// URL without those controls.
pub fn safe_url(url: &str) -> Option<String> {
    let url = as_browser_reads(url);
    let decoded = decode_references(&url);
    let judged = as_browser_reads(&decoded);
    let safe = !url.is_empty() && has_safe_scheme(&url) && has_safe_scheme(&judged);
    safe.then_some(url)
}

/// A list of optional URLs from content, each kept only when safe.
pub fn safe(url: &Option<String>) -> Option<String> {
    url.as_deref().and_then(safe_url)
}

/// The scheme of a URL as browsers find it: an ASCII letter, then letters, digits, `+`, `-` or
/// `.`, up to the first colon. `None` for a relative URL; `(https:` has no scheme either.
pub fn scheme(url: &str) -> Option<&str> {
    let (candidate, _) = url.split_once(':')?;
    let mut chars = candidate.chars();
    let first = chars.next()?;
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first.is_ascii_alphabetic() && rest_ok).then_some(candidate)
}

/// Whether a URL leads off the site by itself: it has a scheme, or starts with `//`.
pub fn is_absolute(url: &str) -> bool {
    scheme(url).is_some() || url.starts_with("//")
}

fn has_safe_scheme(url: &str) -> bool {
    scheme(url).is_none_or(|s| SAFE_SCHEMES.iter().any(|safe| s.eq_ignore_ascii_case(safe)))
}

/// What a browser ignores in a URL: C0 controls and spaces around it (`\x01javascript:`),
/// tabs and line breaks anywhere in it (`java\tscript:`).
fn as_browser_reads(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Character references decoded until none is left (`&amp;colon;` too). Only the named ones
/// that stand for a character a scheme is read from are known: no named reference stands for
/// an ASCII letter or digit, and one a browser knows but this does not stays `&…;`, which no
/// scheme can hold.
fn decode_references(url: &str) -> String {
    let mut text = url.to_string();
    while text.contains('&') {
        let next = decode_once(&text);
        if next == text {
            break;
        }
        text = next;
    }
    text
}

fn decode_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference stands for, and how many bytes after its `&` it takes.
fn reference(after: &str) -> Option<(char, usize)> {
    if let Some(number) = after.strip_prefix('#') {
        let (digits, radix, prefix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        // A number too large for a character is U+FFFD to a browser, as is zero.
        let value = u32::from_str_radix(&digits[..len], radix).unwrap_or(0);
        let c = char::from_u32(value)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let semicolon = usize::from(digits[len..].starts_with(';'));
        return Some((c, prefix + len + semicolon));
    }
    let (name, _) = after.split_once(';')?;
    let c = match name {
        "colon" => ':',
        "Tab" => '\t',
        "NewLine" => '\n',
        "plus" => '+',
        "period" => '.',
        "amp" | "AMP" => '&',
        "num" => '#',
        "sol" => '/',
        "quest" => '?',
        _ => return None,
    };
    Some((c, name.len() + 1))
}

/// `./` for the root page, `../../` for `show/episode/`.
pub fn root_from(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_to_the_root() {
        assert_eq!(root_from(""), "./");
        assert_eq!(root_from("speakers/"), "../");
        assert_eq!(root_from("show/page/2/"), "../../../");
    }

    #[test]
    fn only_harmless_urls_reach_an_href() {
        assert!(safe_url("https://example.org/a:b").is_some());
        assert!(safe_url("/media/a.mp3").is_some());
        assert!(safe_url("a.mp3").is_some());
        assert!(safe_url("//cdn.example.org/a.mp3").is_some());
        assert!(safe_url("mailto:x@example.org").is_some());
        assert!(safe_url("tel:+1-555-0100").is_some());
        assert!(safe_url("?t=12#t-00-01-00").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JavaScript://%0aalert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
        assert!(safe_url("").is_none());
    }

    // Issue 21: every way of writing a script URL that a browser still runs, from the
    // report and from the usual XSS filter evasion lists. The old filter trimmed only
    // Unicode whitespace and never decoded a reference, so several of these passed.
    #[test]
    fn script_urls_in_disguise_are_refused() {
        let disguised = [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java\rscript:alert(1)",
            "\x01javascript:alert(1)",
            "\x00 \x1fjavascript:alert(1)",
            "  javascript:alert(1)",
            "javascript://%0aalert(1)",
            "javascript&colon;alert(1)",
            "javascript&#58;alert(1)",
            "javascript&#058alert(1)",
            "javascript&#x3A;alert(1)",
            "javascript&#X3a;alert(1)",
            "java&#x09;script:alert(1)",
            "java&Tab;script:alert(1)",
            "java&NewLine;script:alert(1)",
            "javascript&amp;colon;alert(1)",
            "&#106;avascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "DATA:image/svg+xml,<svg onload=alert(1)>",
            "file:///etc/passwd",
            "blob:https://example.org/x",
            "custom-app:open",
        ];
        for url in disguised {
            assert_eq!(safe_url(url), None, "{url:?} passed");
        }
    }

    #[test]
    fn the_url_comes_back_as_a_browser_reads_it() {
        assert_eq!(
            safe_url(" https://x.org/a\tb\n").as_deref(),
            Some("https://x.org/ab")
        );
        // A reference that is not a scheme's stays as written: it is the author's text.
        assert_eq!(
            safe_url("https://x.org/?a=1&amp;b=2").as_deref(),
            Some("https://x.org/?a=1&amp;b=2")
        );
        assert_eq!(safe_url("notes&colon;2").as_deref(), None);
        assert_eq!(
            safe_url("Transcribed by: Rev").as_deref(),
            Some("Transcribed by: Rev")
        );
    }

    #[test]
    fn a_scheme_is_letters_first() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("svn+ssh://x"), Some("svn+ssh"));
        assert_eq!(scheme("(https://x"), None);
        assert_eq!(scheme("a b:c"), None);
        assert_eq!(scheme("/a:b"), None);
        assert!(is_absolute("//x.org/") && is_absolute("tel:1") && !is_absolute("a/b"));
    }
}
