//! Parsed episodes → [`Archive`]: order, speakers, and what each speaker adds up to.
//!
//! This is the archive-wide step. It reads every episode but copies none: episodes are shared,
//! so a rebuild after one edit re-parses that file and runs only this step again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::build::newest_first;
use super::excerpt::{self, Excerpt};
use super::slug::{is_latin_key, key_hash, slugify, with_hash};
use super::speakers::Spellings;
use super::{
    Appearance, Archive, Block, Credit, Episode, EpisodeId, Part, Profile, Show, Speaker,
    SpeakerId, SpeakerKey, Tag, Voice,
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
        shows[episode.show].episodes.push(EpisodeId::new(id));
    }
    let spellings = count_spellings(&episodes, &profiles);
    let mut speaker_ids: HashMap<SpeakerKey, SpeakerId> = HashMap::new();
    let mut speakers: Vec<Speaker> = Vec::new();
    for key in spellings.keys() {
        let profile = profiles.remove(key.as_str());
        let spelled: Vec<(String, usize)> = spellings
            .of(key)
            .into_iter()
            .filter(|(s, _)| !s.is_empty())
            .collect();
        let name = profile
            .as_ref()
            .map(|p| p.name.clone())
            .or_else(|| spelled.first().map(|(s, _)| s.clone()))
            .unwrap_or_else(|| key.clone());
        let key: SpeakerKey = key.as_str().into();
        speaker_ids.insert(key.clone(), SpeakerId::new(speakers.len()));
        speakers.push(Speaker {
            key,
            slug: String::new(),
            name,
            profile,
            spellings: spelled,
            appearances: Vec::new(),
            turns: 0,
            words: 0,
            co_speakers: Vec::new(),
        });
    }
    let slugs = speaker_slugs(&speakers);
    for (speaker, slug) in speakers.iter_mut().zip(slugs) {
        speaker.slug = slug;
    }
    add_appearances(&mut speakers, &speaker_ids, &episodes);
    let tags = collect_tags(&episodes);
    Archive {
        shows,
        episodes,
        speakers,
        speaker_ids,
        tags,
        reread: None,
    }
}

/// Where each speaker's page is: unique, and stable across builds whatever order the files
/// are read in.
///
/// A profile's page is named by its file. Anyone else written in the Latin alphabet gets the
/// plain slug of their name (`jose-nunez`); a name in another script gets `slug-<hash>`
/// (`wang-wei-3f2a9c1e`) always, since `王伟` and `汪伟` transliterate alike and a page must not
/// move when a namesake first speaks. A Latin name whose plain slug a profile already holds gets
/// the hash too; a hash that still collides (it is short) gets `-2`, `-3` in key order.
fn speaker_slugs(speakers: &[Speaker]) -> Vec<String> {
    let mut taken: HashSet<String> = speakers
        .iter()
        .filter_map(|s| Some(s.profile.as_ref()?.slug.clone()))
        .collect();
    let mut slugs = Vec::with_capacity(speakers.len());
    for speaker in speakers {
        if let Some(profile) = &speaker.profile {
            slugs.push(profile.slug.clone());
            continue;
        }
        let base = slugify(&speaker.key);
        let hashed = with_hash(&base, &key_hash(&speaker.key));
        let wanted = if is_latin_key(&speaker.key) && !taken.contains(&base) {
            base
        } else {
            hashed
        };
        let mut slug = wanted.clone();
        let mut n = 2;
        while !taken.insert(slug.clone()) {
            slug = format!("{wanted}-{n}");
            n += 1;
        }
        slugs.push(slug);
    }
    slugs
}

