//! Parsed episodes → [`Archive`]: order, speakers, and what each speaker adds up to.
//!
//! This is the archive-wide step. It reads every episode but copies none: episodes are shared,
//! so a rebuild after one edit re-parses that file and runs only this step again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::build::newest_first;
use super::slug::slugify;
use super::speakers::Spellings;
use super::{
    Appearance, Archive, Block, Credit, Episode, Part, Profile, Show, Speaker, SpeakerKey, Tag,
    Voice,
};

/// Orders the episodes, numbers the speakers and adds up their appearances.
pub fn assemble(
    mut shows: Vec<Show>,
    mut episodes: Vec<Arc<Episode>>,
    mut profiles: BTreeMap<String, Profile>,
) -> Archive {
    episodes.sort_by(|a, b| newest_first(a, b, &shows));
    for show in &mut shows {
        show.episodes.clear();
    }
    for (id, episode) in episodes.iter().enumerate() {
        shows[episode.show].episodes.push(id);
    }
    let spellings = count_spellings(&episodes, &profiles);
    let mut speaker_ids: HashMap<SpeakerKey, usize> = HashMap::new();
    let mut speakers: Vec<Speaker> = Vec::new();
    for slug in spellings.slugs() {
        let profile = profiles.remove(slug.as_str());
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
        speaker_ids.insert(slug.as_str().into(), speakers.len());
        speakers.push(Speaker {
            slug: slug.clone(),
            name,
            profile,
            spellings: spelled,
            appearances: Vec::new(),
            turns: 0,
            words: 0,
            co_speakers: Vec::new(),
        });
    }
    add_appearances(&mut speakers, &speaker_ids, &episodes);
    let tags = collect_tags(&episodes);
    Archive {
        shows,
        episodes,
        speakers,
        speaker_ids,
        tags,
    }
}

/// Each person's part in an episode: credited people first, in order, then anyone heard.
pub(super) fn parts(credits: &[Credit], blocks: &[Block]) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let part_of = |key: &SpeakerKey, parts: &mut Vec<Part>| -> usize {
        match parts.iter().position(|p| p.speaker == *key) {
            Some(i) => i,
            None => {
                parts.push(Part {
                    speaker: key.clone(),
                    spellings: Vec::new(),
                    role: None,
                    turns: 0,
                    words: 0,
                    excerpt: None,
                });
                parts.len() - 1
            }
        }
    };
    for credit in credits {
        if let Voice::Person(key) = &credit.voice {
            let i = part_of(key, &mut parts);
            let part = &mut parts[i];
            part.role = part.role.take().or_else(|| credit.role.clone());
            if !part.spellings.iter().any(|(s, _)| *s == credit.name) {
                part.spellings.push((credit.name.clone(), 0));
            }
        }
    }
    for (index, block) in blocks.iter().enumerate() {
        let Block::Turn(turn) = block else { continue };
        let Voice::Person(key) = &turn.voice else {
            continue;
        };
        let i = part_of(key, &mut parts);
        let part = &mut parts[i];
        part.turns += 1;
        part.words += turn.words;
        part.excerpt = better_excerpt(part.excerpt, index, blocks);
        match part.spellings.iter_mut().find(|(s, _)| *s == turn.label) {
            Some((_, n)) => *n += 1,
            None => part.spellings.push((turn.label.clone(), 1)),
        }
    }
    parts
}

/// Every spelling of every person, counted by turns; profiles and credits count too, so a
/// profile without turns and a credited but silent guest still have a page.
fn count_spellings(episodes: &[Arc<Episode>], profiles: &BTreeMap<String, Profile>) -> Spellings {
    let mut spellings = Spellings::default();
    for slug in profiles.keys() {
        spellings.count(slug, "", 0);
    }
    for part in episodes.iter().flat_map(|e| &e.parts) {
        for (spelling, turns) in &part.spellings {
            spellings.count(&part.speaker, spelling, *turns);
        }
    }
    spellings
}

fn add_appearances(
    speakers: &mut [Speaker],
    ids: &HashMap<SpeakerKey, usize>,
    episodes: &[Arc<Episode>],
) {
    let mut shared: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); speakers.len()];
    for (id, episode) in episodes.iter().enumerate() {
        let people: Vec<(usize, &Part)> = episode
            .parts
            .iter()
            .filter_map(|part| Some((*ids.get(&part.speaker)?, part)))
            .collect();
        for &(speaker, part) in &people {
            let s = &mut speakers[speaker];
            s.turns += part.turns;
            s.words += part.words;
            s.appearances.push(Appearance {
                episode: id,
                show: episode.show,
                date: episode.date,
                role: part.role.clone(),
                turns: part.turns,
                words: part.words,
                excerpt: part.excerpt,
            });
            for &(other, _) in people.iter().filter(|(o, _)| *o != speaker) {
                *shared[speaker].entry(other).or_default() += 1;
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

fn collect_tags(episodes: &[Arc<Episode>]) -> Vec<Tag> {
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
