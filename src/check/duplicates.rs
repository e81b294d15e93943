//! Speakers who are probably one person under two spellings.
//!
//! The build merges only what is certain (the same name key). Everything else is a guess, so it is
//! reported, never merged: the editor decides, and says so with an alias in a profile.

use std::collections::{BTreeSet, HashMap};

use super::count;
use crate::error::Diagnostic;
use crate::model::slug::name_key;
use crate::model::{Archive, ShowId, Speaker, SpeakerId};

/// Why two speakers look like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    Spacing,
    Parenthetical,
    Typo,
    Initials,
    FirstName,
}

impl Reason {
    fn explain(self) -> &'static str {
        match self {
            Reason::Spacing => "the same letters spaced differently",
            Reason::Parenthetical => "the same name with initials in brackets",
            Reason::Typo => "a likely typo",
            Reason::Initials => "initials of a speaker in the same episode",
            Reason::FirstName => "a first name next to a full name on the same show",
        }
    }
}

pub fn likely_duplicates(archive: &Archive) -> Vec<Diagnostic> {
    // (first id, second id, reason, the one that is probably the right name)
    let mut pairs: BTreeSet<(SpeakerId, SpeakerId, Reason, Option<SpeakerId>)> = BTreeSet::new();
    let speakers = &archive.speakers;
    // The rules below find speakers by their place in the list.
    let mut add = |a: usize, b: usize, reason: Reason| {
        let (a, b) = (SpeakerId::new(a), SpeakerId::new(b));
        if a != b {
            // Rules that know which side is the full name pass it second.
            let full = matches!(
                reason,
                Reason::Parenthetical | Reason::Initials | Reason::FirstName
            )
            .then_some(b);
            pairs.insert((a.min(b), a.max(b), reason, full));
        }
    };
    same_key(
        speakers,
        |s| s.key.replace(' ', ""),
        |a, b| add(a, b, Reason::Spacing),
    );
    by_parenthetical(speakers, |a, b| add(a, b, Reason::Parenthetical));
    by_typo(speakers, |a, b| add(a, b, Reason::Typo));
    by_initials(archive, |a, b| add(a, b, Reason::Initials));
    by_first_name(archive, |a, b| add(a, b, Reason::FirstName));
    let mut reported: BTreeSet<(SpeakerId, SpeakerId)> = BTreeSet::new();
    pairs
        .into_iter()
        .filter(|(a, b, _, _)| reported.insert((*a, *b)))
        .map(|(a, b, reason, full)| diagnostic(archive, a, b, reason, full))
        .collect()
}

fn same_key(
    speakers: &[Speaker],
    key: impl Fn(&Speaker) -> String,
    mut add: impl FnMut(usize, usize),
) {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in speakers.iter().enumerate() {
        groups.entry(key(s)).or_default().push(i);
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        for pair in group.windows(2) {
            add(pair[0], pair[1]);
        }
    }
}

/// `Aaron van Wirdum (AvW)` beside `Aaron van Wirdum`.
fn by_parenthetical(speakers: &[Speaker], mut add: impl FnMut(usize, usize)) {
    let by_key: HashMap<&str, usize> = speakers
        .iter()
        .enumerate()
        .map(|(i, s)| (&*s.key, i))
        .collect();
    for (i, s) in speakers.iter().enumerate() {
        if let Some((base, _)) = s.name.split_once(" (") {
            if let Some(&j) = by_key.get(name_key(base).as_str()) {
                add(i, j);
            }
        }
    }
}

/// `Justin Garisson` beside `Justin Garrison`: one or two letters apart, same first letter.
fn by_typo(speakers: &[Speaker], mut add: impl FnMut(usize, usize)) {
    let names: Vec<(usize, String)> = speakers
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.name.to_lowercase()))
        .filter(|(_, n)| n.chars().count() >= 5)
        .collect();
    let mut by_initial: HashMap<char, Vec<&(usize, String)>> = HashMap::new();
    for entry in &names {
        if let Some(c) = entry.1.chars().next() {
            by_initial.entry(c).or_default().push(entry);
        }
    }
    for group in by_initial.values() {
        for (x, (i, a)) in group.iter().map(|e| (e.0, &e.1)).enumerate() {
            for (j, b) in group.iter().skip(x + 1).map(|e| (e.0, &e.1)) {
                let (la, lb) = (a.chars().count(), b.chars().count());
                // `Senator M` and `Senator R` are two people, not a typo.
                let ends_in_initial =
                    |n: &str| n.rsplit(' ').next().is_some_and(|w| w.chars().count() == 1);
                if la.abs_diff(lb) > 2 || ends_in_initial(a) || ends_in_initial(b) {
                    continue;
                }
                let allowed = if la.min(lb) >= 10 { 2 } else { 1 };
                if strsim::damerau_levenshtein(a, b) <= allowed {
                    add(i, j);
                }
            }
        }
    }
}

