//! Disk → [`Sources`]: the sorted walk of `content/` and the reading of each file.
//!
//! Load knows where things live on disk and how files are encoded; it knows nothing of what a
//! turn or a speaker is. Files are read and split on all cores, and every problem in every
//! file is gathered so that one run reports them all.

pub mod front_matter;

use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::Diagnostic;
use crate::layout::{SiteLayout, CONTENT_DIR, SHOW_FILE, SPEAKERS_DIR};
use crate::model::source::{
    EpisodeFront, EpisodeSource, Origin, ProfileSource, ShowSource, Sources, EPISODE_FIELDS,
    PROFILE_FIELDS, SHOW_FIELDS,
};
use crate::model::{EpisodeFiles, TranscriptReader};

/// The largest file `content/` may hold, episode or transcript: far above any real transcript
/// (a ten-hour episode is about 1 MB), and low enough that a stray disk image cannot exhaust
/// the memory of a build.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What loading found: the sources, and the problems (errors and warnings) on the way.
pub struct Loaded {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a file under `content/` is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Show { folder: String },
    Episode { folder: String, stem: String },
    Profile { stem: String },
    Stray,
}

/// Walks `root/content` and reads every Markdown file in it.
pub fn load(root: &Path) -> Loaded {
    let content = SiteLayout::new(root).content();
    let files = match markdown_files(&content) {
        Ok(files) => files,
        Err(diagnostic) => {
            return Loaded {
                sources: Sources::default(),
                diagnostics: vec![diagnostic],
            }
        }
    };
    let results: Vec<(Option<SourceFile>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|relative| load_file(root, relative))
        .collect();
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    for (loaded, problems) in results {
        diagnostics.extend(problems);
        match loaded {
            Some(SourceFile::Show(s)) => sources.shows.push(*s),
            Some(SourceFile::Episode(e)) => sources.episodes.push(*e),
            Some(SourceFile::Profile(p)) => sources.profiles.push(*p),
            None => {}
        }
    }
    Loaded {
        sources,
        diagnostics,
    }
}

/// What loading finds before any episode is read: the shows and profiles, the episode files
/// still to read, and the problems found on the way.
pub struct Site {
    pub sources: Sources,
    /// Relative to the site root, in a stable order; for the model to read one by one
    /// ([`ContentFiles`]), so that the text of every episode is never in memory at once.
    pub episodes: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `root/content`: reads its shows, profiles and stray files, and lists its episodes.
pub fn load_site(root: &Path) -> Site {
    let content = SiteLayout::new(root).content();
    let files = match markdown_files(&content) {
        Ok(files) => files,
        Err(diagnostic) => {
            return Site {
                sources: Sources::default(),
                episodes: Vec::new(),
                diagnostics: vec![diagnostic],
            }
        }
    };
    let (episodes, others): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|relative| matches!(role_of(relative), Role::Episode { .. }));
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let loaded: Vec<(Option<SourceFile>, Vec<Diagnostic>)> = others
        .par_iter()
        .map(|relative| load_file(root, relative))
        .collect();
    for (loaded, problems) in loaded {
        diagnostics.extend(problems);
        match loaded {
            Some(SourceFile::Show(s)) => sources.shows.push(*s),
            Some(SourceFile::Profile(p)) => sources.profiles.push(*p),
            Some(SourceFile::Episode(e)) => sources.episodes.push(*e),
            None => {}
        }
    }
    Site {
        sources,
        episodes,
        diagnostics,
    }
}

/// The episode files of a site, for the model to read, and read again (see `model::Bodies`).
pub struct ContentFiles {
    root: PathBuf,
    transcripts: Arc<dyn TranscriptReader + Send>,
}

impl ContentFiles {
    /// The files of the site in `root`, their transcripts parsed by `transcripts`.
    pub fn new(root: &Path, transcripts: Arc<dyn TranscriptReader + Send>) -> ContentFiles {
        ContentFiles {
            root: root.to_path_buf(),
            transcripts,
        }
    }
}

