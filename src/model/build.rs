//! [`Sources`] → [`Model`]: each file validated and parsed, labels resolved to speakers; the
//! model then assembles the archive (`assemble.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::assemble::assemble;
use super::bodies::{Bodies, EpisodeFiles, Reread};
use super::excerpt::opening_words;
use super::resolve::{Context, LabelUse, Resolver};
use super::slug::{is_blank, name_key, slug_problem, slugify};
use super::source::{EpisodeSource, ProfileSource, ShowSource, Sources};
use super::speakers::{Classifier, Directory};
use super::time::push_padded;
use super::transcript::{self, Afresh, RawBlock, TranscriptReader};
use super::{Archive, Audio, Block, Chapter, Credit, Episode, Profile, Show, ShowId, Turn, Voice};
use crate::error::Diagnostic;

/// What making the model depends on besides the sources: the settings that decide what an
/// episode reads as, and whether the model holds the blocks. (`pipeline::BuildOptions` is what
/// a build was asked to do; it makes these.)
pub struct ModelOptions<'a> {
    /// Keep episodes marked `draft: true`.
    pub drafts: bool,
    pub classifier: &'a Classifier,
    /// Resolve labels from what each episode says of itself (`[speakers] infer`).
    pub infer: bool,
    /// Top-level names the site itself uses (`speakers`, `tags`, files in `static/`): a show
    /// cannot take them.
    pub reserved: &'a [String],
    /// Whether each episode keeps its blocks, or has them read again when asked for. Sources
    /// given in memory ([`Model::new`]) cannot be read again: they are always held.
    pub bodies: Bodies,
}

/// The archive and every problem found while making it. The archive is only fit to render
/// when no diagnostic is an error.
pub struct Built {
    pub archive: Archive,
    pub diagnostics: Vec<Diagnostic>,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The archive's parts kept apart, so that one episode can be re-read and the archive
/// assembled again without parsing the others: what `serve` does after an edit.
pub struct Model {
    shows: Vec<Show>,
    profiles: BTreeMap<String, Profile>,
    /// What reading an episode depends on besides its file; shared with `reread`.
    reading: Arc<Reading>,
    drafts: bool,
    /// By file, so an edited file replaces its own episode.
    episodes: BTreeMap<std::path::PathBuf, Arc<Episode>>,
    /// How blocks not held are read again: `None` when they are held.
    reread: Option<Arc<Reread>>,
}

/// What reading one episode depends on besides its file and the transcript reader.
pub(super) struct Reading {
    show_ids: HashMap<String, ShowId>,
    directory: Directory,
    classifier: Classifier,
    infer: bool,
}

impl Reading {
    pub(super) fn context<'a>(
        &'a self,
        transcripts: &'a dyn TranscriptReader,
    ) -> EpisodeContext<'a> {
        EpisodeContext {
            show_ids: &self.show_ids,
            directory: &self.directory,
            classifier: &self.classifier,
            infer: self.infer,
            transcripts,
            summarise: true,
        }
    }
}

/// One episode file as first read, on the pool: where it sits, and the episode or the error.
type FirstRead = (
    Option<(Placement, Result<Unplaced, Diagnostic>)>,
    Vec<Diagnostic>,
);

impl Model {
    /// Parses every source given in memory (episodes on all cores), each transcript through
    /// `transcripts`; returns the problems found on the way. The blocks are held.
    pub fn new(
        sources: Sources,
        transcripts: &dyn TranscriptReader,
        options: &ModelOptions<'_>,
    ) -> (Model, Vec<Diagnostic>) {
        let Sources {
            shows,
            episodes,
            profiles,
        } = sources;
        let sources = Sources {
            shows,
            profiles,
            episodes: Vec::new(),
        };
        let loaded = episodes
            .into_par_iter()
            .map(|source| (Some(source), Vec::new()));
        Model::make(sources, loaded, transcripts, options, None)
    }