/// `MF` in an episode where `Michael Folkson` speaks too.
fn by_initials(archive: &Archive, mut add: impl FnMut(usize, usize)) {
    for (_, blocks) in super::transcripts(archive) {
        let people: BTreeSet<SpeakerId> = blocks
            .turns()
            .filter_map(|t| archive.speaker(&t.voice).map(|(id, _)| id))
            .collect();
        for &short in &people {
            let label = &archive.speakers[short].name;
            let letters = label.chars().count();
            if !(2..=4).contains(&letters) || !label.chars().all(char::is_alphabetic) {
                continue;
            }
            for &full in &people {
                if initials(&archive.speakers[full].name).eq_ignore_ascii_case(label) {
                    add(short.index(), full.index());
                }
            }
        }
    }
}

fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return String::new();
    }
    words.iter().filter_map(|w| w.chars().next()).collect()
}

/// `Divya` beside `Divya Sasidharan` on the same show. A word that begins three or more names
/// on a show (`Senator`) is a title, not a first name.
fn by_first_name(archive: &Archive, mut add: impl FnMut(usize, usize)) {
    const AMBIGUOUS: usize = 3;
    let mut full_names: HashMap<(String, ShowId), Vec<usize>> = HashMap::new();
    for (id, s) in archive.speakers.iter().enumerate() {
        if s.name.contains('(') {
            continue;
        }
        let mut words = s.name.split_whitespace();
        if let (Some(first), Some(_)) = (words.next(), words.next()) {
            for show in shows_of(s) {
                full_names
                    .entry((first.to_lowercase(), show))
                    .or_default()
                    .push(id);
            }
        }
    }
    for (id, s) in archive.speakers.iter().enumerate() {
        if s.name.split_whitespace().count() != 1 || s.name.chars().count() < 3 {
            continue;
        }
        for show in shows_of(s) {
            let matches = full_names.get(&(s.name.to_lowercase(), show));
            for &full in matches
                .filter(|m| m.len() < AMBIGUOUS)
                .into_iter()
                .flatten()
            {
                add(id, full);
            }
        }
    }
}

fn shows_of(s: &Speaker) -> BTreeSet<ShowId> {
    s.appearances.iter().map(|a| a.show).collect()
}

/// Reported at the first turn of the spelling to fold in: the short form when one side is the
/// full name, else the less used spelling.
fn diagnostic(
    archive: &Archive,
    a: SpeakerId,
    b: SpeakerId,
    reason: Reason,
    full: Option<SpeakerId>,
) -> Diagnostic {
    let (rare, common) = match full {
        Some(full) => (if full == a { b } else { a }, full),
        None if archive.speakers[a].turns <= archive.speakers[b].turns => (a, b),
        None => (b, a),
    };
    let describe = |id: SpeakerId| {
        let s = &archive.speakers[id];
        format!(
            "`{}` ({} in {}: {})",
            s.name,
            count(s.turns, "turn"),
            count(s.appearances.len(), "episode"),
            files(archive, s)
        )
    };
    let (path, line) = first_place(archive, rare);
    let target = &archive.speakers[common];
    let profile = target
        .profile
        .as_ref()
        .map(|p| p.path.display().to_string())
        .unwrap_or_else(|| format!("content/speakers/{}.md", target.slug));
    Diagnostic::warning(
        path,
        format!(
            "{} and {} may be one person ({}): if so, add `{}` to `aliases` in {profile}",
            describe(rare),
            describe(common),
            reason.explain(),
            archive.speakers[rare].name
        ),
    )
    .kind("likely-duplicate")
    .at_line(line)
}

/// The files a speaker appears in, the first few of them.
fn files(archive: &Archive, speaker: &Speaker) -> String {
    const SHOWN: usize = 3;
    let mut paths: Vec<String> = speaker
        .appearances
        .iter()
        .take(SHOWN)
        .map(|a| archive.episodes[a.episode].path.display().to_string())
        .collect();
    if speaker.appearances.len() > SHOWN {
        paths.push(format!("and {} more", speaker.appearances.len() - SHOWN));
    }
    paths.join(", ")
}

fn first_place(archive: &Archive, speaker: SpeakerId) -> (std::path::PathBuf, usize) {
    let s = &archive.speakers[speaker];
    let Some(appearance) = s.appearances.first() else {
        let path = s
            .profile
            .as_ref()
            .map(|p| p.path.clone())
            .unwrap_or_default();
        return (path, 1);
    };
    let episode = &archive.episodes[appearance.episode];
    let blocks = archive.blocks(episode).ok();
    let line = blocks
        .iter()
        .flat_map(|blocks| blocks.turns())
        .find(|t| {
            archive
                .speaker(&t.voice)
                .is_some_and(|(id, _)| id == speaker)
        })
        .map(|t| t.line)
        .or_else(|| episode.field_lines.get("speakers").copied())
        .unwrap_or(1);
    (episode.path.clone(), line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_a_name() {
        assert_eq!(initials("Michael Folkson"), "MF");
        assert_eq!(initials("Aaron van Wirdum"), "AvW");
        assert_eq!(initials("Murch"), "");
    }
}
