//! `site.toml` → [`Config`]: the site's settings, validated once.
//!
//! A misspelt key is an error that names the line and suggests the key that was meant, because a
//! silently ignored setting is the hardest kind of bug for a site owner to find.

use std::path::Path;

use serde::Deserialize;

use crate::error::{suggest, Diagnostic, Error, Result};
use crate::layout::CONFIG_FILE;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Where the site is published. Its path (`/archive/` in `https://host/archive/`) is where
    /// the site lives on its host; links inside pages are relative, so they work there too.
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub author: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Episodes per page on a show's page.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Entries in each Atom feed. Podcast feeds list every episode: apps show what the feed
    /// holds as the back catalogue.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Whether to build the search index and the search page.
    #[serde(default = "default_search")]
    pub search: bool,
    #[serde(default)]
    pub transcripts: TranscriptSettings,
    #[serde(default)]
    pub speakers: SpeakerSettings,
    #[serde(default)]
    pub video: VideoSettings,
    #[serde(default)]
    pub search_index: SearchIndexSettings,
    /// Anything else, handed to templates as it is.
    #[serde(default)]
    pub extra: toml::Table,
}

/// How transcript bodies are read, and which transcript files are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptSettings {
    /// Labels that are not people (`Break`, `Jingle`, …), added to the built-in list.
    #[serde(default)]
    pub markers: Vec<String>,
    /// Labels that mean a different person in every episode (`Caller`), added to the built-in
    /// list.
    #[serde(default)]
    pub anonymous: Vec<String>,
    /// Let raw HTML in transcripts through to pages. Off by default: transcripts come from many
    /// hands, and text in them must never run as markup.
    #[serde(default)]
    pub allow_html: bool,
    /// Which transcript files each episode gets beside its page.
    #[serde(default = "default_formats")]
    pub formats: Vec<TranscriptFormat>,
    /// Which episodes get them.
    #[serde(default)]
    pub episodes: TranscriptEpisodes,
}

impl Default for TranscriptSettings {
    fn default() -> Self {
        TranscriptSettings {
            markers: Vec::new(),
            anonymous: Vec::new(),
            allow_html: false,
            formats: default_formats(),
            episodes: TranscriptEpisodes::default(),
        }
    }
}

/// A transcript file an episode can have beside its page. An unknown name in `site.toml` is
/// an error at its line, listing these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranscriptFormat {
    /// WebVTT: `transcript.vtt`.
    Vtt,
    /// SubRip: `transcript.srt`.
    Srt,
    /// The Podcasting 2.0 JSON transcript: `transcript.json`.
    Json,
    /// Plain text: `transcript.txt`.
    Txt,
}

/// Which episodes get transcript files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TranscriptEpisodes {
    /// Those in their show's podcast feed: the files are for podcast apps, which find them
    /// there. On a large archive most episodes may have no audio, and their files would be
    /// most of the output.
    #[default]
    InFeed,
    /// Every episode.
    All,
}

/// WebVTT for Apple Podcasts and browsers, which the podcast namespace advises when only one
/// format is written; JSON for the Podcasting 2.0 apps that read no WebVTT. SRT and text add
/// nothing an app needs and half again the output.
fn default_formats() -> Vec<TranscriptFormat> {
    vec![TranscriptFormat::Vtt, TranscriptFormat::Json]
}

/// What an episode page does with the video its `link` names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoSettings {
    /// Put the video on the page of an episode without audio, from YouTube's privacy-enhanced
    /// domain, loaded only when the reader presses play. Off by default: an embedded player is
    /// a request to another site, which a site owner must choose.
    #[serde(default)]
    pub embed: bool,
}

/// How the search index is built.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchIndexSettings {
    /// The index is made in parts of at most this many words of transcript, newest episodes
    /// first, each built, written and dropped before the next: building a part takes memory in
    /// proportion to its words, so this bounds the build's memory whatever the archive's size.
    #[serde(default = "default_words_per_part")]
    pub words_per_part: usize,
}

impl Default for SearchIndexSettings {
    fn default() -> Self {
        SearchIndexSettings {
            words_per_part: default_words_per_part(),
        }
    }
}

/// About 2,000 hour-long episodes: 1 to 1.5 GB of memory while the part is built, and an index
/// part whose common words a search downloads in a few hundred kilobytes.
fn default_words_per_part() -> usize {
    20_000_000
}

/// How labels become people.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerSettings {
    /// Resolve a label from what its episode says: `Full Name (XX)`, initials and first names
    /// of the people the episode names. Off, every label is taken as written.
    #[serde(default = "default_infer")]
    pub infer: bool,
    /// Patterns (regular expressions for the whole label, any case) of labels that name a role
    /// or a position rather than someone, added to the built-in ones.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Appearances listed in full on each page of a speaker, newest first; older ones go on
    /// `speakers/<slug>/page/2/` and on. A page of thousands weighs megabytes.
    #[serde(default = "default_appearances_per_page")]
    pub appearances_per_page: usize,
}