    /// Reads each episode file of `episodes` through `files`, on all cores, each dropped as
    /// soon as its episode is made, so that no more than a file per core is in memory at once;
    /// `sources` holds the shows and profiles. With [`Bodies::OnDisk`], `files` reads an
    /// episode again whenever its blocks are asked for.
    pub fn read(
        sources: Sources,
        episodes: &[std::path::PathBuf],
        files: Arc<dyn EpisodeFiles>,
        options: &ModelOptions<'_>,
    ) -> (Model, Vec<Diagnostic>) {
        let loaded = episodes.par_iter().map(|path| files.read(path));
        let reread = (options.bodies == Bodies::OnDisk).then(|| Arc::clone(&files));
        Model::make(sources, loaded, files.transcripts(), options, reread)
    }

    /// The model from its sources, the episodes coming from `loaded` in file order.
    fn make(
        sources: Sources,
        loaded: impl IndexedParallelIterator<Item = (Option<EpisodeSource>, Vec<Diagnostic>)>,
        transcripts: &dyn TranscriptReader,
        options: &ModelOptions<'_>,
        reread: Option<Arc<dyn EpisodeFiles>>,
    ) -> (Model, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let (directory, profiles) = read_profiles(sources.profiles, &mut diagnostics);
        let mut shows = read_shows(sources.shows, options.reserved, &mut diagnostics);
        let mut reading = Reading {
            show_ids: HashMap::new(),
            directory,
            classifier: options.classifier.clone(),
            infer: options.infer,
        };
        let hold = reread.is_none();
        // Which show an episode is in is known only once every episode has said whether it
        // names one: each is read without its show, and placed after.
        let read: Vec<FirstRead> = {
            let context = reading.context(transcripts);
            loaded
                .map(|(source, problems)| {
                    let source = source.filter(|e| options.drafts || !e.front.draft);
                    let read = source.map(|source| read_unplaced(source, &context, hold));
                    (read, problems)
                })
                .collect()
        };
        let mut unplaced = Vec::with_capacity(read.len());
        for (read, problems) in read {
            diagnostics.extend(problems);
            unplaced.extend(read);
        }
        let placements = unplaced.iter().map(|(placement, _)| placement);
        add_implicit_shows(&mut shows, placements, options.reserved, &mut diagnostics);
        reading.show_ids = shows
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), ShowId::new(i)))
            .collect();
        let reading = Arc::new(reading);
        let mut model = Model {
            shows,
            profiles,
            reading: Arc::clone(&reading),
            drafts: options.drafts,
            episodes: BTreeMap::new(),
            reread: reread.map(|files| Arc::new(Reread::new(reading, files))),
        };
        for (_, read) in unplaced {
            match read.and_then(|read| read.place(&model.reading.show_ids)) {
                Ok((episode, warnings)) => {
                    diagnostics.extend(warnings);
                    model
                        .episodes
                        .insert(episode.path.clone(), Arc::new(episode));
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        (model, diagnostics)
    }

    /// Whether an episode in `folder` belongs to a show this model knows.
    pub fn knows_show(&self, folder: &str) -> bool {
        self.reading.show_ids.contains_key(&slugify(folder))
    }

    /// Reads one episode again; a draft (without drafts) or a file in error leaves the archive.
    /// The edited episode holds its blocks, whatever the others do.
    pub fn update(&mut self, source: EpisodeSource) -> Result<(), Diagnostic> {
        let path = source.origin.path.clone();
        self.episodes.remove(&path);
        if source.front.draft && !self.drafts {
            return Ok(());
        }
        // Like the loader's warnings, an edit's warnings are for `build` and `check` to list.
        let (episode, _warnings) = read_episode(source, &self.reading.context(&Afresh))?;
        self.episodes.insert(path, Arc::new(episode));
        Ok(())
    }

    /// Forgets the episode of a deleted file.
    pub fn remove(&mut self, path: &std::path::Path) {
        self.episodes.remove(path);
    }

    /// The archive as it stands, with the problems only the whole archive shows.
    pub fn archive(&self) -> Built {
        let episodes: Vec<Arc<Episode>> = self.episodes.values().cloned().collect();
        let mut diagnostics = Vec::new();
        check_duplicate_slugs(&episodes, &self.shows, &mut diagnostics);
        diagnostics.extend(episodes.iter().flat_map(|e| e.notes.iter().cloned()));
        let mut archive = assemble(self.shows.clone(), episodes, self.profiles.clone());
        archive.reread = self.reread.clone();
        Built {
            archive,
            diagnostics,
        }
    }
}

pub(super) fn newest_first(a: &Episode, b: &Episode, shows: &[Show]) -> std::cmp::Ordering {
    let undated = |e: &Episode| e.date.is_none();
    undated(a)
        .cmp(&undated(b))
        .then_with(|| b.date.cmp(&a.date))
        .then_with(|| shows[a.show].slug.cmp(&shows[b.show].slug))
        .then_with(|| b.number.cmp(&a.number))
        .then_with(|| a.slug.cmp(&b.slug))
}

fn read_profiles(
    sources: Vec<ProfileSource>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Directory, BTreeMap<String, Profile>) {
    let mut directory = Directory::default();
    let mut profiles: BTreeMap<String, Profile> = BTreeMap::new();
    let mut slugs: HashMap<String, std::path::PathBuf> = HashMap::new();
    for source in sources {
        let slug = slugify(&source.stem);
        let name = source
            .front
            .name
            .clone()
            .unwrap_or_else(|| source.stem.replace('-', " "));
        let line = |field: &str| source.origin.field_line(field);
        let problem = if slug.is_empty() {
            Some(("the file name gives no slug: name the file after the person, such as `jose-nunez.md`".to_string(), 1))
        } else if is_blank(&name) {
            Some((
                "`name` is blank: expected the person's name".to_string(),
                line("name"),
            ))
        } else if let Some(other) = slugs.get(&slug) {
            Some((
                format!(
                    "the slug `{slug}` is already taken by {}: rename one of the files",
                    other.display()
                ),
                1,
            ))
        } else if directory.knows(&name) && directory.resolve(&name) != name_key(&name) {
            Some((
                format!("the name `{name}` is already taken by another profile"),
                line("name").max(2),
            ))
        } else {
            None
        };
        if let Some((message, line)) = problem {
            diagnostics.push(Diagnostic::error(&source.origin.path, message).at_line(line));
            continue;
        }
        slugs.insert(slug.clone(), source.origin.path.clone());
        // The profile claims the names it lists, never the ones that merely share its slug.
        let key = name_key(&name);
        directory.add(&name, &key);
        for alias in source.front.aliases.iter().filter(|a| !is_blank(a)) {
            directory.add(alias, &key);
        }
        let profile = Profile {
            name,
            slug,
            aliases: source.front.aliases,
            title: source.front.title,
            links: source.front.links,
            image: source.front.image,
            bio: source.body,
            extra: source.front.extra.unwrap_or_default(),
            path: source.origin.path,
            body_line: source.origin.body_line,
            field_lines: source.origin.field_lines,
        };
        profiles.insert(key, profile);
    }
    (directory, profiles)
}

fn read_shows(
    sources: Vec<ShowSource>,
    reserved: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Show> {
    let mut shows = Vec::new();
    for source in sources {
        let slug = slugify(&source.folder);
        if let Some(problem) = reserved_problem(&slug, reserved).or_else(|| folder_problem(&slug)) {
            diagnostics.push(
                Diagnostic::error(&source.origin.path, problem)
                    .kind("reserved-name")
                    .at_line(1),
            );
            continue;
        }
        let front = source.front;
        shows.push(Show {
            title: front.title.unwrap_or_else(|| source.folder.clone()),
            slug,
            description: front.description,
            body: source.body,
            author: front.author,
            image: front.image,
            language: front.language,
            category: front.category,
            explicit: front.explicit.unwrap_or(false),
            kind: front.kind,
            link: front.link,
            copyright: front.copyright,
            guid: front.guid,
            extra: front.extra.unwrap_or_default(),
            path: Some(source.origin.path),
            body_line: source.origin.body_line,
            field_lines: source.origin.field_lines,
            episodes: Vec::new(),
        });
    }
    shows
}

/// A folder whose name has nothing to make an address of (only spaces) would put the show at
/// the site's root.
fn folder_problem(slug: &str) -> Option<String> {
    slug.is_empty().then(|| {
        "the show's folder name gives no slug: expected a folder such as `my-show`: letters, digits and hyphens".to_string()
    })
}

fn reserved_problem(slug: &str, reserved: &[String]) -> Option<String> {
    reserved.iter().any(|r| r == slug).then(|| {
        format!("a show cannot be called `{slug}`: the site uses /{slug}/ for itself; rename the folder")
    })
}

/// Where an episode file sits, and whether it names its show: what decides the shows that
/// have no `_index.md`.
pub(super) struct Placement {
    folder: String,
    names_show: bool,
    path: std::path::PathBuf,
}

/// A folder of episodes without `_index.md` is still a show, named after the folder.
fn add_implicit_shows<'a>(
    shows: &mut Vec<Show>,
    episodes: impl Iterator<Item = &'a Placement>,
    reserved: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for episode in episodes {
        let slug = slugify(&episode.folder);
        if shows.iter().any(|s| s.slug == slug) || episode.names_show {
            continue;
        }
        if let Some(problem) = reserved_problem(&slug, reserved).or_else(|| folder_problem(&slug)) {
            diagnostics.push(Diagnostic::error(&episode.path, problem).kind("reserved-name"));
            continue;
        }
        shows.push(Show::bare(slug, episode.folder.clone()));
    }
    shows.sort_by(|a, b| a.slug.cmp(&b.slug));
}

/// What reading one episode depends on besides its own file.
pub(super) struct EpisodeContext<'a> {
    show_ids: &'a HashMap<String, ShowId>,
    directory: &'a Directory,
    classifier: &'a Classifier,
    infer: bool,
    transcripts: &'a dyn TranscriptReader,
    /// Work out the parts (who spoke, how much, what to quote): not when only the blocks of
    /// an episode already summarised are wanted again, where it was most of the cost.
    pub(super) summarise: bool,
}

