//! Other transcript formats → episode files: `verbatim import`.
//!
//! Captions (WebVTT, SRT), speech-to-text output (Whisper, WhisperX), Podcasting 2.0 JSON and
//! text exports (Otter, plain `Name: text`) are each read into one common shape, a list of
//! [`Cue`]s, which [`turns::merge`] turns into the turns an episode file is made of. The format
//! is recognised from the content, since exports are often misnamed; the extension only breaks
//! a tie when the content says nothing.
//!
//! Importing writes new files under `content/` and nothing else: it never overwrites without
//! being asked, never half-writes a file, and never touches the model or the build.

mod captions;
mod episode;
mod exports;
mod json;
pub(crate) mod speech;
pub mod turns;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Diagnostic;
use crate::layout::{SiteLayout, CONTENT_DIR};
use crate::model::slug::slugify;
use crate::model::source::EpisodeSource;
use crate::model::{Classifier, Date};

pub use turns::{merge, Turn};

/// The latest time a transcript may give, in seconds: 1,000 hours. Far past any recording, and
/// a bound that keeps every time exact in milliseconds and writable as `[HHH:MM:SS]`, which the
/// loader reads back; a start of 1e300 once imported into a file no build could read.
pub const LATEST_SECONDS: f64 = 3_600_000.0;

/// The extensions of the transcript files `import` reads, and so of the files an episode's
/// `transcript:` may name.
pub const EXTENSIONS: [&str; 4] = ["vtt", "srt", "json", "txt"];

/// One stretch of speech as a source file times it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Seconds from the start; `None` for formats without times (plain text).
    pub start: Option<f64>,
    pub end: Option<f64>,
    /// The speaker's label as the file gives it (`Ann Lee`, `SPEAKER_00`, `Speaker 2`).
    pub speaker: Option<String>,
    /// Plain text: markup, inline timing tags and repeated caption lines already removed.
    pub text: String,
    /// The 1-based line of the file the cue comes from; 0 where the format has no useful lines
    /// (JSON, where a segment is found by its path instead).
    pub line: usize,
}

/// What a reader found in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub format: Format,
    pub cues: Vec<Cue>,
    pub title: Option<String>,
    pub language: Option<String>,
    /// Seconds, when the file says how long the audio is.
    pub duration: Option<f64>,
}

/// The formats Verbatim reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    WebVtt,
    Srt,
    Whisper,
    WhisperX,
    Podcasting,
    Otter,
    Plain,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::WebVtt => "WebVTT",
            Format::Srt => "SRT",
            Format::Whisper => "Whisper JSON",
            Format::WhisperX => "WhisperX JSON",
            Format::Podcasting => "Podcasting 2.0 JSON",
            Format::Otter => "Otter text",
            Format::Plain => "plain text",
        })
    }
}

/// The Markdown body made from a transcript file of any known format: how the loader reads an
/// episode whose front matter names a `transcript:` file.
pub fn transcript_body(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let imported = read(path, bytes)?;
    Ok(episode::write_body(&merge(&imported.cues)))
}

/// Reads a transcript file of any known format from its bytes. `path` names the file in
/// diagnostics and its extension breaks ties; nothing is read from disk here.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Imported, Diagnostic> {
    let text = speech::decode(path, bytes)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match detect(&text, extension.as_deref()) {
        Some(Detected::Vtt) => captions::read_vtt(path, &text),
        Some(Detected::Srt) => captions::read_srt(path, &text),
        Some(Detected::Json) => json::read(path, &text),
        Some(Detected::Otter) => exports::read_otter(path, &text),
        Some(Detected::Plain) => exports::read_plain(path, &text),
        None => Err(Diagnostic::error(
            path,
            "not a transcript Verbatim can read: expected WebVTT, SRT, Whisper or Podcasting 2.0 \
             JSON, Otter text (`Name  0:03` lines) or `Name: text` lines",
        )
        .kind("import")
        .at(1, 1)),
    }
}

enum Detected {
    Vtt,
    Srt,
    Json,
    Otter,
    Plain,
}

/// The format the content shows; the extension decides only when the content matches none,
/// so that a broken `.vtt` gets WebVTT's error rather than a shrug.
fn detect(text: &str, extension: Option<&str>) -> Option<Detected> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.trim_start().starts_with(['{', '[']) {
        return Some(Detected::Json);
    }
    if captions::is_vtt_header(first) {
        return Some(Detected::Vtt);
    }
    if captions::looks_like_srt(text) {
        return Some(Detected::Srt);
    }
    match extension {
        Some("vtt") => return Some(Detected::Vtt),
        Some("srt") => return Some(Detected::Srt),
        Some("json") => return Some(Detected::Json),
        _ => {}
    }
    if exports::is_otter_heading(first) {
        return Some(Detected::Otter);
    }
    text.lines()
        .any(|l| speech::speaker_prefix(l.trim()).is_some())
        .then_some(Detected::Plain)
}