impl Default for SpeakerSettings {
    fn default() -> Self {
        SpeakerSettings {
            infer: default_infer(),
            roles: Vec::new(),
            appearances_per_page: default_appearances_per_page(),
        }
    }
}

/// About 100 kB of HTML in the default theme: a page that opens quickly on a phone.
fn default_appearances_per_page() -> usize {
    100
}

fn default_infer() -> bool {
    true
}

fn default_language() -> String {
    "en".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_paginate_by() -> usize {
    20
}

fn default_feed_limit() -> usize {
    50
}

fn default_search() -> bool {
    true
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "theme",
    "paginate_by",
    "feed_limit",
    "transcripts",
    "extra",
    "markers",
    "anonymous",
    "allow_html",
    "formats",
    "episodes",
    "speakers",
    "infer",
    "roles",
    "appearances_per_page",
    "video",
    "embed",
    "search_index",
    "words_per_part",
];

impl Config {
    /// Whether the site gets a search index and page: asked for in `site.toml`, and possible in
    /// a Verbatim built with the `search` feature.
    pub fn has_search(&self) -> bool {
        self.search && cfg!(feature = "search")
    }

    /// Reads `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        Config::parse(&text).map_err(|d| Error::Content(vec![d.with_path(CONFIG_FILE)]))
    }

    /// Parses the text of a `site.toml`; the diagnostic's path is left for the caller to set.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| toml_diagnostic(text, &e))?;
        config.validate().map_err(|(m, at)| {
            let d = Diagnostic::error("", m);
            match at.and_then(|needle| text.find(needle)) {
                Some(offset) => {
                    let (line, column) = line_and_column(text, offset);
                    d.at(line, column)
                }
                None => d,
            }
        })?;
        Ok(config)
    }

    /// The problem, and a piece of the file's text that locates it.
    fn validate(&self) -> std::result::Result<(), (String, Option<&str>)> {
        if self.paginate_by == 0 {
            return Err(("`paginate_by` must be at least 1".to_string(), None));
        }
        if self.speakers.appearances_per_page == 0 {
            return Err((
                "`[speakers] appearances_per_page` must be at least 1".to_string(),
                Some("appearances_per_page"),
            ));
        }
        if self.search_index.words_per_part == 0 {
            return Err((
                "`[search_index] words_per_part` must be at least 1".to_string(),
                Some("words_per_part"),
            ));
        }
        for pattern in &self.speakers.roles {
            // A pattern that compiles alone still does inside the classifier's `^(?:…)…$`.
            if let Err(e) = regex::Regex::new(pattern) {
                let why = e.to_string();
                let why = why.lines().last().unwrap_or_default().trim();
                return Err((
                    format!("`[speakers] roles`: `{pattern}` is not a regular expression ({why}): expected a pattern such as `chair(?:man|woman)?`"),
                    Some(pattern.as_str()),
                ));
            }
        }
        let absolute = ["http://", "https://", "/"]
            .iter()
            .any(|prefix| self.base_url.starts_with(prefix));
        if !self.base_url.is_empty() && !absolute {
            return Err((
                format!(
                    "`base_url` is `{}`: expected an absolute URL such as `https://example.org/archive/`",
                    self.base_url
                ),
                None,
            ));
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, rest)| rest.find('/').map_or("", |i| &rest[i..]))
            .unwrap_or(&self.base_url);
        let trimmed = after_scheme.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `https://host/` of `base_url`, for URLs from content that start with `/`; `/` when
    /// `base_url` has no host.
    pub fn origin(&self) -> String {
        match self.base_url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split('/').next().unwrap_or_default();
                format!("{scheme}://{host}/")
            }
            None => "/".to_string(),
        }
    }

    /// `base_url` with exactly one trailing slash, for absolute links in feeds and meta tags.
    pub fn absolute_base(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

fn toml_diagnostic(text: &str, error: &toml::de::Error) -> Diagnostic {
    let mut message = error.message().trim().to_string();
    if let Some(unknown) = unknown_field_name(&message) {
        if let Some(known) = suggest(unknown, KNOWN_KEYS) {
            message.push_str(&format!(" (did you mean `{known}`?)"));
        }
    }
    let diagnostic = Diagnostic::error("", message);
    match error.span() {
        Some(span) => {
            let (line, column) = line_and_column(text, span.start);
            diagnostic.at(line, column)
        }
        None => diagnostic,
    }
}

fn unknown_field_name(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_names_its_line_and_the_key_meant() {
        let err = Config::parse("title = \"A\"\nbase_ulr = \"https://x/\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("did you mean `base_url`?"),
            "{}",
            err.message
        );
    }

    #[test]
    fn base_path_comes_from_the_url() {
        let mut config = Config::parse("title = \"A\"").unwrap();
        assert_eq!(config.base_path(), "/");
        config.base_url = "https://host.example/archive".to_string();
        assert_eq!(config.base_path(), "/archive/");
        assert_eq!(config.absolute_base(), "https://host.example/archive/");
        config.base_url = "https://host.example/".to_string();
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn speaker_settings_default_to_inferring_and_a_bad_role_pattern_is_located() {
        let config = Config::parse("title = \"A\"").unwrap();
        assert!(config.speakers.infer);
        let config =
            Config::parse("title = \"A\"\n[speakers]\ninfer = false\nroles = [\"chair\"]\n")
                .unwrap();
        assert!(!config.speakers.infer);
        assert_eq!(config.speakers.roles, ["chair"]);
        let err = Config::parse("title = \"A\"\n[speakers]\nroles = [\"chair(\"]\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.contains("`chair(` is not a regular expression"),
            "{}",
            err.message
        );
    }

    // Issue 24: embedding a video is a request to YouTube, so it is off unless asked for, and a
    // misspelt key in its table is an error like any other.
    #[test]
    fn the_video_embed_is_opt_in_and_its_table_is_checked() {
        assert!(!Config::parse("title = \"A\"").unwrap().video.embed);
        let config = Config::parse("title = \"A\"\n[video]\nembed = true\n").unwrap();
        assert!(config.video.embed);
        let err = Config::parse("title = \"A\"\n[video]\nembedd = true\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("`embed`"), "{}", err.message);
        let err = Config::parse("title = \"A\"\n[video]\nembed = \"yes\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    // Issue 25: a host of 5,000 episodes had one speaker page of 4.4 MB. Their appearances go
    // 100 to a page now, which a site can change; none to a page is an error at its line.
    #[test]
    fn words_per_part_defaults_to_twenty_million_and_must_be_at_least_1() {
        let config = Config::parse("title = \"A\"\n").unwrap();
        assert_eq!(config.search_index.words_per_part, 20_000_000);
        let config = Config::parse("title = \"A\"\n[search_index]\nwords_per_part = 5000\n");
        assert_eq!(config.unwrap().search_index.words_per_part, 5000);
        let error =
            Config::parse("title = \"A\"\n[search_index]\nwords_per_part = 0\n").unwrap_err();
        assert!(error.message.contains("at least 1"), "{}", error.message);
        assert_eq!(error.line, Some(3));
    }

    #[test]
    fn appearances_per_page_defaults_to_100_and_must_be_at_least_1() {
        let config = Config::parse("title = \"A\"").unwrap();
        assert_eq!(config.speakers.appearances_per_page, 100);
        let config = Config::parse("title = \"A\"\n[speakers]\nappearances_per_page = 30\n");
        assert_eq!(config.unwrap().speakers.appearances_per_page, 30);
        let err =
            Config::parse("title = \"A\"\n[speakers]\nappearances_per_page = 0\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("at least 1"), "{}", err.message);
    }

    #[test]
    fn a_wrong_type_is_located() {
        let err = Config::parse("title = \"A\"\npaginate_by = \"ten\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn transcript_files_default_to_what_podcast_apps_read_for_episodes_in_a_feed() {
        let config = Config::parse("title = \"A\"").unwrap();
        assert_eq!(
            config.transcripts.formats,
            [TranscriptFormat::Vtt, TranscriptFormat::Json]
        );
        assert_eq!(config.transcripts.episodes, TranscriptEpisodes::InFeed);
        let config =
            Config::parse("title = \"A\"\n[transcripts]\nformats = []\nepisodes = \"all\"\n")
                .unwrap();
        assert!(config.transcripts.formats.is_empty());
        assert_eq!(config.transcripts.episodes, TranscriptEpisodes::All);
    }

    // Issue 25: which transcript files are written became a setting; a format Verbatim cannot
    // write must stop the build at its line, not be skipped.
    #[test]
    fn an_unknown_transcript_format_is_located_and_the_known_ones_listed() {
        let err = Config::parse(
            "title = \"A\"\n[transcripts]\nformats = [\n  \"vtt\",\n  \"html\",\n]\n",
        )
        .unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (Some(5), Some(3)),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("`html`") && err.message.contains("`vtt`, `srt`, `json`, `txt`"),
            "{}",
            err.message
        );
        let err = Config::parse("title = \"A\"\n[transcripts]\nepisodes = \"feed\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.contains("`in-feed` or `all`"),
            "{}",
            err.message
        );
    }
}
