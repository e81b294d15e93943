//! How far a build has got: the stage it is in, and the steps of that stage done so far.
//!
//! The library never prints, so a build tells a [`Progress`] instead, and the binary decides
//! whether anything is drawn (a bar on a terminal, nothing in CI). Pages render on every core
//! at once, so [`Progress::advance`] is called from many threads and must stay cheap: it may
//! count, never draw.

/// A stage of a build, in the order a build goes through them. The search index is built
/// beside the pages, so a build with search shows it twice: reading records before the pages,
/// finishing the index after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading `content/` from disk.
    Reading,
    /// Turning the files into the archive: shows, episodes, speakers.
    Model,
    /// Rendering pages, feeds and transcript files.
    Pages,
    /// Building the full-text search index.
    SearchIndex,
    /// Writing the index and putting the new site in place.
    Writing,
}

impl Stage {
    /// What a person reads on the progress bar.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Model => "model",
            Stage::Pages => "pages",
            Stage::SearchIndex => "search index",
            Stage::Writing => "writing",
        }
    }
}

/// Told how far a build has got.
pub trait Progress: Sync {
    /// A stage begins; `total` is how many steps it has, 0 when nobody counts them.
    fn stage(&self, _stage: Stage, _total: usize) {}
    /// One step of the stage is done. Called from worker threads.
    fn advance(&self) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_named_as_the_progress_bar_shows_them() {
        let names: Vec<&str> = [
            Stage::Reading,
            Stage::Model,
            Stage::Pages,
            Stage::SearchIndex,
            Stage::Writing,
        ]
        .into_iter()
        .map(Stage::name)
        .collect();
        assert_eq!(
            names,
            ["reading", "model", "pages", "search index", "writing"]
        );
    }
}