impl EpisodeFiles for ContentFiles {
    fn read(&self, path: &Path) -> (Option<EpisodeSource>, Vec<Diagnostic>) {
        match load_file(&self.root, path) {
            (Some(SourceFile::Episode(episode)), problems) => (Some(*episode), problems),
            (_, problems) => (None, problems),
        }
    }

    fn transcripts(&self) -> &dyn TranscriptReader {
        &*self.transcripts
    }
}

/// A hash of what an episode was read from, to tell whether a second read found the same.
/// Only compared within one run, so a fast hash with a fixed seed does: every byte of the
/// archive goes through it twice in a build, and the standard hasher (SipHash) spends time on
/// resisting chosen inputs, which nothing here needs.
fn fingerprint(parts: &[&[u8]]) -> u64 {
    foldhash::fast::FixedState::default().hash_one(parts)
}

/// Markdown files under `content/`, relative to the site root, in a stable order. Hidden
/// files and folders are skipped: editors and version control keep their own files there.
fn markdown_files(content: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    // A missing `content/` is a mistake (a wrong `--root`, a checkout in progress), never an
    // archive of nothing: building it would replace a good site with an empty one.
    let expected = format!("expected a folder `{CONTENT_DIR}/` of transcripts beside `site.toml`");
    let problem = match std::fs::metadata(content) {
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => Some(format!(
            "not a folder, but a file: {expected}; episodes go in {CONTENT_DIR}/<show>/"
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "not found: {expected}; `verbatim init` starts a new site"
        )),
        Err(e) => Some(format!("cannot read: {e}: {expected}")),
    };
    if let Some(message) = problem {
        return Err(Diagnostic::error(CONTENT_DIR, message).kind("content"));
    }
    let root = content.parent().unwrap_or(content);
    let mut files = Vec::new();
    let walk = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(content).to_path_buf();
            Diagnostic::error(path, format!("cannot read: {e}"))
        })?;
        let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
        if entry.file_type().is_file() && is_markdown {
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(relative.to_path_buf());
        }
    }
    Ok(files)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// One file's worth of source; boxed because episodes are far larger than the rest.
pub enum SourceFile {
    Show(Box<ShowSource>),
    Episode(Box<EpisodeSource>),
    Profile(Box<ProfileSource>),
}

