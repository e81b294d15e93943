//! The files of a site as they were read: front matter fields as written, body as text.
//!
//! These mirror what users write, field by field, so that serde can say exactly which field
//! is wrong. Nothing derived lives here; `model::build` turns them into the archive.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use super::time::{Date, Timestamp};

/// Everything `load` found under `content/`, in sorted order.
#[derive(Debug, Default)]
pub struct Sources {
    pub shows: Vec<ShowSource>,
    pub episodes: Vec<EpisodeSource>,
    pub profiles: Vec<ProfileSource>,
}

/// Where a piece of text came from: the file, relative to the site, and the line its body
/// starts on, so that problems found in the body point into the file.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: PathBuf,
    pub body_line: usize,
    /// The line of each top-level front matter field, for problems found after parsing.
    pub field_lines: BTreeMap<String, usize>,
}

impl Origin {
    /// The line of a front matter field; the first line when the field is not written.
    pub fn field_line(&self, field: &str) -> usize {
        self.field_lines.get(field).copied().unwrap_or(1)
    }
}

#[derive(Debug)]
pub struct ShowSource {
    pub origin: Origin,
    /// The folder under `content/`.
    pub folder: String,
    pub front: ShowFront,
    pub body: String,
}

#[derive(Debug)]
pub struct EpisodeSource {
    pub origin: Origin,
    /// The top folder under `content/`: the show, unless front matter says otherwise.
    pub folder: String,
    /// The file name without `.md`.
    pub stem: String,
    pub front: EpisodeFront,
    pub body: String,
    /// A hash of the file as read (and of its `transcript:` file's body): reading it again
    /// must give the same, or the file changed in between.
    pub fingerprint: u64,
}

impl EpisodeSource {
    /// The slug of the show it belongs to: its `show:`, else its top folder's.
    pub fn show_slug(&self) -> String {
        self.front
            .show
            .clone()
            .unwrap_or_else(|| super::slug::slugify(&self.folder))
    }

    /// Its URL slug: its `slug:`, else its file name's.
    pub fn slug(&self) -> String {
        super::slug::slugify(self.front.slug.as_deref().unwrap_or(&self.stem))
    }
}

#[derive(Debug)]
pub struct ProfileSource {
    pub origin: Origin,
    pub stem: String,
    pub front: ProfileFront,
    pub body: String,
}

/// Front matter of `content/<show>/_index.md`.
#[derive(Debug, Default, Deserialize)]
pub struct ShowFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub category: Option<String>,
    pub explicit: Option<bool>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    /// The podcast's `podcast:guid`, when it must outlive a move to another address.
    pub guid: Option<String>,
    pub extra: Option<serde_json::Value>,
}

pub const SHOW_FIELDS: &[&str] = &[
    "title",
    "description",
    "author",
    "image",
    "language",
    "category",
    "explicit",
    "type",
    "link",
    "copyright",
    "guid",
    "extra",
];

/// Front matter of an episode (PRODUCT.md, "Episodes").
#[derive(Debug, Default, Deserialize)]
pub struct EpisodeFront {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub show: Option<String>,
    pub episode: Option<u32>,
    pub season: Option<u32>,
    #[serde(default)]
    pub speakers: Vec<Credit>,
    pub audio: Option<String>,
    pub audio_length: Option<u64>,
    pub audio_type: Option<String>,
    pub duration: Option<Timestamp>,
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub speaker_map: BTreeMap<String, String>,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub transcript: Option<String>,
    pub link: Option<String>,
    pub source: Option<String>,
    pub license: Option<String>,
    pub copyright: Option<String>,
    pub image: Option<String>,
    /// The feed item's guid, for episodes that already have one elsewhere.
    pub guid: Option<String>,
    pub episode_type: Option<EpisodeType>,
    pub extra: Option<serde_json::Value>,
}

/// `itunes:episodeType`: what podcast apps call a full episode, a trailer or a bonus.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EpisodeType {
    #[default]
    Full,
    Trailer,
    Bonus,
}

impl EpisodeType {
    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeType::Full => "full",
            EpisodeType::Trailer => "trailer",
            EpisodeType::Bonus => "bonus",
        }
    }
}

pub const EPISODE_FIELDS: &[&str] = &[
    "title",
    "date",
    "show",
    "episode",
    "season",
    "speakers",
    "audio",
    "audio_length",
    "audio_type",
    "duration",
    "description",
    "tags",
    "speaker_map",
    "slug",
    "draft",
    "transcript",
    "link",
    "source",
    "license",
    "copyright",
    "image",
    "guid",
    "episode_type",
    "extra",
];

/// One entry of an episode's `speakers`: a plain name, or a name with a role.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Credit {
    Name(String),
    WithRole {
        name: String,
        #[serde(default)]
        role: Option<String>,
    },
}

impl Credit {
    pub fn name(&self) -> &str {
        match self {
            Credit::Name(name) | Credit::WithRole { name, .. } => name,
        }
    }

    pub fn role(&self) -> Option<&str> {
        match self {
            Credit::Name(_) => None,
            Credit::WithRole { role, .. } => role.as_deref(),
        }
    }
}

/// Front matter of `content/speakers/<slug>.md`.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileFront {
    pub name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub links: Vec<ProfileLink>,
    pub image: Option<String>,
    pub extra: Option<serde_json::Value>,
}

pub const PROFILE_FIELDS: &[&str] = &["name", "aliases", "title", "links", "image", "extra"];

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ProfileLink {
    pub title: String,
    pub url: String,
}