/// What `verbatim import` was asked to do, besides which files.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The show's slug: files go into `content/<show>/`.
    pub show: String,
    /// `LABEL=Name` pairs: who a label in the files is.
    pub speakers: Vec<(String, String)>,
    /// The title, for a single file; otherwise the file's own, or one made from its name.
    pub title: Option<String>,
    /// The publication date given to every episode.
    pub date: Option<String>,
    /// Replace episode files that already exist.
    pub force: bool,
}

/// A request that cannot be carried out for any file.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RefusedImport(String);

/// One episode file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Relative to the site folder: `content/show/slug.md`.
    pub path: PathBuf,
    pub input: PathBuf,
    pub format: Format,
    pub turns: usize,
    pub words: usize,
}

impl fmt::Display for Written {
    /// `content/show/slug.md: 12 turns, 1,234 words from interview.vtt (WebVTT)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = self.input.file_name().map_or_else(
            || self.input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        write!(
            f,
            "{}: {} {}, {} {} from {input} ({})",
            self.path.display(),
            thousands(self.turns),
            if self.turns == 1 { "turn" } else { "turns" },
            thousands(self.words),
            if self.words == 1 { "word" } else { "words" },
            self.format
        )
    }
}

/// Parses `--speaker LABEL=Name`.
pub fn parse_speaker_mapping(text: &str) -> Result<(String, String), String> {
    let (label, name) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected LABEL=Name, as in SPEAKER_00=Ann Lee"))?;
    let (label, name) = (label.trim(), name.trim());
    if label.is_empty() || name.is_empty() {
        return Err(format!(
            "`{text}`: expected LABEL=Name, as in SPEAKER_00=Ann Lee"
        ));
    }
    Ok((label.to_string(), name.to_string()))
}

/// Imports every file, each on its own: a bad file is reported and the rest still imported.
/// One result per file, in order. Fails as a whole only when the request itself is wrong.
/// `site_episodes` gives the episodes the site already has (`pipeline::import` loads them);
/// it is asked only once the request is known to be good. Import does not load the site
/// itself, since the loader reads `transcript:` files through import.
pub fn import(
    root: &Path,
    files: &[PathBuf],
    options: &ImportOptions,
    site_episodes: impl FnOnce() -> Vec<EpisodeSource>,
) -> Result<Vec<Result<Written, Diagnostic>>, RefusedImport> {
    check_request(root, files, options)?;
    let config = Config::load(root).map_err(|e| RefusedImport(e.to_string()))?;
    let mut run = Run {
        root,
        options,
        classifier: Classifier::new(&config.transcripts.markers, &config.transcripts.anonymous)
            .with_roles(&config.speakers.roles),
        taken: BTreeSet::new(),
        episodes: episodes_of_show(site_episodes(), &options.show),
    };
    Ok(files.iter().map(|file| run.import_file(file)).collect())
}

fn check_request(
    root: &Path,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<(), RefusedImport> {
    let refuse = |message: String| Err(RefusedImport(message));
    if !SiteLayout::new(root).config_file().is_file() {
        return refuse(format!(
            "{}: no site.toml here: run `verbatim import` in a site folder, or pass --root",
            root.display()
        ));
    }
    let show = options.show.as_str();
    if show.is_empty() || slugify(show) != show {
        return refuse(format!(
            "--show `{show}`: expected a show's slug (lower case, words joined by `-`), such as `{}`",
            slugify(show)
        ));
    }
    if crate::layout::RESERVED.contains(&show) {
        return refuse(format!(
            "--show `{show}`: the site's own pages use that name; choose another"
        ));
    }
    if options.title.is_some() && files.len() > 1 {
        return refuse("--title names one episode: import one file with it".to_string());
    }
    if let Some(date) = &options.date {
        if Date::parse(date.trim()).is_none() {
            return refuse(format!(
                "--date `{date}`: expected YYYY-MM-DD or an RFC 3339 date-time"
            ));
        }
    }
    Ok(())
}

/// One `verbatim import`: what every file shares, and the files it has written so far.
struct Run<'a> {
    root: &'a Path,
    options: &'a ImportOptions,
    classifier: Classifier,
    taken: BTreeSet<PathBuf>,
    /// The show's episodes already on disk, by slug: an import must not add a second one.
    episodes: BTreeMap<String, PathBuf>,
}

/// The episodes of `show` among the site's, by slug, wherever they sit: in a subfolder of the
/// show's folder, or elsewhere with `show:`, under their file name or their `slug:`.
fn episodes_of_show(episodes: Vec<EpisodeSource>, show: &str) -> BTreeMap<String, PathBuf> {
    episodes
        .iter()
        .filter(|episode| episode.show_slug() == show)
        .map(|episode| (episode.slug(), episode.origin.path.clone()))
        .collect()
}

