//! Labels nobody declared, and declared speakers who never speak.

use std::collections::BTreeMap;

use super::count;
use crate::error::Diagnostic;
use crate::model::{Archive, Voice};

/// A person's label that neither the episode nor a profile declares: one warning per label
/// and episode, at its first turn.
pub fn undeclared_labels(archive: &Archive) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (episode, blocks) in super::transcripts(archive) {
        let mut labels: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for turn in blocks.turns() {
            if !turn.declared && matches!(turn.voice, Voice::Person(_)) {
                let entry = labels.entry(&turn.label).or_insert((turn.line, 0));
                entry.1 += 1;
            }
        }
        let mut by_line: Vec<(&str, (usize, usize))> = labels.into_iter().collect();
        by_line.sort_by_key(|(_, (line, _))| *line);
        for (label, (line, turns)) in by_line {
            found.push(
                Diagnostic::warning(
                    &episode.path,
                    format!(
                        "label `{label}` ({}) names no declared speaker: add it to `speakers`, or as an alias in a profile",
                        count(turns, "turn")
                    ),
                )
                .kind("undeclared-label")
                .at_line(line),
            );
        }
    }
    found
}

/// Someone the front matter credits as a person who has no turn in the episode.
pub fn silent_speakers(archive: &Archive) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (episode, blocks) in super::transcripts(archive) {
        let has_turns = blocks.turns().next().is_some();
        if !has_turns {
            continue;
        }
        for credit in &episode.credits {
            if !matches!(credit.voice, Voice::Person(_)) {
                continue;
            }
            if blocks.turns().any(|t| t.voice == credit.voice) {
                continue;
            }
            let line = episode.field_lines.get("speakers").copied().unwrap_or(1);
            found.push(
                Diagnostic::warning(
                    &episode.path,
                    format!("`{}` is listed in `speakers` but never speaks", credit.name),
                )
                .kind("silent-speaker")
                .at_line(line),
            );
        }
    }
    found
}