/// One episode, with the warnings reading its transcript gave; it holds its blocks.
pub(super) fn read_episode(
    source: EpisodeSource,
    context: &EpisodeContext<'_>,
) -> Result<(Episode, Vec<Diagnostic>), Diagnostic> {
    read_unplaced(source, context, true)
        .1
        .and_then(|read| read.place(context.show_ids))
}

/// An episode read but not yet placed in its show, or the error that stopped it.
pub(super) struct Unplaced {
    show_slug: String,
    show_line: usize,
    path: std::path::PathBuf,
    read: Result<(Episode, Vec<Diagnostic>), Diagnostic>,
}

impl Unplaced {
    /// The episode in its show: a show no one has is the error, before any other.
    fn place(
        self,
        show_ids: &HashMap<String, ShowId>,
    ) -> Result<(Episode, Vec<Diagnostic>), Diagnostic> {
        let show_slug = &self.show_slug;
        let show = *show_ids.get(show_slug).ok_or_else(|| {
            Diagnostic::error(
                &self.path,
                format!("`show: {show_slug}` names no show: expected a folder content/{show_slug}/ with an _index.md"),
            )
            .kind("unknown-show")
            .at_line(self.show_line)
        })?;
        let (mut episode, warnings) = self.read?;
        episode.show = show;
        Ok((episode, warnings))
    }
}

