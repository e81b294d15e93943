//! [`Sources`] → [`Archive`]: validation, speaker resolution and the statistics of each speaker.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::slug::slugify;
use super::source::{EpisodeSource, ProfileSource, ShowSource, Sources};
use super::speakers::{Classifier, Directory, Kind, Spellings};
use super::transcript::{self, RawBlock};
use super::{
    Appearance, Archive, Audio, Block, Chapter, Credit, Episode, Profile, Show, Speaker, Tag, Turn,
    Voice,
};
use crate::error::{sort_diagnostics, Diagnostic};

pub struct BuildOptions<'a> {
    /// Keep episodes marked `draft: true`.
    pub drafts: bool,
    pub classifier: &'a Classifier,
    /// Top-level names the site itself uses (`speakers`, `tags`, files in `static/`): a show
    /// cannot take them.
    pub reserved: &'a [String],
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

/// Who a label turned out to be, before speakers are numbered.
#[derive(Debug, Clone)]
enum Pending {
    Person(String),
    Anonymous,
    Marker,
}

/// An episode whose people are known by slug, not yet by id.
struct Draft {
    episode: Episode,
    /// One per block; `None` for blocks that are not turns.
    voices: Vec<Option<Pending>>,
    credits: Vec<Pending>,
}

pub fn build(sources: Sources, options: &BuildOptions<'_>) -> Built {
    let mut diagnostics = Vec::new();
    let (directory, profiles) = read_profiles(sources.profiles, &mut diagnostics);
    let mut shows = read_shows(sources.shows, options.reserved, &mut diagnostics);
    let episodes: Vec<EpisodeSource> = sources
        .episodes
        .into_iter()
        .filter(|e| options.drafts || !e.front.draft)
        .collect();
    add_implicit_shows(&mut shows, &episodes, options.reserved, &mut diagnostics);
    let show_ids: HashMap<String, usize> = shows
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.clone(), i))
        .collect();
    let results: Vec<Result<Draft, Diagnostic>> = episodes
        .into_par_iter()
        .map(|source| read_episode(source, &show_ids, &directory, options.classifier))
        .collect();
    let mut drafts = Vec::new();
    for result in results {
        match result {
            Ok(draft) => drafts.push(draft),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    check_duplicate_slugs(&drafts, &shows, &mut diagnostics);
    drafts.sort_by(|a, b| newest_first(&a.episode, &b.episode, &shows));
    let archive = assemble(shows, drafts, profiles);
    sort_diagnostics(&mut diagnostics);
    Built {
        archive,
        diagnostics,
    }
}

fn newest_first(a: &Episode, b: &Episode, shows: &[Show]) -> std::cmp::Ordering {
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
    let mut profiles = BTreeMap::new();
    for source in sources {
        let slug = slugify(&source.stem);
        let name = source
            .front
            .name
            .clone()
            .unwrap_or_else(|| source.stem.replace('-', " "));
        if directory.knows(&name) && directory.resolve(&name) != slug {
            diagnostics.push(
                Diagnostic::error(
                    &source.origin.path,
                    format!("the name `{name}` is already taken by another profile"),
                )
                .at_line(2),
            );
            continue;
        }
        directory.add(&name, &slug);
        directory.add(&source.stem, &slug);
        for alias in &source.front.aliases {
            directory.add(alias, &slug);
        }
        let profile = Profile {
            name,
            aliases: source.front.aliases,
            title: source.front.title,
            links: source.front.links,
            image: source.front.image,
            bio: source.body,
            extra: source.front.extra.unwrap_or_default(),
            path: source.origin.path,
        };
        profiles.insert(slug, profile);
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
        if let Some(problem) = reserved_problem(&slug, reserved) {
            diagnostics.push(Diagnostic::error(&source.origin.path, problem).at_line(1));
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
            extra: front.extra.unwrap_or_default(),
            path: Some(source.origin.path),
            episodes: Vec::new(),
        });
    }
    shows
}

