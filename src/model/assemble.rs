//! Parsed episodes → [`Archive`]: order, speakers, and what each speaker adds up to.
//!
//! This is the archive-wide step. It reads every episode but copies none: episodes are shared,
//! so a rebuild after one edit re-parses that file and runs only this step again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::build::newest_first;
use super::slug::slugify;
use super::speakers::Spellings;
use super::{Appearance, Archive, Block, Episode, Profile, Show, Speaker, SpeakerKey, Tag, Voice};

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

/// Every spelling of every person, counted by turns; profiles and credits count too, so a
/// profile without turns and a credited but silent guest still have a page.
fn count_spellings(episodes: &[Arc<Episode>], profiles: &BTreeMap<String, Profile>) -> Spellings {
    let mut spellings = Spellings::default();
    for slug in profiles.keys() {
        spellings.count(slug, "", 0);
    }
    for episode in episodes {
        for turn in episode.turns() {
            if let Voice::Person(key) = &turn.voice {
                spellings.count(key, &turn.label, 1);
            }
        }
        for credit in &episode.credits {
            if let Voice::Person(key) = &credit.voice {
                spellings.count(key, &credit.name, 0);
            }
        }
    }
    spellings
}

fn add_appearances(
    speakers: &mut [Speaker],
    ids: &HashMap<SpeakerKey, usize>,
    episodes: &[Arc<Episode>],
) {
    let id_of = |voice: &Voice| match voice {
        Voice::Person(key) => ids.get(key).copied(),
        _ => None,
    };
    let mut shared: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); speakers.len()];
    for (id, episode) in episodes.iter().enumerate() {
        let mut here: BTreeMap<usize, Appearance> = BTreeMap::new();
        let voices = episode
            .credits
            .iter()
            .map(|c| &c.voice)
            .chain(episode.turns().map(|t| &t.voice));
        for speaker in voices.filter_map(id_of) {
            here.entry(speaker).or_insert_with(|| Appearance {
                episode: id,
                show: episode.show,
                date: episode.date,
                role: None,
                turns: 0,
                words: 0,
                excerpt: None,
            });
        }
        for (index, block) in episode.blocks.iter().enumerate() {
            if let Block::Turn(turn) = block {
                if let Some(a) = id_of(&turn.voice).and_then(|s| here.get_mut(&s)) {
                    a.turns += 1;
                    a.words += turn.words;
                    a.excerpt = better_excerpt(a.excerpt, index, &episode.blocks);
                }
            }
        }
        for credit in &episode.credits {
            if let Some(a) = id_of(&credit.voice).and_then(|s| here.get_mut(&s)) {
                a.role = a.role.take().or_else(|| credit.role.clone());
            }
        }
        let people: Vec<usize> = here.keys().copied().collect();
        for (speaker, appearance) in here {
            let s = &mut speakers[speaker];
            s.turns += appearance.turns;
            s.words += appearance.words;
            s.appearances.push(appearance);
            for other in people.iter().filter(|&&o| o != speaker) {
                *shared[speaker].entry(*other).or_default() += 1;
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
