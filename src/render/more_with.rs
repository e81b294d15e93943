//! "More with": at the end of an episode page, the people heard in it who are in other episodes
//! too, each with a few of those and the way to all of them.
//!
//! Guests come first: a host's other episodes are mostly the show the reader is already in. A
//! host is whoever the episode's role for them says is one (`host`, `co-host`, `interviewer`,
//! as the podcast feed reads roles); someone without a role is taken for a host when they are in
//! most of the show's episodes. Hosts still follow the guests when there is room.
//!
//! The block is bounded (at most [`PEOPLE`] people, [`EPISODES`] episodes each) and its cost is
//! linear in the episode's people, so a credit list of thousands stays cheap.

use std::collections::{HashMap, HashSet};

use super::views::{EpisodeLink, MoreWith, OtherEpisode, ShowLink};
use super::{feeds, links};
use crate::model::{Archive, EpisodeId, Part, Speaker, SpeakerId};

/// People in the block: those who spoke most, guests first.
pub const PEOPLE: usize = 6;
/// Other episodes listed for each.
pub const EPISODES: usize = 3;
/// A show needs this many episodes before being in most of them says anything.
const MAINSTAY_MIN_EPISODES: usize = 3;

/// Per show, the people in more than half of its episodes: its hosts, where no role says.
/// Worked out once for every page.
pub fn mainstays(a: &Archive) -> Vec<HashSet<SpeakerId>> {
    let mut mainstays = vec![HashSet::new(); a.shows.len()];
    for (i, speaker) in a.speakers.iter().enumerate() {
        let mut per_show: HashMap<usize, usize> = HashMap::new();
        for appearance in &speaker.appearances {
            *per_show.entry(appearance.show.index()).or_default() += 1;
        }
        for (show, count) in per_show {
            let episodes = a.shows[show].episodes.len();
            if episodes >= MAINSTAY_MIN_EPISODES && count * 2 > episodes {
                mainstays[show].insert(SpeakerId::new(i));
            }
        }
    }
    mainstays
}

/// The block for one episode: the people heard in it who appear elsewhere, guests first, then
/// by words spoken here.
pub fn people(a: &Archive, mainstays: &[HashSet<SpeakerId>], id: EpisodeId) -> Vec<MoreWith> {
    let e = &a.episodes[id];
    let show_mainstays = &mainstays[e.show.index()];
    let mut heard: Vec<(bool, &Part, SpeakerId)> = e
        .parts
        .iter()
        .filter(|part| part.turns > 0)
        .filter_map(|part| {
            let speaker = *a.speaker_ids.get(&part.speaker)?;
            let elsewhere = a.speakers[speaker].appearances.len() > 1;
            elsewhere.then(|| (is_host(part, speaker, show_mainstays), part, speaker))
        })
        .collect();
    // Stable: people who spoke as much keep the episode's order (credits first).
    heard.sort_by_key(|&(host, part, _)| (host, std::cmp::Reverse(part.words)));
    heard.truncate(PEOPLE);
    heard
        .into_iter()
        .map(|(host, part, speaker)| person(a, &a.speakers[speaker], part, host, id))
        .collect()
}

fn is_host(part: &Part, speaker: SpeakerId, mainstays: &HashSet<SpeakerId>) -> bool {
    match part.role.as_deref() {
        Some(role) => matches!(
            feeds::person_role(Some(role)),
            "host" | "co-host" | "guest host"
        ),
        None => mainstays.contains(&speaker),
    }
}

fn person(a: &Archive, s: &Speaker, part: &Part, host: bool, this: EpisodeId) -> MoreWith {
    MoreWith {
        name: s.name.clone(),
        path: links::speaker(s),
        role: part.role.clone(),
        host,
        appearances: s.appearances.len(),
        episodes: other_episodes(s, this)
            .into_iter()
            .map(|e| other_episode(a, e))
            .collect(),
    }
}

/// Up to [`EPISODES`] of a speaker's episodes other than `this`, newest first, undated last.
/// Appearances run oldest first with the undated at the end, so the newest are read from the
/// end of the dated ones: no walk through a long career.
fn other_episodes(s: &Speaker, this: EpisodeId) -> Vec<EpisodeId> {
    let dated = s.appearances.partition_point(|ap| ap.date.is_some());
    let (dated, undated) = s.appearances.split_at(dated);
    dated
        .iter()
        .rev()
        .chain(undated)
        .map(|ap| ap.episode)
        .filter(|&e| e != this)
        .take(EPISODES)
        .collect()
}

fn other_episode(a: &Archive, id: EpisodeId) -> OtherEpisode {
    let e = &a.episodes[id];
    let show = &a.shows[e.show];
    OtherEpisode {
        episode: EpisodeLink {
            title: e.title.clone(),
            path: links::episode(a, id),
            date: e.date.map(|d| d.human()),
            date_iso: e.date.map(|d| d.iso_day()),
        },
        show: ShowLink {
            title: show.title.clone(),
            path: links::show_page(show, 1),
        },
    }
}
