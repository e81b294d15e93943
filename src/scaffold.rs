//! Starting files for the user: a new site (`init`) and a new episode (`new`).
//!
//! These write into the user's content, so they never overwrite: `init` refuses a folder that
//! has anything in it, `new` refuses a file that exists.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::layout::{CACHE_DIR, CONFIG_FILE, CONTENT_DIR, OUTPUT_DIR, SHOW_FILE};
use crate::model::slug::slugify;
use crate::model::{Archive, Date};

const SITE_TOML: &str = r#"# Settings of this Verbatim site; every key is described in Verbatim's docs/configuration.md.
title = "My transcript archive"
description = "Every word of our shows, searchable by who said it."
base_url = "https://example.org/"
language = "en"
theme = "default"

[transcripts]
# Labels that are not people, on top of the built-in list (Break, Jingle, Music, Ad, …).
markers = []
"#;

const SHOW_INDEX: &str = "---
title: My Show
description: A show about the things we talk about.
author: Your Name
category: Technology
---

Describe the show here, in Markdown. This text opens the show's page.
";

/// Creates a new site in `dir`: settings, one show and one episode. The default theme is built
/// into Verbatim, so the site needs no copy of it.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(
                dir,
                "the folder is not empty: `verbatim init` only creates a site in a new or empty folder",
            )
            .into());
        }
    }
    let show = dir.join(CONTENT_DIR).join("my-show");
    let files = [
        (dir.join(CONFIG_FILE), SITE_TOML.to_string()),
        (show.join(SHOW_FILE), SHOW_INDEX.to_string()),
        (show.join("welcome.md"), first_episode(today)),
        (
            dir.join(".gitignore"),
            format!("{OUTPUT_DIR}/\n{CACHE_DIR}/\n"),
        ),
    ];
    for (path, text) in &files {
        write_new(path, text)?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

fn first_episode(today: Date) -> String {
    format!(
        "---
title: Welcome to the archive
date: {}
episode: 1
speakers:
  - {{name: Your Name, role: host}}
  - {{name: A Guest, role: guest}}
duration: \"02:00\"
description: The first episode, to show how a transcript is written.
tags: [welcome]
---

## [00:00] Hello

**Your Name:** [00:00:05] Welcome. A paragraph that starts with a speaker's name in bold opens a turn.

It goes on through the next paragraphs until another name appears.

**A Guest:** [00:00:40] Timestamps in brackets become links that can be shared.

## [01:10] Notes

**Your Name:** [00:01:10] A `##` heading is a chapter. Run `verbatim serve` to see this page.
",
        today.iso_day()
    )
}

/// What `verbatim new` should write.
pub struct NewEpisode<'a> {
    pub title: &'a str,
    /// The show's slug; may be left out when the site has one show.
    pub show: Option<&'a str>,
    pub today: Date,
}

/// Writes a new episode file for `request` and returns its path. The front matter is filled in
/// from the archive: the next episode number of the show and the hosts of its latest episode.
pub fn new_episode(root: &Path, archive: &Archive, request: &NewEpisode<'_>) -> Result<PathBuf> {
    let show = pick_show(archive, request.show)?;
    let slug = slugify(request.title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            root,
            "the title has no letters or digits to make a file name from",
        )
        .into());
    }
    let show_slug = &archive.shows[show].slug;
    let path = root
        .join(CONTENT_DIR)
        .join(show_slug)
        .join(format!("{slug}.md"));
    // An episode in a subfolder, or with this `slug:`, would make the site fail to build.
    let taken = archive
        .episodes
        .iter()
        .find(|e| e.show.index() == show && e.slug == slug && root.join(&e.path) != path);
    if let Some(existing) = taken {
        return Err(Diagnostic::error(
            &path,
            format!(
                "the show `{show_slug}` already has an episode with the slug `{slug}`: {}; choose another title (nothing was written)",
                existing.path.display()
            ),
        )
        .into());
    }
    let episodes = &archive.shows[show].episodes;
    let number = episodes
        .iter()
        .filter_map(|&e| archive.episodes[e].number)
        .max()
        .map_or(1, |n| n + 1);
    let hosts: Vec<String> = episodes
        .first()
        .map(|&e| {
            archive.episodes[e]
                .credits
                .iter()
                .filter(|c| {
                    c.role
                        .as_deref()
                        .is_some_and(|r| r.eq_ignore_ascii_case("host"))
                })
                .map(|c| format!("  - {{name: {}, role: host}}\n", yaml_string(&c.name)))
                .collect()
        })
        .unwrap_or_default();
    let text = format!(
        "---\ntitle: {}\ndate: {}\nepisode: {number}\nspeakers:\n{}draft: true\n---\n\n",
        yaml_string(request.title),
        request.today.iso_day(),
        if hosts.is_empty() {
            "  []\n".to_string()
        } else {
            hosts.concat()
        },
    );
    write_new(&path, &text)?;
    Ok(path)
}

fn pick_show(archive: &Archive, wanted: Option<&str>) -> Result<usize> {
    let names = || {
        archive
            .shows
            .iter()
            .map(|s| s.slug.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(slug) => archive
            .shows
            .iter()
            .position(|s| s.slug == slugify(slug))
            .ok_or_else(|| {
                Diagnostic::error(
                    CONTENT_DIR,
                    format!("no show `{slug}`: the shows are {}", names()),
                )
                .into()
            }),
        None if archive.shows.len() == 1 => Ok(0),
        None if archive.shows.is_empty() => Err(Diagnostic::error(
            CONTENT_DIR,
            "the site has no show yet: create content/<show>/_index.md first",
        )
        .into()),
        None => Err(Diagnostic::error(
            CONTENT_DIR,
            format!(
                "the site has several shows: choose one with --show ({})",
                names()
            ),
        )
        .into()),
    }
}

/// A YAML scalar that reads back as exactly `text`.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

/// Creates a file that must not exist yet, with its folders.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::from(Diagnostic::error(
                path,
                "already exists: nothing was overwritten",
            )),
            _ => Error::io(path, e),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(path, e))
}

/// Today as a publication date, in the local time zone.
pub fn today() -> Date {
    let now = chrono::Local::now().fixed_offset();
    Date::parse(&now.format("%Y-%m-%d").to_string()).unwrap_or(Date(now))
}
