//! Internal links in Markdown that lead nowhere: a page the site does not have, or an anchor
//! that page does not have.
//!
//! What the site has comes from the page graph ([`graph::site_files`]), the list `build`
//! writes from: a list of its own here drifted once, and called `/search/` and `/atom.xml`
//! broken.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::error::Diagnostic;
use crate::model::transcript::markdown_options;
use crate::model::{Archive, Block, EpisodeId};
use crate::render::graph::{Job, MadeBy, SiteFile};
use crate::render::links;

/// Everything a link inside the site can point at.
pub struct SiteIndex {
    /// Page folders: `show/episode/`, `` for the home page.
    pages: HashSet<String>,
    /// Every other file: `images/logo.svg`, `atom.xml`, `show/episode/transcript.vtt`.
    files: HashSet<String>,
    /// Folders whose files are named by another program: `pagefind/`.
    folders: Vec<String>,
    /// The anchors of each episode page.
    anchors: HashMap<String, HashSet<String>>,
    /// The path of `base_url`, for links written from the domain root.
    base_path: String,
}

impl SiteIndex {
    /// What the site has, from the page graph; the anchors of its episode pages.
    pub fn new(archive: &Archive, site_files: &[SiteFile], base_path: String) -> SiteIndex {
        let mut index = SiteIndex {
            pages: HashSet::new(),
            files: HashSet::new(),
            folders: Vec::new(),
            anchors: HashMap::new(),
            base_path,
        };
        for file in site_files {
            index.add(archive, file);
        }
        index
    }

    fn add(&mut self, archive: &Archive, file: &SiteFile) {
        if file.made_by == MadeBy::SearchIndex {
            self.folders.push(file.path.clone());
            return;
        }
        let Some(folder) = file.path.strip_suffix("index.html") else {
            self.files.insert(file.path.clone());
            return;
        };
        if let MadeBy::Job(Job::Episode(id)) = file.made_by {
            // An episode that cannot be read again is reported by itself (`check::unreadable`).
            let blocks = archive.blocks(&archive.episodes[id]);
            let anchors = blocks.map(|blocks| anchors(&blocks)).unwrap_or_default();
            self.anchors.insert(folder.to_string(), anchors);
        }
        self.pages.insert(folder.to_string());
    }

    /// Why a link from `page` to `destination` is broken, or `None` when it is fine or leads
    /// outside the site.
    fn problem(&self, page: &str, destination: &str) -> Option<String> {
        let (path, fragment) = match destination.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (destination, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let target = if path.is_empty() {
            page.to_string()
        } else {
            match self.resolve(page, path) {
                Some(target) => target,
                None => return Some("it leads outside the site".to_string()),
            }
        };
        let folder = if target.is_empty() || target.ends_with('/') {
            target.clone()
        } else if let Some(dir) = target.strip_suffix("index.html") {
            dir.to_string()
        } else if self.files.contains(&target)
            || self.folders.iter().any(|f| target.starts_with(f.as_str()))
        {
            return None;
        } else {
            format!("{target}/")
        };
        if !self.pages.contains(&folder) {
            return Some(format!("no page or file `{target}` in the site"));
        }
        let fragment = fragment.filter(|f| !f.is_empty() && !f.starts_with("t="))?;
        let anchors = self.anchors.get(&folder)?;
        (!anchors.contains(fragment)).then(|| format!("the page has no anchor `#{fragment}`"))
    }

    /// A link's path relative to the site root, `..` resolved; `None` above the root.
    fn resolve(&self, page: &str, path: &str) -> Option<String> {
        let mut parts: Vec<&str> = Vec::new();
        let relative = match path.strip_prefix(self.base_path.as_str()) {
            Some(rest) if path.starts_with('/') => rest,
            None if path.starts_with('/') => return None,
            _ => {
                parts.extend(page.split('/').filter(|p| !p.is_empty()));
                path
            }
        };
        for part in relative.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                other => parts.push(other),
            }
        }
        let mut joined = parts.join("/");
        if path.ends_with('/') && !joined.is_empty() {
            joined.push('/');
        }
        Some(joined)
    }
}

