//! Source files → [`Archive`]: shows, episodes, speakers, turns and what they add up to.
//!
//! Pure data. The model knows nothing of templates, HTML or the disk: it is what the archive
//! *is*, so that the renderer, `check` and later the search index all read the same truth.

mod assemble;
mod bodies;
mod build;
pub mod excerpt;
pub mod label;
pub mod resolve;
pub mod slug;
pub mod source;
mod speakers;
pub mod time;
pub mod transcript;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use bodies::{Bodies, EpisodeFiles};
pub use build::{Built, Model, ModelOptions};
pub use excerpt::Excerpt;
pub use speakers::{initials_of, is_initials, split_initials, Classifier, Kind};
pub use time::{Date, Timestamp};
pub use transcript::{Afresh, TranscriptReader};

use source::ProfileLink;

/// A show's place in [`Archive::shows`]. Its own type, so that an episode's number can never
/// be taken for a show's, as plain `usize`s could:
///
/// ```compile_fail
/// # use verbatim::model::{Archive, EpisodeId};
/// let archive = Archive::default();
/// let show = &archive.shows[EpisodeId::new(0)];
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShowId(usize);
/// An episode's place in [`Archive::episodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpisodeId(usize);
/// A speaker's place in [`Archive::speakers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpeakerId(usize);

/// An id type, and indexing of the archive's list of what it names by it: `shows[episode.show]`
/// reads as before, but an `EpisodeId` cannot index the shows.
macro_rules! index_type {
    ($($id:ident => $item:ty),*) => {$(
        impl $id {
            pub fn new(index: usize) -> $id {
                $id(index)
            }

            /// The place in its list.
            pub fn index(self) -> usize {
                self.0
            }
        }

        impl std::ops::Index<$id> for [$item] {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self[id.0]
            }
        }

        impl std::ops::IndexMut<$id> for [$item] {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.0]
            }
        }

        impl std::ops::Index<$id> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self.as_slice()[id]
            }
        }

        impl std::ops::IndexMut<$id> for Vec<$item> {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self.as_mut_slice()[id]
            }
        }
    )*};
}
index_type!(ShowId => Show, EpisodeId => Arc<Episode>, SpeakerId => Speaker);
/// A speaker's name key (`slug::name_key`): how a turn names its speaker, stable across builds,
/// so a parsed episode stays valid while other episodes change. Not the slug: two people can
/// share a transliteration, and the slug is given out only once the whole archive is known.
pub type SpeakerKey = Arc<str>;

/// The whole archive, every list in a stable order.
#[derive(Debug, Default)]
pub struct Archive {
    /// By slug.
    pub shows: Vec<Show>,
    /// Newest first, across shows; undated episodes last. Shared, so that a rebuild after an
    /// edit reuses every episode it did not touch.
    pub episodes: Vec<Arc<Episode>>,
    /// By slug.
    pub speakers: Vec<Speaker>,
    /// Speaker key → index in `speakers`.
    pub speaker_ids: HashMap<SpeakerKey, SpeakerId>,
    /// By slug.
    pub tags: Vec<Tag>,
    /// How the blocks of an episode whose blocks are not held are read again; `None` when
    /// every episode holds its own.
    reread: Option<Arc<bodies::Reread>>,
}

impl Archive {
    /// The blocks of `episode`, exactly as the model read them: held in memory, or read again
    /// from its file (see [`Bodies`]). A file that changed or vanished since it was first read
    /// is an error naming it, never a transcript other than the one the model counted.
    pub fn blocks(&self, episode: &Episode) -> crate::error::Result<Blocks> {
        if let Some(blocks) = &episode.held {
            return Ok(Blocks(Arc::clone(blocks)));
        }
        match &self.reread {
            Some(reread) => Ok(reread.blocks(episode)?),
            None => Err(crate::error::Diagnostic::error(
                &episode.path,
                "the transcript was not kept and cannot be read again",
            )
            .into()),
        }
    }