/// Each person's part in an episode: credited people first, in order, then anyone heard.
pub(super) fn parts(credits: &[Credit], blocks: &[Block]) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    // Each part's turns, by block index and plain text, beside `parts`.
    let mut turns_of: Vec<Vec<(usize, &str)>> = Vec::new();
    // By key: an episode may credit thousands of people.
    let mut index: HashMap<SpeakerKey, usize> = HashMap::new();
    let mut part_of = |key: &SpeakerKey, parts: &mut Vec<Part>| -> usize {
        match index.get(key) {
            Some(&i) => i,
            None => {
                index.insert(key.clone(), parts.len());
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
        turns_of.resize_with(parts.len(), Vec::new);
        turns_of[i].push((index, turn.plain.as_str()));
        let part = &mut parts[i];
        part.turns += 1;
        part.words += turn.words;
        match part.spellings.iter_mut().find(|(s, _)| *s == turn.label) {
            Some((_, n)) => *n += 1,
            None => part.spellings.push((turn.label.clone(), 1)),
        }
    }
    for (part, turns) in parts.iter_mut().zip(&turns_of) {
        if let Some(Block::Turn(turn)) = excerpt::richest(turns).map(|at| &blocks[at]) {
            part.excerpt = Some(Excerpt::of(turn, excerpt::start(&turn.plain)));
        }
    }
    parts
}

/// Every spelling of every person, counted by turns; profiles and credits count too, so a
/// profile without turns and a credited but silent guest still have a page.
fn count_spellings(episodes: &[Arc<Episode>], profiles: &BTreeMap<String, Profile>) -> Spellings {
    let mut spellings = Spellings::default();
    for key in profiles.keys() {
        spellings.count(key, "", 0);
    }
    for part in episodes.iter().flat_map(|e| &e.parts) {
        for (spelling, turns) in &part.spellings {
            spellings.count(&part.speaker, spelling, *turns);
        }
    }
    spellings
}

/// In an episode with more people than this, co-speakers counts only those who spoke most:
/// otherwise a credit list of n names gives n² pairs.
const CO_SPEAKERS_PER_EPISODE: usize = 50;

fn add_appearances(
    speakers: &mut [Speaker],
    ids: &HashMap<SpeakerKey, SpeakerId>,
    episodes: &[Arc<Episode>],
) {
    let mut shared: Vec<BTreeMap<SpeakerId, usize>> = vec![BTreeMap::new(); speakers.len()];
    for (id, episode) in episodes.iter().enumerate() {
        let id = EpisodeId::new(id);
        let people: Vec<(SpeakerId, &Part)> = episode
            .parts
            .iter()
            .filter_map(|part| Some((*ids.get(&part.speaker)?, part)))
            .collect();
        let prominent = most_heard(&people);
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
                excerpt: part.excerpt.clone(),
            });
            for &other in prominent.iter().filter(|&&o| o != speaker) {
                *shared[speaker.index()].entry(other).or_default() += 1;
            }
        }
    }
    for (speaker, counts) in speakers.iter_mut().zip(shared) {
        let mut list: Vec<(SpeakerId, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        speaker.co_speakers = list;
        speaker.appearances.sort_by(|a, b| {
            (a.date.is_none(), a.date, a.episode).cmp(&(b.date.is_none(), b.date, b.episode))
        });
    }
}

/// The people of an episode who count as co-speakers: everyone, up to
/// [`CO_SPEAKERS_PER_EPISODE`]; past that, those with the most turns, then words, then credits
/// order.
fn most_heard(people: &[(SpeakerId, &Part)]) -> Vec<SpeakerId> {
    let mut order: Vec<usize> = (0..people.len()).collect();
    if people.len() > CO_SPEAKERS_PER_EPISODE {
        order.sort_by_key(|&i| {
            let part = people[i].1;
            (
                std::cmp::Reverse(part.turns),
                std::cmp::Reverse(part.words),
                i,
            )
        });
        order.truncate(CO_SPEAKERS_PER_EPISODE);
    }
    order.into_iter().map(|i| people[i].0).collect()
}

fn collect_tags(episodes: &[Arc<Episode>]) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (id, episode) in episodes.iter().enumerate() {
        let id = EpisodeId::new(id);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker(key: &str, profile_slug: Option<&str>) -> Speaker {
        Speaker {
            key: key.into(),
            slug: String::new(),
            name: key.to_string(),
            profile: profile_slug.map(|slug| Profile {
                name: key.to_string(),
                slug: slug.to_string(),
                aliases: Vec::new(),
                title: None,
                links: Vec::new(),
                image: None,
                bio: String::new(),
                extra: serde_json::Value::Null,
                path: format!("content/speakers/{slug}.md").into(),
                body_line: 1,
                field_lines: Default::default(),
            }),
            spellings: Vec::new(),
            appearances: Vec::new(),
            turns: 0,
            words: 0,
            co_speakers: Vec::new(),
        }
    }

    /// `王伟` and `汪伟` are two people who transliterate alike; keyed by slug they once shared
    /// one page. Now each has a page of their own that no namesake can move.
    #[test]
    fn names_that_share_a_slug_get_distinct_stable_pages() {
        let slugs = speaker_slugs(&[speaker("汪伟", None), speaker("王伟", None)]);
        assert_ne!(slugs[0], slugs[1]);
        assert!(
            slugs.iter().all(|s| s.starts_with("wang-wei-")),
            "{slugs:?}"
        );
        let alone = speaker_slugs(&[speaker("王伟", None)]);
        assert_eq!(alone[0], slugs[1], "a namesake moved the page");
    }

    #[test]
    fn latin_names_keep_plain_slugs_unless_a_profile_holds_them() {
        let slugs = speaker_slugs(&[speaker("jose nunez", None), speaker("ann lee", None)]);
        assert_eq!(slugs, ["jose-nunez", "ann-lee"]);
        let slugs = speaker_slugs(&[speaker("li ming", None), speaker("李明", Some("li-ming"))]);
        assert_eq!(slugs[1], "li-ming");
        assert!(slugs[0].starts_with("li-ming-"), "{slugs:?}");
    }

    #[test]
    fn untransliterable_names_whose_fallback_slugs_collide_stay_apart() {
        // Names of symbols only all transliterate to `x-<hash>`; the page slug must still
        // tell apart every name, whatever the hashes do.
        let names = ["✌✌", "✌✌✌", "☂", "☃☃"];
        let speakers: Vec<Speaker> = names.iter().map(|n| speaker(n, None)).collect();
        let slugs = speaker_slugs(&speakers);
        let unique: HashSet<&String> = slugs.iter().collect();
        assert_eq!(unique.len(), names.len(), "{slugs:?}");
    }
}
