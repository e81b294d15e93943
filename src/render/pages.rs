//! Views of the archive-wide pages (home, shows, topics, 404) and the cards they share.

use super::appearance_pages::{page_count, page_range, page_title};
use super::views::*;
use super::Renderer;
use super::{graph, links, summary};
use crate::model::slug::name_key;
use crate::model::{Archive, Episode, EpisodeId, ShowId, Speaker};

/// Episodes on the home page.
const LATEST: usize = 10;
/// Speakers on the home page.
const FREQUENT: usize = 12;
/// Shows on the home page when the site has a page of every show: the largest.
const HOME_SHOWS: usize = 6;
/// Regulars on a show page.
const REGULARS: usize = 8;
/// People of one episode listed on its page, its cards and in feeds; the rest are counted
/// ("and 1,950 more"), so that an episode crediting thousands of names does not copy them all
/// onto every page and feed entry that mentions it.
pub const PEOPLE_LISTED: usize = 50;

pub fn home<'a>(r: &'a Renderer<'_>, mut common: Common<'a>) -> HomePage<'a> {
    let a = r.archive;
    common.title = r.config.title.clone();
    common.meta = super::meta::home(r);
    let mut speakers: Vec<usize> = (0..a.speakers.len()).collect();
    speakers.sort_by_key(|&s| std::cmp::Reverse(a.speakers[s].appearances.len()));
    let mut tags: Vec<TagLink> = a.tags.iter().map(tag_link).collect();
    tags.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| x.name.cmp(&y.name)));
    tags.truncate(20);
    HomePage {
        common,
        latest: (0..a.episodes.len().min(LATEST))
            .map(|id| episode_card(a, EpisodeId::new(id)))
            .collect(),
        shows: shows_by_size(a)
            .into_iter()
            .take(if graph::has_shows_page(a) {
                HOME_SHOWS
            } else {
                usize::MAX
            })
            .map(|id| show_card(a, id))
            .collect(),
        speakers: speakers
            .into_iter()
            .take(FREQUENT)
            .map(|s| speaker_card(a, &a.speakers[s]))
            .collect(),
        tags,
        counts: Counts {
            episodes: a.episodes.len(),
            shows: a.shows.len(),
            speakers: a.speakers.len(),
            words: a.episodes.iter().map(|e| e.words()).sum(),
        },
    }
}

/// The shows, most episodes first, then by title: the order a listener meets them in.
pub fn shows_by_size(a: &Archive) -> Vec<ShowId> {
    let mut order: Vec<ShowId> = (0..a.shows.len()).map(ShowId::new).collect();
    order.sort_by(|&x, &y| {
        let (sx, sy) = (&a.shows[x], &a.shows[y]);
        sy.episodes
            .len()
            .cmp(&sx.episodes.len())
            .then_with(|| by_title(&sx.title, &sy.title))
    });
    order
}

/// Titles as a reader alphabetises them: case aside.
fn by_title(x: &str, y: &str) -> std::cmp::Ordering {
    x.to_lowercase()
        .cmp(&y.to_lowercase())
        .then_with(|| x.cmp(y))
}

/// The page of every show, by title: where a reader looks a show up by name.
pub fn shows<'a>(r: &'a Renderer<'_>, mut common: Common<'a>) -> ShowsPage<'a> {
    let a = r.archive;
    common.title = "Shows".to_string();
    let mut order: Vec<ShowId> = (0..a.shows.len()).map(ShowId::new).collect();
    order.sort_by(|&x, &y| by_title(&a.shows[x].title, &a.shows[y].title));
    ShowsPage {
        common,
        shows: order.into_iter().map(|id| show_card(a, id)).collect(),
    }
}

pub fn show_card(a: &Archive, id: ShowId) -> ShowCard {
    let s = &a.shows[id];
    let latest = s.episodes.first().and_then(|&e| a.episodes[e].date);
    ShowCard {
        title: s.title.clone(),
        path: links::show_page(s, 1),
        description: s
            .description
            .as_deref()
            .and_then(|d| summary::shorten(d, summary::CARD_WORDS)),
        image: links::safe(&s.image),
        episode_count: s.episodes.len(),
        latest: latest.map(|d| d.human()),
        latest_iso: latest.map(|d| d.iso_day()),
    }
}