/// One episode, all but its show, and where it sits; with `hold`, it keeps its blocks.
fn read_unplaced(
    source: EpisodeSource,
    context: &EpisodeContext<'_>,
    hold: bool,
) -> (Placement, Result<Unplaced, Diagnostic>) {
    let placement = Placement {
        folder: source.folder.clone(),
        names_show: source.front.show.is_some(),
        path: source.origin.path.clone(),
    };
    let path = placement.path.clone();
    let title = source.front.title.clone().ok_or_else(|| {
        Diagnostic::error(
            &path,
            "front matter has no `title`: every episode needs one",
        )
        .kind("front-matter")
        .at(1, 1)
    });
    let unplaced = title.map(|title| Unplaced {
        show_slug: source.show_slug(),
        show_line: source.origin.field_line("show"),
        path,
        read: read_placed(source, title, context).map(|(mut episode, warnings)| {
            if !hold {
                episode.held = None;
            }
            (episode, warnings)
        }),
    });
    (placement, unplaced)
}

/// The episode of `source`, titled `title`, in a show still to be set.
fn read_placed(
    source: EpisodeSource,
    title: String,
    context: &EpisodeContext<'_>,
) -> Result<(Episode, Vec<Diagnostic>), Diagnostic> {
    let EpisodeContext {
        directory,
        classifier,
        infer,
        transcripts,
        summarise,
        ..
    } = *context;
    let path = source.origin.path.clone();
    let front = source.front;
    let slug = episode_slug(&source.stem, front.slug.as_deref(), &source.origin)?;
    let notes = blank_names(&front, &source.origin);
    let speaker_map: HashMap<String, String> = front
        .speaker_map
        .iter()
        .filter(|(_, v)| !is_blank(v))
        .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
        .collect();
    let declared: Vec<(String, Option<String>)> = front
        .speakers
        .iter()
        .filter(|c| !is_blank(c.name()))
        .map(|c| (c.name().trim().to_string(), c.role().map(str::to_string)))
        .collect();
    // By name key: many credits, and a lookup for every label and every plain `Name:` line.
    let roles: HashMap<String, Option<&str>> = declared
        .iter()
        .rev()
        .map(|(n, r)| (name_key(n), r.as_deref()))
        .collect();
    let is_declared = |name: &str| {
        roles.contains_key(&name_key(name))
            || speaker_map.contains_key(&name.trim().to_lowercase())
            || directory.knows(name)
    };
    let parsed = transcripts.read_transcript(&source.body, source.origin.body_line, &is_declared);
    // Resolved only now, after the (cached) parse: who a label means depends on the episode's
    // names and the site's settings, which the parse does not see.
    let labels: Vec<String> = parsed
        .blocks
        .iter()
        .filter_map(|b| match b {
            RawBlock::Turn { label, .. } => Some(label.clone()),
            _ => None,
        })
        .collect();
    let context = Context {
        classifier,
        directory,
        speaker_map: &speaker_map,
        roles: &roles,
        infer,
    };
    let names = declared
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(labels.iter().map(String::as_str));
    let resolver = Resolver::new(context, names);
    let warnings = unread_timestamps(&path, &parsed.unread);
    let (blocks, labels) = resolve_blocks(parsed, &resolver, &is_declared);
    let credits: Vec<Credit> = declared
        .iter()
        .map(|(name, role)| {
            let resolution = resolver.resolve(name);
            Credit {
                voice: resolution.voice,
                name: resolution.name,
                role: role.clone(),
            }
        })
        .collect();
    let episode = Episode {
        // Placed by the caller, once every show is known.
        show: ShowId::new(usize::MAX),
        slug,
        title,
        date: front.date,
        number: front.episode,
        season: front.season,
        description: front.description,
        tags: front.tags,
        audio: front
            .audio
            .map(|url| audio(url, front.audio_length, front.audio_type)),
        duration: front.duration,
        link: front.link,
        source: front.source,
        license: front.license,
        copyright: front.copyright,
        image: front.image,
        guid: front.guid,
        episode_type: front.episode_type.unwrap_or_default(),
        extra: front.extra.unwrap_or_default(),
        draft: front.draft,
        field_lines: source.origin.field_lines.clone(),
        parts: match summarise {
            true => super::assemble::parts(&credits, &blocks),
            false => Vec::new(),
        },
        credits,
        words: spoken_words(&blocks),
        opening: opening(&blocks, |_| true),
        spoken_opening: opening(&blocks, |turn| turn.voice != Voice::Marker),
        contents: super::Contents::of(&blocks),
        held: Some(blocks.into()),
        fingerprint: source.fingerprint,
        labels,
        path,
        notes,
    };
    Ok((episode, warnings))
}

