//! `verbatim check`: what is wrong or doubtful in an archive, all of it in one run.
//!
//! The load and model stages already report what stops a build. These analyses look at the
//! assembled archive for what a careful editor would want to know: labels nobody declared,
//! people who are probably the same person, speakers listed but silent, timestamps out of
//! order, links that lead nowhere, URLs the site refuses to link. Repeats are grouped so a
//! real archive's report stays short.

mod duplicates;
mod links;
mod resolution;
mod speakers;
mod timestamps;
mod urls;

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Severity};
use crate::model::{Archive, Blocks, Episode};

pub use links::SiteIndex;
pub use resolution::{page_kinds, speaker_report, LabelRow, PageKinds, SpeakerReport};

/// Every analysis over an archive that loaded.
pub fn analyse(archive: &Archive, site: &SiteIndex) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    found.extend(unreadable(archive));
    found.extend(shows_without_index(archive));
    found.extend(speakers::undeclared_labels(archive));
    found.extend(speakers::silent_speakers(archive));
    found.extend(resolution::unresolved_initials(archive));
    found.extend(duplicates::likely_duplicates(archive));
    found.extend(timestamps::out_of_order(archive));
    found.extend(links::broken_links(archive, site));
    found.extend(urls::unsafe_urls(archive));
    found
}

/// Every episode with its blocks, but those that cannot be read: [`unreadable`] reports them.
/// The archive `check` reads holds every episode's blocks, so none is read twice.
fn transcripts(archive: &Archive) -> impl Iterator<Item = (&Episode, Blocks)> {
    archive
        .episodes
        .iter()
        .filter_map(|episode| Some((&**episode, archive.blocks(episode).ok()?)))
}

/// The episodes whose blocks cannot be read (again), each once.
fn unreadable(archive: &Archive) -> Vec<Diagnostic> {
    archive
        .episodes
        .iter()
        .filter_map(|episode| archive.blocks(episode).err())
        .flat_map(|error| error.diagnostics().to_vec())
        .collect()
}

fn shows_without_index(archive: &Archive) -> Vec<Diagnostic> {
    archive
        .shows
        .iter()
        .filter(|show| show.path.is_none())
        .filter_map(|show| {
            let first = archive.episodes.get(show.episodes.first()?.index())?;
            let folder = first.path.parent()?.to_path_buf();
            Some(
                Diagnostic::warning(
                    folder.join(crate::layout::SHOW_FILE),
                    format!(
                        "show folder `{}` has no _index.md: the show is titled after its folder and has no description",
                        show.slug
                    ),
                )
                .kind("missing-show-index"),
            )
        })
        .collect()
}

/// `3 errors, 12 warnings (5 undeclared-label, 7 likely-duplicate)`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut kinds: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        *kinds.entry((d.severity, &d.kind)).or_default() += 1;
    }
    let counts: Vec<String> = kinds
        .iter()
        .map(|((_, kind), n)| format!("{n} {kind}"))
        .collect();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if !counts.is_empty() {
        line.push_str(&format!(" ({})", counts.join(", ")));
    }
    line
}

/// `N turns` / `1 turn`.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