pub fn show<'a>(
    r: &'a Renderer<'_>,
    mut common: Common<'a>,
    id: ShowId,
    page: usize,
) -> ShowPage<'a> {
    let a = r.archive;
    let show = &a.shows[id];
    let per_page = r.config.paginate_by;
    let total = page_count(show.episodes.len(), per_page);
    common.title = page_title(&show.title, page, total);
    common.meta = super::meta::show(r, id);
    let episodes = show.episodes[page_range(show.episodes.len(), page, per_page)]
        .iter()
        .map(|&e| episode_card(a, e))
        .collect();
    ShowPage {
        common,
        show: ShowView {
            title: show.title.clone(),
            path: links::show_page(show, 1),
            description: show.description.clone(),
            html: r.markdown(&show.body),
            author: show.author.clone(),
            image: links::safe(&show.image),
            link: links::safe(&show.link),
            category: show.category.clone(),
            copyright: show.copyright.clone(),
            episode_count: show.episodes.len(),
            feed: r.has_podcast_feed(id).then(|| links::show_feed(show)),
            extra: show.extra.clone(),
        },
        episodes,
        pagination: Pagination::new(page, total, |n| links::show_page(show, n)),
        regulars: r.regulars[id.index()].clone(),
    }
}

/// The people heard in the most episodes of a show.
/// The regulars of every show, worked out once for all its pages.
pub fn regulars(a: &Archive) -> Vec<Vec<SpeakerLink>> {
    let mut counts: Vec<Vec<(usize, usize)>> = vec![Vec::new(); a.shows.len()];
    for (i, s) in a.speakers.iter().enumerate() {
        let mut per_show = vec![0usize; a.shows.len()];
        for appearance in &s.appearances {
            per_show[appearance.show.index()] += 1;
        }
        for (show, n) in per_show.into_iter().enumerate().filter(|(_, n)| *n > 1) {
            counts[show].push((i, n));
        }
    }
    counts
        .into_iter()
        .map(|mut list| {
            list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            list.into_iter()
                .take(REGULARS)
                .map(|(i, n)| SpeakerLink {
                    name: a.speakers[i].name.clone(),
                    path: Some(links::speaker(&a.speakers[i])),
                    role: Some(format!("{} episodes", crate::text::thousands(n as i64))),
                })
                .collect()
        })
        .collect()
}

pub fn tags<'a>(r: &'a Renderer<'_>, mut common: Common<'a>) -> TagsPage<'a> {
    common.title = "Topics".to_string();
    TagsPage {
        common,
        tags: r.archive.tags.iter().map(tag_link).collect(),
    }
}

pub fn tag<'a>(r: &'a Renderer<'_>, mut common: Common<'a>, id: usize, page: usize) -> TagPage<'a> {
    let tag = &r.archive.tags[id];
    let per_page = r.config.paginate_by;
    let total = page_count(tag.episodes.len(), per_page);
    common.title = page_title(&format!("Topic: {}", tag.name), page, total);
    TagPage {
        common,
        tag: tag_link(tag),
        episodes: tag.episodes[page_range(tag.episodes.len(), page, per_page)]
            .iter()
            .map(|&e| episode_card(r.archive, e))
            .collect(),
        pagination: Pagination::new(page, total, |n| links::tag_page(tag, n)),
    }
}