/// Reads one file under `content/`, given relative to the site root.
pub fn load_file(root: &Path, relative: &Path) -> (Option<SourceFile>, Vec<Diagnostic>) {
    let role = role_of(relative);
    if role == Role::Stray {
        let warning = Diagnostic::warning(
            relative,
            "not inside a show folder: ignored (episodes go in content/<show>/)",
        )
        .kind("stray-file");
        return (None, vec![warning]);
    }
    let text = match read_text(&root.join(relative), relative) {
        Ok(text) => text,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    match parse_file(relative, role, &text) {
        Ok((Some(SourceFile::Episode(episode)), warnings)) => {
            with_transcript_file(root, *episode, warnings)
        }
        Ok((loaded, warnings)) => (loaded, warnings),
        Err(diagnostic) => (None, vec![diagnostic]),
    }
}

/// An episode whose front matter names a `transcript:` file next to it takes its body from
/// that file, read by the importer's readers, instead of from the Markdown after the front
/// matter.
fn with_transcript_file(
    root: &Path,
    mut episode: EpisodeSource,
    mut warnings: Vec<Diagnostic>,
) -> (Option<SourceFile>, Vec<Diagnostic>) {
    let Some(name) = episode.front.transcript.clone() else {
        return (Some(SourceFile::Episode(Box::new(episode))), warnings);
    };
    let relative = episode.origin.path.clone();
    let line = episode.origin.field_line("transcript");
    match transcript_body(root, &relative, &name, line) {
        Ok(body) => {
            if !episode.body.trim().is_empty() {
                warnings.push(
                    Diagnostic::warning(
                        &relative,
                        format!("the body is not used: `transcript: {name}` gives the transcript"),
                    )
                    .kind("transcript")
                    .at_line(episode.origin.body_line),
                );
            }
            episode.fingerprint =
                fingerprint(&[&episode.fingerprint.to_le_bytes(), body.as_bytes()]);
            episode.body = body;
            (Some(SourceFile::Episode(Box::new(episode))), warnings)
        }
        Err(diagnostic) => {
            warnings.push(diagnostic);
            (None, warnings)
        }
    }
}

/// The body made from the transcript file `name`, which must sit beside the episode (or in a
/// folder below it) and, links followed, be a regular file inside `content/`: an episode
/// cannot read files from elsewhere on the disk.
fn transcript_body(
    root: &Path,
    relative: &Path,
    name: &str,
    line: usize,
) -> Result<String, Diagnostic> {
    let file = Path::new(name.trim());
    let beside = !name.trim().is_empty()
        && file
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !beside {
        return Err(Diagnostic::error(
            relative,
            format!("`transcript: {name}`: expected the name of a file beside the episode, such as interview.vtt"),
        )
        .kind("transcript")
        .at_line(line));
    }
    let caption = relative.parent().unwrap_or(Path::new("")).join(file);
    let bytes = read_inside_content(root, &caption, MAX_FILE_BYTES).map_err(|problem| {
        Diagnostic::error(relative, format!("`transcript: {name}`: {problem}"))
            .kind("transcript")
            .at_line(line)
    })?;
    crate::import::transcript_body(&caption, &bytes)
}

/// Reads `caption` (relative to `root`) after following every link in its path, refusing a
/// file that ends up outside `content/`: a `transcript:` link must never publish a file from
/// elsewhere on the disk. The error says what was wrong, for the caller to place.
fn read_inside_content(root: &Path, caption: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", caption.display());
    let content = SiteLayout::new(root)
        .content()
        .canonicalize()
        .map_err(cannot_read)?;
    let real = root.join(caption).canonicalize().map_err(cannot_read)?;
    if !real.starts_with(&content) {
        return Err(format!(
            "{} leads outside the site's content/ folder: expected a file inside content/ (a link may only point to a file in content/)",
            caption.display()
        ));
    }
    read_regular_file(&real, limit).map_err(|problem| format!("{}: {problem}", caption.display()))
}

/// The bytes of a regular file of at most `limit` bytes. A pipe, a device, a socket or a folder
/// is refused from its metadata before it is opened: reading a pipe waits for ever and a
/// device such as /dev/zero never ends. The size is checked again while reading, for a file
/// that grows in the meantime.
fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let not_regular = "not a regular file (a folder, a pipe or a device): expected a text file";
    let too_large = |size: u64| {
        format!(
            "too large ({size} bytes): a file in content/ may hold at most {} MiB",
            limit / (1024 * 1024)
        )
    };
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !metadata.is_file() {
        return Err(not_regular.to_string());
    }
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    // What was opened may not be what was looked at, if the path changed in between.
    let opened = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !opened.is_file() {
        return Err(not_regular.to_string());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn role_of(relative: &Path) -> Role {
    let parts: Vec<String> = relative
        .iter()
        .skip(1)
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_string();
    match parts.as_slice() {
        [_] => Role::Stray,
        [folder, file] if folder == SPEAKERS_DIR && file != SHOW_FILE => {
            Role::Profile { stem: stem(file) }
        }
        [folder, file] if file == SHOW_FILE => Role::Show {
            folder: folder.clone(),
        },
        [folder, .., file] if folder != SPEAKERS_DIR && file != SHOW_FILE => Role::Episode {
            folder: folder.clone(),
            stem: stem(file),
        },
        _ => Role::Stray,
    }
}

/// Reads a file as UTF-8 text, without a byte-order mark and with `\n` line ends.
fn read_text(path: &Path, relative: &Path) -> Result<String, Diagnostic> {
    let bytes = read_regular_file(path, MAX_FILE_BYTES)
        .map_err(|problem| Diagnostic::error(relative, problem))?;
    decode_text(bytes, relative)
}

/// One file under `content/` from its bytes, as [`load_file`] reads it once the file is read,
/// but without reading the file a `transcript:` field names: nothing is read from disk. The
/// fuzz targets (`fuzz/`) and their replay test use it.
pub fn parse_source(relative: &Path, bytes: &[u8]) -> (Option<SourceFile>, Vec<Diagnostic>) {
    let text = match decode_text(bytes.to_vec(), relative) {
        Ok(text) => text,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    match parse_file(relative, role_of(relative), &text) {
        Ok((loaded, warnings)) => (loaded, warnings),
        Err(diagnostic) => (None, vec![diagnostic]),
    }
}

/// The text of a file's bytes, taken over rather than copied: every episode file of a build is
/// read twice, and is its own text but for a byte order mark or Windows line ends.
fn decode_text(mut bytes: Vec<u8>, relative: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = crate::text::line_column(e.as_bytes(), e.utf8_error().valid_up_to());
        Diagnostic::error(relative, "not valid UTF-8 text: save the file as UTF-8")
            .kind("encoding")
            .at(line, column)
    })?;
    Ok(match memchr::memchr(b'\r', text.as_bytes()) {
        Some(_) => text.replace("\r\n", "\n"),
        None => text,
    })
}

fn parse_file(
    relative: &Path,
    role: Role,
    text: &str,
) -> Result<(Option<SourceFile>, Vec<Diagnostic>), Diagnostic> {
    let split = front_matter::split(text).map_err(|message| {
        Diagnostic::error(relative, message)
            .kind("front-matter")
            .at(1, 1)
    })?;
    let origin = Origin {
        path: relative.to_path_buf(),
        body_line: split.body_line,
        field_lines: front_matter::field_lines(&split),
    };
    let body = split.body.to_string();
    let loaded = match role {
        Role::Show { folder } => {
            let (front, warnings) = front_matter::parse(relative, &split, SHOW_FIELDS)?;
            let show = ShowSource {
                origin,
                folder,
                front,
                body,
            };
            (Some(SourceFile::Show(Box::new(show))), warnings)
        }
        Role::Episode { folder, stem } => {
            if text.trim().is_empty() {
                let warning =
                    Diagnostic::warning(relative, "empty file: skipped").kind("empty-file");
                return Ok((None, vec![warning]));
            }
            let (front, mut warnings): (EpisodeFront, _) =
                front_matter::parse(relative, &split, EPISODE_FIELDS)?;
            if front.audio.is_some() && front.audio_length.is_none() {
                warnings.push(
                    Diagnostic::warning(
                        relative,
                        "`audio` has no `audio_length`: the podcast feed gives the enclosure length 0, which the RSS specification allows but some apps show as an unknown size; set it to the file's size in bytes",
                    )
                    .kind("audio-length")
                    .at_line(origin.field_line("audio")),
                );
            }
            let episode = EpisodeSource {
                origin,
                folder,
                stem,
                front,
                body,
                fingerprint: fingerprint(&[text.as_bytes()]),
            };
            (Some(SourceFile::Episode(Box::new(episode))), warnings)
        }
        Role::Profile { stem } => {
            let (front, warnings) = front_matter::parse(relative, &split, PROFILE_FIELDS)?;
            let profile = ProfileSource {
                origin,
                stem,
                front,
                body,
            };
            (Some(SourceFile::Profile(Box::new(profile))), warnings)
        }
        Role::Stray => (None, Vec::new()),
    };
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of one show and one episode, made into a model whose blocks are `bodies`.
    fn model_of(root: &Path, bodies: crate::model::Bodies) -> crate::model::Archive {
        let site = load_site(root);
        assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
        let classifier = crate::model::Classifier::new(&[], &[]);
        let options = crate::model::ModelOptions {
            drafts: false,
            classifier: &classifier,
            infer: true,
            reserved: &[],
            bodies,
        };
        let files = Arc::new(ContentFiles::new(root, Arc::new(crate::model::Afresh)));
        let (model, diagnostics) =
            crate::model::Model::read(site.sources, &site.episodes, files, &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        model.archive().archive
    }

    const EPISODE: &str = "---\ntitle: One\nspeakers: [Ann Lee]\n---\n\n## [00:00] Start\n\n**Ann Lee:** [00:05] Hello *there*.\n\n**Bo:** Hi.\n";

    fn site_with(episode: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let show = dir.path().join("content/show");
        std::fs::create_dir_all(&show).unwrap();
        std::fs::write(show.join("_index.md"), "---\ntitle: S\n---\n").unwrap();
        std::fs::write(show.join("one.md"), episode).unwrap();
        dir
    }

    /// A build no longer holds every transcript: the blocks read again for a page are exactly
    /// those the model first read, as a model that holds them has them.
    #[test]
    fn blocks_read_again_are_the_blocks_first_read() {
        let dir = site_with(EPISODE);
        let held = model_of(dir.path(), crate::model::Bodies::Held);
        let on_disk = model_of(dir.path(), crate::model::Bodies::OnDisk);
        let first = held.blocks(&held.episodes[0]).unwrap();
        let again = on_disk.blocks(&on_disk.episodes[0]).unwrap();
        assert_eq!(format!("{:?}", &*first), format!("{:?}", &*again));
        assert_eq!(again.turns().count(), 2);
        assert_eq!(on_disk.episodes[0].words(), held.episodes[0].words());
    }

    /// Read again, an episode edited (or deleted) since the model read it would give pages a
    /// transcript other than the one its statistics counted: it is an error naming the file.
    #[test]
    fn a_file_changed_since_the_first_read_is_an_error_naming_it() {
        let dir = site_with(EPISODE);
        let archive = model_of(dir.path(), crate::model::Bodies::OnDisk);
        let file = dir.path().join("content/show/one.md");
        std::fs::write(&file, EPISODE.replace("Hi.", "Hi again.")).unwrap();
        let error = archive
            .blocks(&archive.episodes[0])
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("content/show/one.md: error: "), "{error}");
        assert!(error.contains("changed during the build"), "{error}");
        std::fs::remove_file(&file).unwrap();
        let error = archive
            .blocks(&archive.episodes[0])
            .unwrap_err()
            .to_string();
        assert!(error.contains("changed during the build"), "{error}");
    }

    #[test]
    fn where_a_file_sits_says_what_it_is() {
        let role = |p: &str| role_of(Path::new(p));
        assert_eq!(
            role("content/gotime/_index.md"),
            Role::Show {
                folder: "gotime".into()
            }
        );
        assert_eq!(
            role("content/gotime/2020/ep-1.md"),
            Role::Episode {
                folder: "gotime".into(),
                stem: "ep-1".into()
            }
        );
        assert_eq!(
            role("content/speakers/ann-lee.md"),
            Role::Profile {
                stem: "ann-lee".into()
            }
        );
        assert_eq!(role("content/about.md"), Role::Stray);
        assert_eq!(role("content/gotime/2020/_index.md"), Role::Stray);
    }

    #[test]
    fn text_loses_its_bom_and_crlf_and_bad_bytes_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.md");
        std::fs::write(&good, b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\n").unwrap();
        assert_eq!(
            read_text(&good, Path::new("good.md")).unwrap(),
            "---\ntitle: A\n---\n"
        );
        let bad = dir.path().join("bad.md");
        std::fs::write(&bad, b"---\ntitle: \xff\n").unwrap();
        let err = read_text(&bad, Path::new("bad.md")).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(8)));
    }

    /// A cap that a test can reach with a few bytes: the file at the cap is read, one byte more
    /// is refused, so a /dev/zero-like file can never be read into memory whole.
    #[test]
    fn a_file_over_the_size_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.vtt");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular_file(&file, 10).unwrap().len(), 10);
        let refused = read_regular_file(&file, 9).unwrap_err();
        assert!(refused.starts_with("too large (10 bytes)"), "{refused}");
    }

    /// `/dev/zero` as a transcript once ate 8 GB: a device is refused from its metadata, and a
    /// folder too, before either is read.
    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        for path in [Path::new("/dev/zero"), dir.path()] {
            let refused = read_regular_file(path, MAX_FILE_BYTES).unwrap_err();
            assert!(refused.starts_with("not a regular file"), "{refused}");
        }
    }

    /// A FIFO named as a transcript, or saved as an episode, once hung the build for ever:
    /// opening it for reading waits for a writer that never comes.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(read_text(&fifo, Path::new("content/show/pipe.md")));
        });
        let outcome = receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("reading a pipe hung");
        let refused = outcome.unwrap_err();
        assert!(
            refused.message.starts_with("not a regular file"),
            "{refused}"
        );
    }
}