fn reserved_problem(slug: &str, reserved: &[String]) -> Option<String> {
    reserved.iter().any(|r| r == slug).then(|| {
        format!("a show cannot be called `{slug}`: the site uses /{slug}/ for itself; rename the folder")
    })
}

/// A folder of episodes without `_index.md` is still a show, named after the folder.
fn add_implicit_shows(
    shows: &mut Vec<Show>,
    episodes: &[EpisodeSource],
    reserved: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for episode in episodes {
        let slug = slugify(&episode.folder);
        if shows.iter().any(|s| s.slug == slug) || episode.front.show.is_some() {
            continue;
        }
        if let Some(problem) = reserved_problem(&slug, reserved) {
            diagnostics.push(Diagnostic::error(&episode.origin.path, problem));
            continue;
        }
        shows.push(Show {
            title: episode.folder.clone(),
            slug,
            description: None,
            body: String::new(),
            author: None,
            image: None,
            language: None,
            category: None,
            explicit: false,
            kind: None,
            link: None,
            copyright: None,
            extra: serde_json::Value::Null,
            path: None,
            episodes: Vec::new(),
        });
    }
    shows.sort_by(|a, b| a.slug.cmp(&b.slug));
}

fn read_episode(
    source: EpisodeSource,
    show_ids: &HashMap<String, usize>,
    directory: &Directory,
    classifier: &Classifier,
) -> Result<Draft, Diagnostic> {
    let path = source.origin.path.clone();
    let front = source.front;
    let title = front.title.clone().ok_or_else(|| {
        Diagnostic::error(
            &path,
            "front matter has no `title`: every episode needs one",
        )
        .at(1, 1)
    })?;
    let show_slug = front
        .show
        .clone()
        .unwrap_or_else(|| slugify(&source.folder));
    let show = *show_ids.get(&show_slug).ok_or_else(|| {
        Diagnostic::error(
            &path,
            format!("`show: {show_slug}` names no show: expected a folder content/{show_slug}/ with an _index.md"),
        )
        .at_line(source.origin.field_line("show"))
    })?;
    let speaker_map: HashMap<String, String> = front
        .speaker_map
        .iter()
        .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
        .collect();
    let declared: Vec<(String, Option<String>)> = front
        .speakers
        .iter()
        .map(|c| (c.name().trim().to_string(), c.role().map(str::to_string)))
        .collect();
    let is_declared = |name: &str| {
        let slug = slugify(name);
        declared.iter().any(|(n, _)| slugify(n) == slug)
            || speaker_map.contains_key(&name.to_lowercase())
            || directory.knows(name)
    };
    let raw = transcript::parse(&source.body, source.origin.body_line, &is_declared);
    let resolve = |label: &str| -> (String, Pending) {
        let mapped = speaker_map
            .get(&label.trim().to_lowercase())
            .cloned()
            .unwrap_or_else(|| label.trim().to_string());
        let slug = slugify(&mapped);
        let role = declared
            .iter()
            .find(|(n, _)| slugify(n) == slug)
            .and_then(|(_, r)| r.as_deref());
        let pending = match classifier.classify(&mapped, role) {
            Kind::Marker => Pending::Marker,
            Kind::Anonymous => Pending::Anonymous,
            Kind::Person => Pending::Person(directory.resolve(&mapped)),
        };
        (mapped, pending)
    };
    let (blocks, voices) = resolve_blocks(raw, &resolve);
    let credits: Vec<(Credit, Pending)> = declared
        .iter()
        .map(|(name, role)| {
            let (name, pending) = resolve(name);
            let credit = Credit {
                voice: Voice::Anonymous,
                name,
                role: role.clone(),
            };
            (credit, pending)
        })
        .collect();
    let episode = Episode {
        show,
        slug: front
            .slug
            .as_deref()
            .map_or_else(|| slugify(&source.stem), slugify),
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
        extra: front.extra.unwrap_or_default(),
        draft: front.draft,
        credits: credits.iter().map(|(c, _)| c.clone()).collect(),
        blocks,
        path,
    };
    Ok(Draft {
        episode,
        voices,
        credits: credits.into_iter().map(|(_, p)| p).collect(),
    })
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

/// Raw blocks → model blocks with unique anchors, and who each turn's label means.
fn resolve_blocks(
    raw: Vec<RawBlock>,
    resolve: &dyn Fn(&str) -> (String, Pending),
) -> (Vec<Block>, Vec<Option<Pending>>) {
    let mut anchors = Anchors::default();
    let mut turn_number = 0;
    let mut blocks = Vec::with_capacity(raw.len());
    let mut voices = Vec::with_capacity(raw.len());
    for block in raw {
        match block {
            RawBlock::Turn {
                label,
                timestamp,
                text,
                line,
            } => {
                turn_number += 1;
                let (label, pending) = resolve(&label);
                let anchor = match timestamp {
                    Some(t) => anchors.claim(t.anchor()),
                    None => anchors.claim(format!("t-{turn_number}")),
                };
                blocks.push(Block::Turn(Turn {
                    voice: Voice::Anonymous,
                    label,
                    timestamp,
                    words: text.split_whitespace().count(),
                    text,
                    line,
                    anchor,
                }));
                voices.push(Some(pending));
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
                voices.push(None);
            }
            RawBlock::Prose { text, line } => {
                blocks.push(Block::Prose { text, line });
                voices.push(None);
            }
        }
    }
    (blocks, voices)
}

/// Hands out anchors, adding `-2`, `-3` … when one is taken, so every anchor is unique.
#[derive(Default)]
struct Anchors {
    taken: std::collections::HashSet<String>,
}

impl Anchors {
    fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

fn check_duplicate_slugs(drafts: &[Draft], shows: &[Show], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(usize, &str), &std::path::Path> = HashMap::new();
    for draft in drafts {
        let e = &draft.episode;
        if let Some(first) = seen.insert((e.show, &e.slug), &e.path) {
            diagnostics.push(Diagnostic::error(
                &e.path,
                format!(
                    "duplicate episode slug `{}` in show `{}`: {} has it too; set `slug:` in one of them",
                    e.slug,
                    shows[e.show].slug,
                    first.display()
                ),
            ));
        }
    }
}

/// Numbers the speakers, ties every turn to them, and adds up what each one said.
fn assemble(
    mut shows: Vec<Show>,
    drafts: Vec<Draft>,
    profiles: BTreeMap<String, Profile>,
) -> Archive {
    let mut spellings = Spellings::default();
    for slug in profiles.keys() {
        spellings.count(slug, "", 0);
    }
    for draft in &drafts {
        for (block, voice) in draft.episode.blocks.iter().zip(&draft.voices) {
            if let (Block::Turn(turn), Some(Pending::Person(slug))) = (block, voice) {
                spellings.count(slug, &turn.label, 1);
            }
        }
        for (credit, pending) in draft.episode.credits.iter().zip(&draft.credits) {
            if let Pending::Person(slug) = pending {
                spellings.count(slug, &credit.name, 0);
            }
        }
    }
    let slugs: Vec<String> = spellings.slugs().cloned().collect();
    let ids: HashMap<&str, usize> = slugs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let to_voice = |pending: &Pending| match pending {
        Pending::Person(slug) => Voice::Person(ids[slug.as_str()]),
        Pending::Anonymous => Voice::Anonymous,
        Pending::Marker => Voice::Marker,
    };
    let episodes: Vec<Episode> = drafts
        .into_iter()
        .map(|mut draft| {
            for (block, voice) in draft.episode.blocks.iter_mut().zip(&draft.voices) {
                if let (Block::Turn(turn), Some(pending)) = (block, voice) {
                    turn.voice = to_voice(pending);
                }
            }
            for (credit, pending) in draft.episode.credits.iter_mut().zip(&draft.credits) {
                credit.voice = to_voice(pending);
            }
            draft.episode
        })
        .collect();
    for (id, episode) in episodes.iter().enumerate() {
        shows[episode.show].episodes.push(id);
    }
    let mut profiles = profiles;
    let mut speakers: Vec<Speaker> = slugs
        .iter()
        .map(|slug| {
            let profile = profiles.remove(slug);
            let spelled: Vec<(String, usize)> = spellings
                .of(slug)
                .into_iter()
                .filter(|(s, _)| !s.is_empty())
                .collect();
            let name = profile
                .as_ref()
                .map(|p| p.name.clone())
                .or_else(|| spelled.first().map(|(s, _)| s.clone()))
                .unwrap_or_else(|| slug.clone());
            Speaker {
                slug: slug.clone(),
                name,
                profile,
                spellings: spelled,
                appearances: Vec::new(),
                turns: 0,
                words: 0,
                co_speakers: Vec::new(),
            }
        })
        .collect();
    add_appearances(&mut speakers, &episodes);
    let tags = collect_tags(&episodes);
    Archive {
        shows,
        episodes,
        speakers,
        tags,
    }
}

fn add_appearances(speakers: &mut [Speaker], episodes: &[Episode]) {
    let mut shared: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); speakers.len()];
    for (id, episode) in episodes.iter().enumerate().rev() {
        let mut here: BTreeMap<usize, Appearance> = BTreeMap::new();
        let mut appear = |speaker: usize| {
            here.entry(speaker).or_insert_with(|| Appearance {
                episode: id,
                show: episode.show,
                date: episode.date,
                role: None,
                turns: 0,
                words: 0,
                excerpt: None,
            });
        };
        for credit in &episode.credits {
            if let Voice::Person(s) = credit.voice {
                appear(s);
            }
        }
        for turn in episode.turns() {
            if let Voice::Person(s) = turn.voice {
                appear(s);
            }
        }
        for (index, block) in episode.blocks.iter().enumerate() {
            if let Block::Turn(turn) = block {
                if let Voice::Person(s) = turn.voice {
                    if let Some(a) = here.get_mut(&s) {
                        a.turns += 1;
                        a.words += turn.words;
                        a.excerpt = better_excerpt(a.excerpt, index, &episode.blocks);
                    }
                }
            }
        }
        for credit in &episode.credits {
            if let Voice::Person(s) = credit.voice {
                if let Some(a) = here.get_mut(&s) {
                    a.role = a.role.take().or_else(|| credit.role.clone());
                }
            }
        }
        let people: Vec<usize> = here.keys().copied().collect();
        for (speaker, appearance) in here {
            let s = &mut speakers[speaker];
            s.turns += appearance.turns;
            s.words += appearance.words;
            s.appearances.push(appearance);
            for other in people.iter().filter(|&&o| o != speaker) {
                *shared[speaker].entry(*other).or_default() += 1;
            }
        }
    }
    for (speaker, counts) in speakers.iter_mut().zip(shared) {
        let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        speaker.co_speakers = list;
        speaker.appearances.sort_by(|a, b| {
            (a.date.is_none(), a.date, a.episode).cmp(&(b.date.is_none(), b.date, b.episode))
        });
    }
}

/// The first turn of at least a sentence or so; failing that, the longest.
fn better_excerpt(current: Option<usize>, candidate: usize, blocks: &[Block]) -> Option<usize> {
    const ENOUGH_WORDS: usize = 15;
    let words = |i: usize| match &blocks[i] {
        Block::Turn(t) => t.words,
        _ => 0,
    };
    match current {
        None => Some(candidate),
        Some(c) if words(c) >= ENOUGH_WORDS => Some(c),
        Some(c) if words(candidate) > words(c) => Some(candidate),
        Some(c) => Some(c),
    }
}

fn collect_tags(episodes: &[Episode]) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (id, episode) in episodes.iter().enumerate() {
        for name in &episode.tags {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                slug,
                name: name.trim().to_string(),
                episodes: Vec::new(),
            });
            if tag.episodes.last() != Some(&id) {
                tag.episodes.push(id);
            }
        }
    }
    tags.into_values().collect()
}