pub fn search<'a>(r: &'a Renderer<'_>, mut common: Common<'a>) -> SearchPage<'a> {
    common.title = "Search".to_string();
    common.meta.description = format!("Search every transcript of {}.", r.config.title);
    let a = r.archive;
    let mut shows: Vec<Choice> = a
        .shows
        .iter()
        .filter(|show| !show.episodes.is_empty())
        .map(|show| Choice {
            name: show.title.clone(),
            count: show.episodes.len(),
        })
        .collect();
    shows.sort_by(|x, y| x.name.cmp(&y.name));
    let mut years = std::collections::BTreeMap::new();
    for year in a.episodes.iter().filter_map(|e| e.date.map(|d| d.year())) {
        *years.entry(std::cmp::Reverse(year)).or_insert(0) += 1;
    }
    SearchPage {
        common,
        shows,
        years: years
            .into_iter()
            .map(|(std::cmp::Reverse(year), count)| Choice {
                name: year.to_string(),
                count,
            })
            .collect(),
    }
}

/// The 404 page is served at any depth, so its links start from the site's base path.
pub fn not_found<'a>(r: &'a Renderer<'_>, mut common: Common<'a>) -> NotFoundPage<'a> {
    common.title = "Page not found".to_string();
    common.page_path = String::new();
    common.root = r.config.base_path();
    common.canonical = String::new();
    NotFoundPage { common }
}

fn tag_link(tag: &crate::model::Tag) -> TagLink {
    TagLink {
        name: tag.name.clone(),
        path: links::tag(tag),
        count: tag.episodes.len(),
    }
}

pub fn episode_card(a: &Archive, id: EpisodeId) -> EpisodeCard {
    let e = &a.episodes[id];
    let show = &a.shows[e.show];
    EpisodeCard {
        title: e.title.clone(),
        path: links::episode(a, id),
        show: ShowLink {
            title: show.title.clone(),
            path: links::show_page(show, 1),
        },
        date: e.date.map(|d| d.human()),
        date_iso: e.date.map(|d| d.iso_day()),
        number: e.number,
        season: e.season,
        description: e
            .description
            .as_deref()
            .and_then(|d| summary::shorten(d, summary::CARD_WORDS)),
        duration: e.duration.map(|d| d.to_string()),
        speakers: people(a, e),
        more_speakers: more_people(e),
    }
}

/// The people of an episode: those credited, in order, then anyone else heard; at most
/// [`PEOPLE_LISTED`], those who spoke most.
pub fn people(a: &Archive, e: &Episode) -> Vec<SpeakerLink> {
    e.leading_parts(PEOPLE_LISTED)
        .into_iter()
        .filter_map(|part| {
            let speaker = &a.speakers[*a.speaker_ids.get(&part.speaker)?];
            Some(SpeakerLink {
                name: speaker.name.clone(),
                path: Some(links::speaker(speaker)),
                role: part.role.clone(),
            })
        })
        .collect()
}

/// How many people of an episode [`people`] leaves out.
pub fn more_people(e: &Episode) -> usize {
    e.parts.len().saturating_sub(PEOPLE_LISTED)
}

pub fn speaker_card(a: &Archive, s: &Speaker) -> SpeakerCard {
    let mut shows: Vec<ShowId> = s.appearances.iter().map(|ap| ap.show).collect();
    shows.sort_unstable();
    shows.dedup();
    SpeakerCard {
        name: s.name.clone(),
        path: links::speaker(s),
        title: s.profile.as_ref().and_then(|p| p.title.clone()),
        aliases: s
            .profile
            .iter()
            .flat_map(|p| p.aliases.iter())
            .chain(s.spellings.iter().map(|(spelling, _)| spelling))
            .filter(|alias| **alias != s.name)
            .cloned()
            .collect(),
        appearances: s.appearances.len(),
        words: s.words,
        first_year: s.first_appearance().map(|d| d.year()),
        last_year: s.last_appearance().map(|d| d.year()),
        shows: shows
            .into_iter()
            .map(|i| a.shows[i].title.clone())
            .collect(),
        letter: filed_under(&s.name),
    }
}

/// The letter a name is filed under in the speakers index: its first Latin letter, accents
/// aside (`Ñ` → `N`), or `#` when it starts otherwise (a digit, another script).
pub fn filed_under(name: &str) -> String {
    match name_key(name).chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        _ => "#".to_string(),
    }
}
