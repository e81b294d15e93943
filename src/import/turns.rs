//! Cues → turns: captions cut speech where the screen fills up; an episode cuts it where the
//! speaker changes.
//!
//! Consecutive cues of one speaker become one turn, timed by its first cue; a cue that names
//! no speaker goes on with the turn before it. Merging never drops or repeats a word: the
//! words of the turns are the words of the cues, in order.

use super::Cue;
use crate::text::{ends_sentence, one_line};

/// A turn longer than this many words is split into paragraphs for reading.
const LONG_TURN_WORDS: usize = 120;
/// A paragraph of a long turn closes at the first sentence end after this many words…
const PARAGRAPH_WORDS: usize = 80;
/// …unless fewer words than this would be left for the last paragraph.
const SHORTEST_LAST_PARAGRAPH: usize = 20;

/// What one speaker said without interruption.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// Seconds; `None` when the source has no times.
    pub start: Option<f64>,
    pub speaker: Option<String>,
    pub paragraphs: Vec<String>,
}

impl Turn {
    pub fn words(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }

    /// The whole turn as one line of text.
    pub fn text(&self) -> String {
        self.paragraphs.join(" ")
    }
}

/// A turn being gathered: its text still one string.
struct Open {
    start: Option<f64>,
    speaker: Option<String>,
    text: String,
}

/// Merges cues into turns (see the module's introduction). A labelled cue with no text still
/// names who speaks next; a turn that ends up with no words is left out.
pub fn merge(cues: &[Cue]) -> Vec<Turn> {
    let mut open: Vec<Open> = Vec::new();
    for cue in cues {
        if cue.speaker.is_some() && open.last().is_some_and(|t| t.text.is_empty()) {
            // The turn before said nothing: this speaker interrupted before a word.
            open.pop();
        }
        match open.last_mut() {
            Some(turn) if cue.speaker.is_none() || cue.speaker == turn.speaker => {
                turn.start = turn.start.or(cue.start);
                append(&mut turn.text, &cue.text);
            }
            _ => open.push(Open {
                start: cue.start,
                speaker: cue.speaker.clone(),
                text: one_line(&cue.text),
            }),
        }
    }
    open.into_iter()
        .filter(|t| !t.text.is_empty())
        .map(|t| Turn {
            start: t.start,
            speaker: t.speaker,
            paragraphs: paragraphs(&t.text),
        })
        .collect()
}

fn append(text: &mut String, more: &str) {
    for word in more.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
}

/// A long turn as paragraphs of whole sentences; a short one, or one with no sentence ends,
/// as one paragraph.
fn paragraphs(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= LONG_TURN_WORDS {
        return vec![words.join(" ")];
    }
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        current.push(*word);
        let left = words.len() - i - 1;
        if current.len() >= PARAGRAPH_WORDS
            && ends_sentence(word)
            && left >= SHORTEST_LAST_PARAGRAPH
        {
            paragraphs.push(current.join(" "));
            current.clear();
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: f64, speaker: Option<&str>, text: &str) -> Cue {
        Cue {
            start: Some(start),
            end: None,
            speaker: speaker.map(String::from),
            text: text.to_string(),
            line: 0,
        }
    }

    fn summary(turns: &[Turn]) -> Vec<(Option<f64>, Option<&str>, String)> {
        turns
            .iter()
            .map(|t| (t.start, t.speaker.as_deref(), t.text()))
            .collect()
    }

    #[test]
    fn one_turn_per_change_of_speaker() {
        let turns = merge(&[
            cue(0.0, None, "Before anyone is named."),
            cue(1.0, Some("Ann"), "Hello"),
            cue(2.0, Some("Ann"), "there."),
            cue(3.0, None, "Still Ann."),
            cue(4.0, Some("Bo"), "Hi."),
            cue(5.0, Some("Ann"), "Bye."),
        ]);
        assert_eq!(
            summary(&turns),
            [
                (Some(0.0), None, "Before anyone is named.".into()),
                (Some(1.0), Some("Ann"), "Hello there. Still Ann.".into()),
                (Some(4.0), Some("Bo"), "Hi.".into()),
                (Some(5.0), Some("Ann"), "Bye.".into()),
            ]
        );
    }

    #[test]
    fn a_speaker_who_says_nothing_takes_no_turn() {
        let turns = merge(&[
            cue(0.0, Some("Ann"), "One."),
            cue(1.0, Some("Bo"), ""),
            cue(2.0, Some("Ann"), "Two."),
            cue(3.0, Some("Cy"), ""),
            cue(4.0, None, "Cy speaks now."),
        ]);
        assert_eq!(
            summary(&turns),
            [
                (Some(0.0), Some("Ann"), "One. Two.".into()),
                (Some(3.0), Some("Cy"), "Cy speaks now.".into()),
            ]
        );
    }

    #[test]
    fn long_turns_become_paragraphs_of_whole_sentences() {
        let sentence = "This sentence has exactly ten words in it, all told.";
        let text = vec![sentence; 25].join(" ");
        let turns = merge(&[cue(0.0, Some("Ann"), &text)]);
        let paragraphs = &turns[0].paragraphs;
        assert_eq!(paragraphs.len(), 3, "{paragraphs:?}");
        assert!(paragraphs.iter().all(|p| p.ends_with("all told.")));
        assert_eq!(turns[0].words(), 250);
        let unbroken = vec!["word"; 200].join(" ");
        assert_eq!(merge(&[cue(0.0, None, &unbroken)])[0].paragraphs.len(), 1);
    }
}
