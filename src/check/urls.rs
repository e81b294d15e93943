//! URLs from content that the site refuses to link: `javascript:`, `data:` and every scheme but
//! a few. The build drops them silently, as a page cannot show an error; here each one is
//! named with its file and line, so the editor learns what went missing and why.
//!
//! The judgement is the renderer's own (`render::links::safe_url`, and for Markdown
//! `render::markdown::is_safe_destination`): this module only finds the URLs and places them.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use crate::error::Diagnostic;
use crate::model::transcript::markdown_options;
use crate::model::{Archive, Block, Episode, Profile, Show};
use crate::render::links;
use crate::render::markdown::is_safe_destination;
use crate::text::line_column;

const EXPECTED: &str =
    "expected a relative URL or one starting with http:, https:, mailto: or tel:";

/// Every refused URL of every episode, show and speaker profile.
pub fn unsafe_urls(archive: &Archive) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (episode, blocks) in super::transcripts(archive) {
        found.extend(in_episode(episode, &blocks));
    }
    for show in &archive.shows {
        found.extend(in_show(show));
    }
    for profile in archive.speakers.iter().filter_map(|s| s.profile.as_ref()) {
        found.extend(in_profile(profile));
    }
    found
}

fn in_episode(episode: &Episode, blocks: &[Block]) -> Vec<Diagnostic> {
    let line = |field: &str| episode.field_lines.get(field).copied().unwrap_or(1);
    let mut found = Vec::new();
    if let Some(audio) = &episode.audio {
        found.extend(refused_field(
            &episode.path,
            "audio",
            &audio.url,
            line("audio"),
            "the page has no player and the feeds no audio for it",
        ));
    }
    let fields = [
        ("link", &episode.link),
        ("source", &episode.source),
        ("license", &episode.license),
        ("image", &episode.image),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            found.extend(refused_field(
                &episode.path,
                field,
                value,
                line(field),
                "it is left out of the site",
            ));
        }
    }
    for block in blocks {
        let (text, first_line) = match block {
            Block::Turn(t) => (&t.text, t.line),
            Block::Prose { text, line } => (text, *line),
            Block::Chapter(_) => continue,
        };
        // Turns join their paragraphs, so only the line is sure, not the column.
        for (link, offset) in refused_links(text) {
            let line = first_line + text[..offset].matches('\n').count();
            found.push(link.diagnostic(&episode.path).at_line(line));
        }
    }
    found
}

fn in_show(show: &Show) -> Vec<Diagnostic> {
    let Some(path) = &show.path else {
        return Vec::new();
    };
    let line = |field: &str| show.field_lines.get(field).copied().unwrap_or(1);
    let mut found = Vec::new();
    for (field, value) in [("link", &show.link), ("image", &show.image)] {
        if let Some(value) = value {
            found.extend(refused_field(
                path,
                field,
                value,
                line(field),
                "it is left out of the site",
            ));
        }
    }
    found.extend(in_body(path, &show.body, show.body_line));
    found
}

fn in_profile(profile: &Profile) -> Vec<Diagnostic> {
    let line = |field: &str| profile.field_lines.get(field).copied().unwrap_or(1);
    let mut found = Vec::new();
    if let Some(image) = &profile.image {
        found.extend(refused_field(
            &profile.path,
            "image",
            image,
            line("image"),
            "it is left out of the site",
        ));
    }
    for link in &profile.links {
        let why = format!("the link `{}` is left out of the page", link.title);
        found.extend(refused_field(
            &profile.path,
            "links",
            &link.url,
            line("links"),
            &why,
        ));
    }
    found.extend(in_body(&profile.path, &profile.bio, profile.body_line));
    found
}

/// The refused links of a body read from its file as it is, so the column is known too.
fn in_body(path: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    refused_links(body)
        .into_iter()
        .map(|(link, offset)| {
            let (line, column) = line_column(body.as_bytes(), offset);
            link.diagnostic(path).at(body_line + line - 1, column)
        })
        .collect()
}

fn refused_field(
    path: &Path,
    field: &str,
    url: &str,
    line: usize,
    consequence: &str,
) -> Option<Diagnostic> {
    if links::safe_url(url).is_some() {
        return None;
    }
    let message = format!(
        "`{field}` is not a safe URL: `{}`; {consequence} ({EXPECTED})",
        shown(url)
    );
    Some(
        Diagnostic::warning(path, message)
            .kind("unsafe-url")
            .at_line(line),
    )
}

/// A Markdown link or image whose URL was refused.
struct RefusedLink {
    url: String,
    image: bool,
}

impl RefusedLink {
    fn diagnostic(&self, path: &Path) -> Diagnostic {
        let (what, consequence) = match self.image {
            true => ("image", "its alt text is shown instead"),
            false => ("link", "its text is shown without the link"),
        };
        let message = format!(
            "{what} `{}` is not a safe URL: {consequence} ({EXPECTED})",
            shown(&self.url)
        );
        Diagnostic::warning(path, message).kind("unsafe-url")
    }
}

/// Each refused link or image of a Markdown text, with the byte offset where it starts.
fn refused_links(text: &str) -> Vec<(RefusedLink, usize)> {
    // Most turns hold no link at all; the parse is for those that might.
    if !text.contains("](") && !text.contains("]:") && !text.contains('<') {
        return Vec::new();
    }
    Parser::new_ext(text, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let (link_type, url, image) = match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => (link_type, dest_url, false),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    ..
                }) => (link_type, dest_url, true),
                _ => return None,
            };
            let url = url.to_string();
            (!is_safe_destination(link_type, &url))
                .then_some((RefusedLink { url, image }, range.start))
        })
        .collect()
}

/// A URL as a message shows it: controls written as escapes, so they are seen, not obeyed.
fn shown(url: &str) -> String {
    url.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 21: the build dropped a refused link without a word; `check` names each one. An
    // empty destination is no danger: the Changelog corpus has `[Easy peasy lemon squeezy]()`.
    #[test]
    fn refused_links_are_found_where_they_start() {
        let text = "Fine [a](https://x.org) and [b](javascript:alert(1))\n\n\
                    <javascript:alert(2)> ![c](data:image/png,x) <x@y.org> [empty]()";
        let found: Vec<(String, bool, usize)> = refused_links(text)
            .into_iter()
            .map(|(link, offset)| (link.url, link.image, offset))
            .collect();
        assert_eq!(
            found,
            vec![
                ("javascript:alert(1)".to_string(), false, 28),
                ("javascript:alert(2)".to_string(), false, 54),
                ("data:image/png,x".to_string(), true, 76),
            ]
        );
    }

    #[test]
    fn a_message_shows_controls_as_escapes() {
        assert_eq!(shown("java\tscript:\u{1}x"), "java\\tscript:\\u{1}x");
    }
}