/// The anchors a turn or chapter of an episode page can be linked by.
fn anchors(blocks: &[Block]) -> HashSet<String> {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::Turn(t) => Some(t.anchor.clone()),
            Block::Chapter(c) => Some(c.anchor.clone()),
            Block::Prose { .. } => None,
        })
        .collect()
}

pub fn broken_links(archive: &Archive, site: &SiteIndex) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for id in (0..archive.episodes.len()).map(EpisodeId::new) {
        let episode = &archive.episodes[id];
        let Ok(blocks) = archive.blocks(episode) else {
            continue;
        };
        let page = links::episode(archive, id);
        for block in blocks.iter() {
            let (text, line) = match block {
                Block::Turn(t) => (&t.text, t.line),
                Block::Prose { text, line } => (text, *line),
                Block::Chapter(_) => continue,
            };
            for (destination, offset_lines) in link_destinations(text) {
                if let Some(problem) = site.problem(&page, &destination) {
                    found.push(
                        Diagnostic::warning(
                            &episode.path,
                            format!("broken link `{destination}`: {problem}"),
                        )
                        .kind("broken-link")
                        .at_line(line + offset_lines),
                    );
                }
            }
        }
    }
    found
}

/// Each link and image destination in a Markdown text, with its line within the text.
fn link_destinations(text: &str) -> Vec<(String, usize)> {
    if !text.contains("](") && !text.contains("]:") && !text.contains('<') {
        return Vec::new();
    }
    Parser::new_ext(text, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => None,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let dest = dest_url.to_string();
                (!links::is_absolute(&dest))
                    .then(|| (dest, text[..range.start].matches('\n').count()))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SiteIndex {
        let pages = ["", "show/", "show/a/", "show/b/", "speakers/ann/"];
        SiteIndex {
            pages: pages.iter().map(|s| s.to_string()).collect(),
            files: ["images/x.svg".to_string(), "atom.xml".to_string()]
                .into_iter()
                .collect(),
            folders: vec!["pagefind/".to_string()],
            anchors: [(
                "show/b/".to_string(),
                ["t-00-01-00".to_string()].into_iter().collect(),
            )]
            .into_iter()
            .collect(),
            base_path: "/archive/".to_string(),
        }
    }

    #[test]
    fn links_inside_the_site_are_resolved_and_checked() {
        let site = index();
        assert_eq!(site.problem("show/a/", "../b/"), None);
        assert_eq!(site.problem("show/a/", "../b/#t-00-01-00"), None);
        assert_eq!(site.problem("show/a/", "../b/#t=754"), None);
        assert_eq!(site.problem("show/a/", "/archive/speakers/ann/"), None);
        assert_eq!(site.problem("show/a/", "../../images/x.svg"), None);
        assert_eq!(site.problem("show/a/", "../b"), None);
        assert_eq!(site.problem("show/a/", "../../atom.xml"), None);
        assert_eq!(
            site.problem("show/a/", "/archive/pagefind/pagefind.js"),
            None
        );
        assert!(site
            .problem("show/a/", "../c/")
            .unwrap()
            .contains("no page"));
        assert!(site
            .problem("show/a/", "../b/#t-9")
            .unwrap()
            .contains("no anchor"));
        assert!(site
            .problem("show/a/", "../../../x/")
            .unwrap()
            .contains("outside"));
        assert!(site
            .problem("show/a/", "/elsewhere/")
            .unwrap()
            .contains("outside"));
    }

    #[test]
    fn only_internal_destinations_are_collected() {
        let text = "See [a](../b/) and [c](https://x.org) <x@y.org> and\n[d](mailto:x@y) ![i](../../images/x.svg)";
        let found = link_destinations(text);
        assert_eq!(
            found,
            vec![
                ("../b/".to_string(), 0),
                ("../../images/x.svg".to_string(), 1)
            ]
        );
    }
}