    /// The speaker a voice is, when it is a person.
    pub fn speaker(&self, voice: &Voice) -> Option<(SpeakerId, &Speaker)> {
        match voice {
            Voice::Person(key) => {
                let id = *self.speaker_ids.get(key)?;
                Some((id, &self.speakers[id]))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Show {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// The show's Markdown description, from the body of `_index.md`.
    pub body: String,
    pub author: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub category: Option<String>,
    pub explicit: bool,
    pub kind: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    /// Set in `_index.md`; otherwise the feed derives one from its address.
    pub guid: Option<String>,
    pub extra: serde_json::Value,
    /// `None` when the folder has no `_index.md`.
    pub path: Option<PathBuf>,
    /// The line of `_index.md` its body starts on, and of each front matter field, for
    /// problems `check` finds in them.
    pub body_line: usize,
    pub field_lines: std::collections::BTreeMap<String, usize>,
    /// Newest first.
    pub episodes: Vec<EpisodeId>,
}

impl Show {
    /// A show known only by its folder: no `_index.md`, so nothing but a name.
    pub fn bare(slug: String, title: String) -> Show {
        Show {
            slug,
            title,
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
            guid: None,
            extra: serde_json::Value::Null,
            path: None,
            body_line: 1,
            field_lines: Default::default(),
            episodes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Episode {
    pub show: ShowId,
    pub slug: String,
    pub title: String,
    pub date: Option<Date>,
    pub number: Option<u32>,
    pub season: Option<u32>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub audio: Option<Audio>,
    pub duration: Option<Timestamp>,
    pub link: Option<String>,
    pub source: Option<String>,
    pub license: Option<String>,
    pub copyright: Option<String>,
    pub image: Option<String>,
    /// Set in front matter; otherwise the feeds derive one from the show and episode slugs.
    pub guid: Option<String>,
    pub episode_type: source::EpisodeType,
    pub extra: serde_json::Value,
    pub draft: bool,
    /// The line of each front matter field, for problems found later.
    pub field_lines: std::collections::BTreeMap<String, usize>,
    /// Who the front matter credits, in its order.
    pub credits: Vec<Credit>,
    /// The blocks, when the model holds them; else [`Archive::blocks`] reads them again.
    held: Option<Arc<[Block]>>,
    /// Of the file (and its `transcript:` file) as first read: a re-read must find the same.
    fingerprint: u64,
    /// Words spoken by anyone (markers say nothing), counted when the episode was read.
    words: usize,
    /// The opening words of the first turn that has any, and of the first that is not a
    /// marker's, for descriptions and feeds: pages that list many episodes never read bodies.
    pub opening: Option<String>,
    pub spoken_opening: Option<String>,
    /// What the transcript holds, for what is decided without reading it again.
    pub contents: Contents,
    /// Every label of the transcript, in order of first turn, and who it was resolved to.
    pub labels: Vec<resolve::LabelUse>,
    pub path: PathBuf,
    /// Each person's part in this episode, worked out once when the episode is read, so the
    /// archive-wide statistics never walk the turns again.
    pub parts: Vec<Part>,
    /// Problems found in the file that do not stop the build (a blank speaker name).
    pub notes: Vec<crate::error::Diagnostic>,
}

/// What an episode's transcript holds, counted when it is read: which transcript files it
/// makes is decided from this, for every episode, without reading any again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contents {
    pub turns: usize,
    /// A turn says when it starts.
    pub timed_turns: bool,
    /// A turn that is not a marker's has words.
    pub spoken_turns: bool,
    /// A chapter says when it starts.
    pub timed_chapters: bool,
}

impl Contents {
    pub fn of(blocks: &[Block]) -> Contents {
        let mut contents = Contents::default();
        for block in blocks {
            match block {
                Block::Turn(turn) => {
                    contents.turns += 1;
                    contents.timed_turns |= turn.timestamp.is_some();
                    contents.spoken_turns |= turn.voice != Voice::Marker && turn.words > 0;
                }
                Block::Chapter(chapter) => contents.timed_chapters |= chapter.timestamp.is_some(),
                Block::Prose { .. } => {}
            }
        }
        contents
    }
}

/// What one person did in one episode.
#[derive(Debug, Clone)]
pub struct Part {
    pub speaker: SpeakerKey,
    /// The labels that meant them here, with how many turns each.
    pub spellings: Vec<(String, usize)>,
    pub role: Option<String>,
    pub turns: usize,
    pub words: usize,
    /// The turn, and where in it, that best shows what they said.
    pub excerpt: Option<Excerpt>,
}

/// An episode's blocks, shared: what [`Archive::blocks`] gives.
#[derive(Debug, Clone)]
pub struct Blocks(Arc<[Block]>);

impl std::ops::Deref for Blocks {
    type Target = [Block];
    fn deref(&self) -> &[Block] {
        &self.0
    }
}

impl Blocks {
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.0.iter().filter_map(|block| match block {
            Block::Turn(turn) => Some(turn),
            _ => None,
        })
    }

    pub fn chapters(&self) -> impl Iterator<Item = &Chapter> {
        self.0.iter().filter_map(|block| match block {
            Block::Chapter(chapter) => Some(chapter),
            _ => None,
        })
    }
}

impl Episode {
    /// At most `limit` of the people of the episode, in the order of `parts` (credits first):
    /// all of them when there are few enough, else those with the most turns, then words.
    /// Pages and feeds list these, so that a credit list of thousands of names is not copied
    /// onto every page that mentions the episode.
    pub fn leading_parts(&self, limit: usize) -> Vec<&Part> {
        if self.parts.len() <= limit {
            return self.parts.iter().collect();
        }
        let mut order: Vec<usize> = (0..self.parts.len()).collect();
        order.sort_by_key(|&i| {
            let part = &self.parts[i];
            (
                std::cmp::Reverse(part.turns),
                std::cmp::Reverse(part.words),
                i,
            )
        });
        order.truncate(limit);
        order.sort_unstable();
        order.into_iter().map(|i| &self.parts[i]).collect()
    }

    /// Words spoken by anyone (markers say nothing).
    pub fn words(&self) -> usize {
        self.words
    }
}

#[derive(Debug, Clone)]
pub struct Audio {
    pub url: String,
    pub length: Option<u64>,
    pub mime: String,
}

/// A speaker credited in an episode's front matter.
#[derive(Debug, Clone)]
pub struct Credit {
    pub voice: Voice,
    pub name: String,
    pub role: Option<String>,
}

/// Who a label means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Voice {
    /// A person with a page of their own, by name key.
    Person(SpeakerKey),
    /// `Speaker 1`, `Q`, `Audience member`: someone, but only within this episode.
    Anonymous,
    /// `Break`, `Jingle`, `Music`: not a person at all.
    Marker,
}

#[derive(Debug, Clone)]
pub enum Block {
    Turn(Turn),
    Chapter(Chapter),
    /// Narration, show notes, anything outside a turn: Markdown as written.
    Prose {
        text: String,
        line: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub voice: Voice,
    /// The label as written in the transcript; after `speaker_map`, and the person's name when
    /// the episode's own words resolve the label (`SL` → `Stephan Livera`).
    pub label: String,
    pub timestamp: Option<Timestamp>,
    /// Markdown, without the label.
    pub text: String,
    /// `text` without its markup, on one line: worked out once, since transcript files,
    /// excerpts, feeds and the search index all read it.
    pub plain: String,
    pub line: usize,
    /// Words of `plain`.
    pub words: usize,
    /// Whether the episode's `speakers` or `speaker_map`, or a profile, names this label.
    pub declared: bool,
    /// Unique in its episode and stable across builds: `t-00-12-05`, or `t-12` by position.
    pub anchor: String,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub title: String,
    pub timestamp: Option<Timestamp>,
    pub line: usize,
    pub anchor: String,
}

#[derive(Debug)]
pub struct Speaker {
    /// Who they are: the key every turn and credit of theirs carries.
    pub key: SpeakerKey,
    /// Where their page is: unique in the archive (see `assemble::speaker_slugs`).
    pub slug: String,
    /// The profile's name, else the spelling used most.
    pub name: String,
    pub profile: Option<Profile>,
    /// Every spelling of the name in the transcripts, with how many turns use it.
    pub spellings: Vec<(String, usize)>,
    /// Oldest first; undated last.
    pub appearances: Vec<Appearance>,
    pub turns: usize,
    pub words: usize,
    /// Others heard in the same episodes, most shared episodes first.
    pub co_speakers: Vec<(SpeakerId, usize)>,
}

impl Speaker {
    pub fn first_appearance(&self) -> Option<Date> {
        self.appearances.iter().filter_map(|a| a.date).min()
    }

    pub fn last_appearance(&self) -> Option<Date> {
        self.appearances.iter().filter_map(|a| a.date).max()
    }
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    /// From the file name: the profile's page is `/speakers/<slug>/`.
    pub slug: String,
    pub aliases: Vec<String>,
    pub title: Option<String>,
    pub links: Vec<ProfileLink>,
    pub image: Option<String>,
    /// Markdown.
    pub bio: String,
    pub extra: serde_json::Value,
    pub path: PathBuf,
    /// The line the bio starts on, and of each front matter field, for problems `check` finds.
    pub body_line: usize,
    pub field_lines: std::collections::BTreeMap<String, usize>,
}

/// A speaker in one episode.
#[derive(Debug, Clone)]
pub struct Appearance {
    pub episode: EpisodeId,
    pub show: ShowId,
    pub date: Option<Date>,
    pub role: Option<String>,
    pub turns: usize,
    pub words: usize,
    /// The turn, and where in it, that best shows what they said.
    pub excerpt: Option<Excerpt>,
}

#[derive(Debug)]
pub struct Tag {
    pub slug: String,
    pub name: String,
    /// Newest first.
    pub episodes: Vec<EpisodeId>,
}
