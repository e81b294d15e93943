//! Who every label of the archive was resolved to, and why: `verbatim check --speakers`.
//!
//! The build ties labels to people by what each episode says of itself. An editor must be able
//! to audit all of it in one read, and fix what is wrong with `speaker_map` or a profile, so
//! this lists every label of every episode, sorted by file and line, with a count of speaker
//! pages by kind to see at a glance what is left. It reads the archive; it decides nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::count;
use crate::error::Diagnostic;
use crate::model::resolve::Rule;
use crate::model::{initials_of, is_initials, split_initials, Archive, Classifier, Kind, Voice};

/// One label of one episode.
#[derive(Debug, Serialize)]
pub struct LabelRow {
    pub path: PathBuf,
    pub line: usize,
    pub label: String,
    pub turns: usize,
    /// `person`, `anonymous` or `marker`.
    pub voice: &'static str,
    /// The person's name when it is a person; else the label.
    pub name: String,
    /// The speaker page, when it is a person.
    pub page: Option<String>,
    pub rule: Rule,
    /// For initials or a first name that could mean more than one person, or no one.
    pub candidates: Vec<String>,
}

/// Speaker pages by what their name looks like.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct PageKinds {
    pub people: usize,
    /// `MF`, `NVK`: capital initials.
    pub initials: usize,
    /// `Michael Folkson (MF)`.
    pub name_initials: usize,
    /// `Host`, `Panelist 2`.
    pub roles: usize,
    /// `Aaron`, `sipa`: one word, not initials.
    pub one_word: usize,
    /// Of the kinds that are not `people`, pages a profile makes on purpose.
    pub profiles: usize,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct SpeakerReport {
    pub labels: Vec<LabelRow>,
    pub pages: PageKinds,
    /// Labels (one per episode) by the rule that resolved them.
    pub rules: BTreeMap<&'static str, usize>,
    /// Labels that stay anonymous in their episode (roles, anonymous labels, initials).
    pub local: usize,
}

impl SpeakerReport {
    /// `235 speaker pages: 180 people, 0 initials, …; labels by rule: …; 120 left local`.
    pub fn summary(&self) -> String {
        let p = &self.pages;
        let total = p.people + p.initials + p.name_initials + p.roles + p.one_word;
        let rules: Vec<String> = self
            .rules
            .iter()
            .map(|(rule, n)| format!("{n} {rule}"))
            .collect();
        format!(
            "{total} speaker pages: {} people, {} initials, {} name (initials), {} roles, {} one word ({} with a profile); {} labels: {}; {} left local",
            p.people,
            p.initials,
            p.name_initials,
            p.roles,
            p.one_word,
            p.profiles,
            self.labels.len(),
            rules.join(", "),
            self.local
        )
    }
}

impl std::fmt::Display for LabelRow {
    /// `content/a.md:12: MF (455 turns) → Michael Folkson [initials]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let target = match (self.voice, &self.page) {
            ("person", Some(page)) => format!("{} (/{page})", self.name),
            ("person", None) => self.name.clone(),
            (voice, _) => format!("local, {voice}"),
        };
        write!(
            f,
            "{}:{}: {} ({}) → {target} [{}]",
            self.path.display(),
            self.line,
            self.label,
            count(self.turns, "turn"),
            self.rule.as_str()
        )?;
        if !self.candidates.is_empty() {
            write!(f, "; considered: {}", self.candidates.join(", "))?;
        }
        Ok(())
    }
}

/// Every label of the archive, by file and line, with the counts.
pub fn speaker_report(archive: &Archive, classifier: &Classifier) -> SpeakerReport {
    let mut labels = Vec::new();
    for episode in &archive.episodes {
        for used in &episode.labels {
            let r = &used.resolution;
            let speaker = archive.speaker(&r.voice).map(|(_, s)| s);
            labels.push(LabelRow {
                path: episode.path.clone(),
                line: used.line,
                label: used.label.clone(),
                turns: used.turns,
                voice: match r.voice {
                    Voice::Person(_) => "person",
                    Voice::Anonymous => "anonymous",
                    Voice::Marker => "marker",
                },
                name: speaker.map_or_else(|| r.name.clone(), |s| s.name.clone()),
                page: speaker.map(|s| format!("speakers/{}/", s.slug)),
                rule: r.rule,
                candidates: r.candidates.clone(),
            });
        }
    }
    labels.sort_by(|a, b| (&a.path, a.line, &a.label).cmp(&(&b.path, b.line, &b.label)));
    let mut rules: BTreeMap<&'static str, usize> = BTreeMap::new();
    for row in &labels {
        *rules.entry(row.rule.as_str()).or_default() += 1;
    }
    let local = labels.iter().filter(|r| r.voice == "anonymous").count();
    SpeakerReport {
        pages: page_kinds(archive, classifier),
        labels,
        rules,
        local,
    }
}

/// Counts the speaker pages by the shape of their name.
pub fn page_kinds(archive: &Archive, classifier: &Classifier) -> PageKinds {
    let mut kinds = PageKinds::default();
    for speaker in &archive.speakers {
        let name = speaker.name.as_str();
        let slot = if is_initials(name) {
            &mut kinds.initials
        } else if split_initials(name).is_some() {
            &mut kinds.name_initials
        } else if classifier.classify(name, None) != Kind::Person {
            &mut kinds.roles
        } else if name.split_whitespace().count() == 1 {
            &mut kinds.one_word
        } else {
            kinds.people += 1;
            continue;
        };
        *slot += 1;
        if speaker.profile.is_some() {
            kinds.profiles += 1;
        }
    }
    kinds
}

/// Capital initials left local to their episode: one warning each, with the people the
/// episode names that were considered, so the editor can map them.
pub fn unresolved_initials(archive: &Archive) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for episode in &archive.episodes {
        for used in &episode.labels {
            let r = &used.resolution;
            if r.rule != Rule::UnresolvedInitials {
                continue;
            }
            let why = match r.candidates.len() {
                0 => "the episode names no one in full".to_string(),
                _ if r
                    .candidates
                    .iter()
                    .any(|c| initials_of(c).contains(&used.label.to_uppercase())) =>
                {
                    format!("they are the initials of {}", r.candidates.join(" and "))
                }
                _ => format!(
                    "they are the initials of no one the episode names ({})",
                    r.candidates.join(", ")
                ),
            };
            found.push(
                Diagnostic::warning(
                    &episode.path,
                    format!(
                        "label `{}` ({}) is left anonymous in this episode: {why}; to make it a person, add `speaker_map: {{{}: Full Name}}` or a profile alias",
                        used.label,
                        count(used.turns, "turn"),
                        used.label
                    ),
                )
                .kind("unresolved-initials")
                .at_line(used.line),
            );
        }
    }
    found
}