/// Words spoken by anyone (markers say nothing).
fn spoken_words(blocks: &[Block]) -> usize {
    turns(blocks)
        .filter(|t| t.voice != Voice::Marker)
        .map(|t| t.words)
        .sum()
}

/// The opening words of the first turn with any words that `which` takes.
fn opening(blocks: &[Block], which: impl Fn(&Turn) -> bool) -> Option<String> {
    turns(blocks)
        .find(|t| t.words > 0 && which(t))
        .map(|t| opening_words(&t.plain))
}

fn turns(blocks: &[Block]) -> impl Iterator<Item = &Turn> {
    blocks.iter().filter_map(|block| match block {
        Block::Turn(turn) => Some(turn),
        _ => None,
    })
}

/// A timestamp that is no time is a warning, not an error: its text stays in the turn as
/// written, so nothing is lost, but the turn has no time until it is fixed.
fn unread_timestamps(
    path: &std::path::Path,
    unread: &[transcript::UnreadTimestamp],
) -> Vec<Diagnostic> {
    unread
        .iter()
        .map(|u| {
            Diagnostic::warning(
                path,
                format!(
                    "`{}` is not a timestamp: expected [HH:MM:SS] or [MM:SS], minutes and seconds under 60, optionally with a fraction ([01:02:03.5]); it is kept in the text as written",
                    u.text
                ),
            )
            .kind("timestamp")
            .at(u.line, u.column)
        })
        .collect()
}

