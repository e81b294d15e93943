//! Where each page lives inside the site. Paths are site-relative folders (`show/episode/`);
//! templates put `root` in front, so links stay right at any depth and under any base path.

use crate::model::{Archive, Show, Speaker, Tag};

/// Top-level folders of the site's own pages: no show may take these names.
pub const RESERVED: [&str; 5] = ["speakers", "tags", "search", "pagefind", "page"];

pub const SPEAKERS: &str = "speakers/";
pub const TAGS: &str = "tags/";
pub const SEARCH: &str = "search/";
pub const NOT_FOUND: &str = "404.html";
pub const SITE_FEED: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

pub fn show_page(show: &Show, page: usize) -> String {
    if page <= 1 {
        format!("{}/", show.slug)
    } else {
        format!("{}/page/{page}/", show.slug)
    }
}

/// A show's podcast feed.
pub fn show_feed(show: &Show) -> String {
    format!("{}/feed.xml", show.slug)
}

pub fn episode(archive: &Archive, id: usize) -> String {
    let episode = &archive.episodes[id];
    format!("{}/{}/", archive.shows[episode.show].slug, episode.slug)
}

pub fn speaker(speaker: &Speaker) -> String {
    format!("{SPEAKERS}{}/", speaker.slug)
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

/// A URL from content, if it is safe to put in `href` or `src`: relative, or with an
/// `http`, `https` or `mailto` scheme. Autoescaping does not stop `javascript:` URLs.
pub fn safe_url(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let scheme_end = trimmed.find(':');
    let path_start = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
    match scheme_end {
        Some(end) if end < path_start => {
            let scheme = trimmed[..end].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then(|| trimmed.to_string())
        }
        _ => (!trimmed.is_empty()).then(|| trimmed.to_string()),
    }
}

/// A list of optional URLs from content, each kept only when safe.
pub fn safe(url: &Option<String>) -> Option<String> {
    url.as_deref().and_then(safe_url)
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
        assert!(safe_url("mailto:x@example.org").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JavaScript://%0aalert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
    }
}
