//! Where an episode's blocks live once the model is made: held in memory, or read again from
//! the episode's file whenever they are asked for ([`Archive::blocks`](super::Archive::blocks)).
//!
//! A transcript's blocks are by far the largest part of an episode, and the archive-wide work
//! (statistics, parts, excerpts, openings, labels) needs each of them once, while its episode
//! is read. So `build` keeps only what it worked out ([`Bodies::OnDisk`]): its memory no
//! longer grows with every transcript of the archive, and each page that shows a transcript
//! reads it again — through the build cache, where the second parse is a hit. `serve` keeps
//! its model between rebuilds and re-renders pages after every edit, and `check` reads every
//! transcript several times, so both hold them ([`Bodies::Held`]), as do sources given in
//! memory, which have no file to read again.
//!
//! The model still reads no file itself: whoever makes it hands it an [`EpisodeFiles`].

use std::path::Path;
use std::sync::Arc;

use super::build::{read_episode, Reading};
use super::source::EpisodeSource;
use super::transcript::TranscriptReader;
use super::{Blocks, Episode};
use crate::error::Diagnostic;

/// Whether the model keeps every episode's blocks, or only what it worked out from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Every episode keeps its blocks.
    Held,
    /// An episode's blocks are dropped once it is read, and read again when asked for.
    OnDisk,
}

/// How the model reads an episode file: on the first read of every episode, and again when
/// the blocks of one it does not hold are asked for.
pub trait EpisodeFiles: Send + Sync {
    /// The episode in `path` (relative to the site), as loading reads it, with the problems
    /// found in it.
    fn read(&self, path: &Path) -> (Option<EpisodeSource>, Vec<Diagnostic>);

    /// What parses each transcript body, the first time and again.
    fn transcripts(&self) -> &dyn TranscriptReader;
}

/// Reads the blocks of an episode again, exactly as the model first read them.
pub struct Reread {
    reading: Arc<Reading>,
    files: Arc<dyn EpisodeFiles>,
}

impl std::fmt::Debug for Reread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reread")
    }
}

impl Reread {
    pub(super) fn new(reading: Arc<Reading>, files: Arc<dyn EpisodeFiles>) -> Reread {
        Reread { reading, files }
    }

    /// The blocks of `episode`, from its file read again and parsed and resolved the same way.
    /// The file must still be what was first read (its fingerprint says so): else the pages
    /// would show a transcript other than the one the archive's statistics counted.
    pub fn blocks(&self, episode: &Episode) -> Result<Blocks, Diagnostic> {
        let changed = || {
            Diagnostic::error(
                &episode.path,
                "the file changed during the build (after it was first read): build again",
            )
            .kind("changed-during-build")
        };
        let (source, _) = self.files.read(&episode.path);
        let source = source
            .filter(|source| source.fingerprint == episode.fingerprint)
            .ok_or_else(changed)?;
        let mut context = self.reading.context(self.files.transcripts());
        context.summarise = false;
        let (again, _) = read_episode(source, &context).map_err(|_| changed())?;
        again.held.map(Blocks).ok_or_else(changed)
    }
}