impl Run<'_> {
    fn import_file(&mut self, file: &Path) -> Result<Written, Diagnostic> {
        let bytes = std::fs::read(file).map_err(|e| {
            Diagnostic::error(file, format!("cannot read the file: {e}")).kind("import")
        })?;
        let imported = read(file, &bytes)?;
        let turns = merge(&imported.cues);
        if turns.is_empty() {
            return Err(
                Diagnostic::error(file, "no speech in the file: every cue is empty").kind("import"),
            );
        }
        let title = self
            .options
            .title
            .clone()
            .or_else(|| imported.title.clone())
            .unwrap_or_else(|| title_from_file_name(file));
        let slug = slugify(&title);
        let relative = Path::new(CONTENT_DIR)
            .join(&self.options.show)
            .join(format!("{slug}.md"));
        if let Some(existing) = self.episodes.get(&slug).filter(|p| **p != relative) {
            return Err(Diagnostic::error(
                self.root.join(&relative),
                format!(
                    "the show already has an episode with the slug `{slug}`: {}; import {} with another --title (--force replaces only a file at this path)",
                    existing.display(),
                    file.display()
                ),
            )
            .kind("exists"));
        }
        if self.taken.contains(&relative) {
            return Err(Diagnostic::error(
                self.root.join(&relative),
                format!(
                    "another file of this import was just written here: import {} on its own with a --title",
                    file.display()
                ),
            )
            .kind("import"));
        }
        let episode = episode::EpisodeFile {
            title: &title,
            date: self.options.date.as_deref().map(str::trim),
            imported: &imported,
            turns: &turns,
            speaker_map: &self.options.speakers,
            classifier: &self.classifier,
        };
        let text = episode::render_episode(&episode);
        write_new(&self.root.join(&relative), &text, self.options.force)?;
        self.taken.insert(relative.clone());
        Ok(Written {
            path: relative,
            input: file.to_path_buf(),
            format: imported.format,
            turns: turns.len(),
            words: turns.iter().map(Turn::words).sum(),
        })
    }
}

/// Writes a whole file, or nothing: a new file is created only if none is there (unless
/// `force`), and a replacement goes through a temporary file renamed over the old one.
fn write_new(target: &Path, text: &str, force: bool) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(target, format!("cannot write the episode: {e}")).kind("import")
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    if !force {
        if target.exists() {
            return Err(
                Diagnostic::error(target, "already exists: pass --force to replace it")
                    .kind("exists"),
            );
        }
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .map_err(fail)?;
        return file.write_all(text.as_bytes()).map_err(|e| {
            // A half-written episode would break the next build: take it back.
            let _ = std::fs::remove_file(target);
            fail(e)
        });
    }
    let staging = target.with_extension("md.importing");
    // The staging file is created new too: a file of that name is the user's, not ours.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&staging)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .and_then(|()| std::fs::rename(&staging, target))
        .map_err(|e| {
            let _ = std::fs::remove_file(&staging);
            fail(e)
        })
}

/// `my-episode_final.vtt` → `My episode final`: what a person would have called it.
pub fn title_from_file_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: Vec<&str> = stem
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

/// `1234` → `1,234`.
fn thousands(n: usize) -> String {
    crate::text::thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_file_name(Path::new("dir/my-episode_final.vtt")),
            "My episode final"
        );
        assert_eq!(title_from_file_name(Path::new("NPR_42.srt")), "NPR 42");
    }

    #[test]
    fn counts_read_like_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn speaker_mappings() {
        assert_eq!(
            parse_speaker_mapping("SPEAKER_00=Ann Lee"),
            Ok(("SPEAKER_00".into(), "Ann Lee".into()))
        );
        assert!(parse_speaker_mapping("SPEAKER_00").is_err());
        assert!(parse_speaker_mapping("=Ann").is_err());
    }

    #[test]
    fn the_content_decides_the_format_and_the_extension_breaks_ties() {
        let detected = |text: &str, ext| match detect(text, ext) {
            Some(Detected::Vtt) => "vtt",
            Some(Detected::Srt) => "srt",
            Some(Detected::Json) => "json",
            Some(Detected::Otter) => "otter",
            Some(Detected::Plain) => "plain",
            None => "none",
        };
        assert_eq!(
            detected("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", Some("txt")),
            "vtt"
        );
        assert_eq!(
            detected("1\n00:00:01,000 --> 00:00:02,000\nHi\n", Some("vtt")),
            "srt"
        );
        assert_eq!(detected("  {\"segments\": []}", None), "json");
        assert_eq!(detected("Ann Lee  0:03\nHello.\n", None), "otter");
        assert_eq!(detected("Ann: Hello.\nBo: Hi.\n", None), "plain");
        assert_eq!(detected("just some words\n", Some("vtt")), "vtt");
        assert_eq!(detected("just some words\n", Some("txt")), "none");
    }
}