/// The episode's address in its show: `slug:` when set, else the file name. Either must make
/// one non-empty path segment, or the episode would overwrite its show's page.
fn episode_slug(
    stem: &str,
    explicit: Option<&str>,
    origin: &super::source::Origin,
) -> Result<String, Diagnostic> {
    let Some(explicit) = explicit else {
        let slug = slugify(stem);
        if slug.is_empty() {
            return Err(Diagnostic::error(
                &origin.path,
                "the file name gives no slug: rename the file or set `slug:`, such as `slug: my-episode`",
            )
            .kind("bad-slug")
            .at_line(1));
        }
        return Ok(slug);
    };
    match slug_problem(explicit) {
        None => Ok(slugify(explicit)),
        Some(why) => Err(Diagnostic::error(
            &origin.path,
            format!("`slug: {explicit:?}` is not a slug ({why}): expected a slug such as `my-episode`: letters, digits and hyphens"),
        )
        .kind("bad-slug")
        .at_line(origin.field_line("slug"))),
    }
}

/// Blank names in `speakers` and blank targets in `speaker_map` name nobody: they are left
/// out, with a warning, rather than becoming a speaker whose page has no address.
fn blank_names(
    front: &super::source::EpisodeFront,
    origin: &super::source::Origin,
) -> Vec<Diagnostic> {
    let credits = front
        .speakers
        .iter()
        .filter(|c| is_blank(c.name()))
        .map(|_| {
            (
                "speakers",
                "an entry of `speakers` is a blank name: it names no one and is left out"
                    .to_string(),
            )
        });
    let mapped = front
        .speaker_map
        .iter()
        .filter(|(_, to)| is_blank(to))
        .map(|(from, _)| {
            (
                "speaker_map",
                format!("`speaker_map` maps `{from}` to a blank name: its turns keep their label"),
            )
        });
    credits
        .chain(mapped)
        .map(|(field, message)| {
            Diagnostic::warning(&origin.path, message)
                .kind("blank-name")
                .at_line(origin.field_line(field))
        })
        .collect()
}

