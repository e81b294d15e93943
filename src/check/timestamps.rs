//! Timestamps that go backwards, or past the episode's `duration`.

use crate::error::Diagnostic;
use crate::model::{Archive, Block, Timestamp};

/// The first problem of each kind in an episode, with how many more there are.
pub fn out_of_order(archive: &Archive) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (episode, blocks) in super::transcripts(archive) {
        let mut backwards: Vec<(usize, Timestamp, Timestamp)> = Vec::new();
        let mut past_end: Vec<(usize, Timestamp)> = Vec::new();
        let mut last: Option<Timestamp> = None;
        for (line, timestamp) in blocks.iter().filter_map(timestamp_of) {
            if let Some(previous) = last.filter(|p| timestamp < *p) {
                backwards.push((line, timestamp, previous));
            }
            if episode.duration.is_some_and(|d| timestamp > d) {
                past_end.push((line, timestamp));
            }
            last = Some(timestamp);
        }
        if let Some(&(line, t, previous)) = backwards.first() {
            found.push(
                Diagnostic::warning(
                    &episode.path,
                    format!(
                        "timestamp {t} goes back from {previous} before it{}",
                        more(backwards.len())
                    ),
                )
                .kind("timestamp-order")
                .at_line(line),
            );
        }
        if let (Some(&(line, t)), Some(duration)) = (past_end.first(), episode.duration) {
            found.push(
                Diagnostic::warning(
                    &episode.path,
                    format!(
                        "timestamp {t} is past the episode's duration {duration}{}",
                        more(past_end.len())
                    ),
                )
                .kind("timestamp-past-duration")
                .at_line(line),
            );
        }
    }
    found
}

fn timestamp_of(block: &Block) -> Option<(usize, Timestamp)> {
    match block {
        Block::Turn(t) => Some((t.line, t.timestamp?)),
        Block::Chapter(c) => Some((c.line, c.timestamp?)),
        Block::Prose { .. } => None,
    }
}

fn more(total: usize) -> String {
    if total > 1 {
        format!(" ({} more in this file)", total - 1)
    } else {
        String::new()
    }
}