fn audio(url: String, length: Option<u64>, mime: Option<String>) -> Audio {
    let mime = mime.unwrap_or_else(|| {
        let extension = url
            .rsplit('/')
            .next()
            .and_then(|name| name.split(['?', '#']).next())
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase());
        match extension.as_deref() {
            Some("m4a" | "mp4" | "aac") => "audio/mp4",
            Some("ogg" | "oga" | "opus") => "audio/ogg",
            Some("wav") => "audio/wav",
            Some("flac") => "audio/flac",
            _ => "audio/mpeg",
        }
        .to_string()
    });
    Audio { url, length, mime }
}

/// Raw blocks → model blocks with unique anchors, and who each turn's label means; with
/// every label, in order of first turn, and how it was resolved.
fn resolve_blocks(
    parsed: transcript::Parsed,
    resolver: &Resolver<'_>,
    is_declared: &dyn Fn(&str) -> bool,
) -> (Vec<Block>, Vec<LabelUse>) {
    // An episode has a handful of labels over hundreds of turns: resolve each label once.
    // Each label's index in `uses`, and whether it counts as declared.
    let mut uses: Vec<LabelUse> = Vec::new();
    let mut index: HashMap<String, (usize, bool)> = HashMap::new();
    let mut resolve = |label: &str, line: usize| {
        let (i, declared) = *index.entry(label.to_string()).or_insert_with(|| {
            let resolution = resolver.resolve(label);
            // A label the rules tie to a named person counts as that person's name, as a
            // `speaker_map` entry would: the name, not `MF`, is what their page shows.
            let declared = is_declared(label) || is_declared(&resolution.name);
            uses.push(LabelUse {
                label: label.to_string(),
                line,
                turns: 0,
                resolution,
            });
            (uses.len() - 1, declared)
        });
        let used = &mut uses[i];
        used.turns += 1;
        let r = &used.resolution;
        (r.name.clone(), r.voice.clone(), declared)
    };
    let mut anchors = Anchors::default();
    let mut turn_number = 0;
    let mut blocks = Vec::with_capacity(parsed.blocks.len());
    let mut plain_texts = parsed.plain.into_iter();
    for block in parsed.blocks {
        match block {
            RawBlock::Turn {
                label,
                timestamp,
                text,
                line,
            } => {
                turn_number += 1;
                let (label, voice, declared) = resolve(&label, line);
                let anchor = match timestamp {
                    Some(t) => anchors.claim(t.anchor()),
                    None => {
                        let mut anchor = String::from("t-");
                        push_padded(&mut anchor, turn_number, 1);
                        anchors.claim(anchor)
                    }
                };
                // `read` gives one plain text per turn, in order.
                let plain = plain_texts.next().unwrap_or_default();
                blocks.push(Block::Turn(Turn {
                    voice,
                    label,
                    timestamp,
                    words: transcript::word_count(&plain),
                    declared,
                    text,
                    plain,
                    line,
                    anchor,
                }));
            }
            RawBlock::Chapter {
                title,
                timestamp,
                line,
            } => {
                let anchor = anchors.claim(format!("ch-{}", slugify(&title)));
                blocks.push(Block::Chapter(Chapter {
                    title,
                    timestamp,
                    line,
                    anchor,
                }));
            }
            RawBlock::Prose { text, line } => {
                blocks.push(Block::Prose { text, line });
            }
        }
    }
    (blocks, uses)
}

/// Hands out anchors, adding `-2`, `-3` … when one is taken, so every anchor is unique.
#[derive(Default)]
struct Anchors {
    /// Every turn of every episode is looked up here, twice a build: foldhash, seeded for each
    /// run as the standard hasher is, and much faster on keys this short.
    taken: foldhash::HashSet<String>,
    /// For each anchor asked for more than once, the suffix to try next: without it, the
    /// n-th `t-00-00-00` tried n - 1 taken suffixes first, and 20,000 took half a minute.
    next: HashMap<String, usize>,
}

impl Anchors {
    fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let next = self.next.entry(wanted.clone()).or_insert(2);
        loop {
            let candidate = format!("{wanted}-{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn check_duplicate_slugs(
    episodes: &[Arc<Episode>],
    shows: &[Show],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<(ShowId, &str), &std::path::Path> = HashMap::new();
    for e in episodes {
        if let Some(first) = seen.insert((e.show, &e.slug), &e.path) {
            diagnostics.push(Diagnostic::error(
                &e.path,
                format!(
                    "duplicate episode slug `{}` in show `{}`: {} has it too; set `slug:` in one of them",
                    e.slug,
                    shows[e.show].slug,
                    first.display()
                ),
            )
            .kind("duplicate-slug")
            .at_line(e.field_lines.get("slug").copied().unwrap_or(1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_number_the_repeats_of_a_base() {
        let mut anchors = Anchors::default();
        assert_eq!(anchors.claim("ch-intro".into()), "ch-intro");
        assert_eq!(anchors.claim("ch-intro".into()), "ch-intro-2");
        assert_eq!(anchors.claim("ch-intro-2".into()), "ch-intro-2-2");
        assert_eq!(anchors.claim("ch-intro".into()), "ch-intro-3");
        assert_eq!(anchors.claim("t-5".into()), "t-5");
    }

    /// 20,000 turns at the same timestamp (or chapters with one title) once made anchor
    /// assignment quadratic: each repeat tried every taken suffix first, 27.5 s in all.
    #[test]
    fn twenty_thousand_identical_timestamps_get_numbered_anchors_in_one_pass() {
        let mut anchors = Anchors::default();
        let claimed: Vec<String> = (0..20_000)
            .map(|_| anchors.claim("t-00-00-00".into()))
            .collect();
        assert_eq!(claimed[0], "t-00-00-00");
        assert_eq!(claimed[1], "t-00-00-00-2");
        assert_eq!(claimed[19_999], "t-00-00-00-20000");
        let unique: std::collections::HashSet<&String> = claimed.iter().collect();
        assert_eq!(unique.len(), 20_000);
    }

    /// Gives every body one fixed turn and remembers what it was asked to read.
    struct Scripted {
        asked: std::sync::Mutex<Vec<(String, usize)>>,
    }

    impl TranscriptReader for Scripted {
        fn read_transcript(
            &self,
            body: &str,
            first_line: usize,
            is_declared: &dyn Fn(&str) -> bool,
        ) -> transcript::Parsed {
            self.asked
                .lock()
                .unwrap()
                .push((body.to_string(), first_line));
            transcript::read("**Ann Lee:** From the reader.\n", first_line, is_declared)
        }
    }

    /// The model once opened the build cache itself (`Cache::read_transcript`), so it could
    /// not be built without the disk. Now whoever builds it hands it the reader, and every
    /// body goes through that reader.
    #[test]
    fn the_model_reads_each_transcript_through_the_reader_it_is_given() {
        let episode = EpisodeSource {
            origin: super::super::source::Origin {
                path: "content/show/one.md".into(),
                body_line: 4,
                field_lines: BTreeMap::new(),
            },
            folder: "show".into(),
            stem: "one".into(),
            front: super::super::source::EpisodeFront {
                title: Some("One".into()),
                ..Default::default()
            },
            body: "The body as written.\n".into(),
            fingerprint: 0,
        };
        let sources = Sources {
            episodes: vec![episode],
            ..Default::default()
        };
        let reader = Scripted {
            asked: Default::default(),
        };
        let classifier = Classifier::new(&[], &[]);
        let options = ModelOptions {
            drafts: false,
            classifier: &classifier,
            infer: false,
            reserved: &[],
            bodies: Bodies::Held,
        };
        let (model, diagnostics) = Model::new(sources, &reader, &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            *reader.asked.lock().unwrap(),
            [("The body as written.\n".to_string(), 4)]
        );
        let archive = model.archive().archive;
        let blocks = archive.blocks(&archive.episodes[0]).unwrap();
        let turns: Vec<&str> = blocks.turns().map(|t| t.plain.as_str()).collect();
        assert_eq!(turns, ["From the reader."]);
    }
}
