//! The speakers index and each speaker's page: everything one person said, across shows.

use super::appearance_pages::{page_title, Pages};
use super::chart;
use super::links;
use super::markdown::first_words;
use super::pages::speaker_card;
use super::views::*;
use super::Renderer;
use crate::model::slug::name_key;
use crate::model::transcript::to_plain_text;
use crate::model::{Appearance, Archive, ShowId, SpeakerId};

/// Words in an excerpt on a speaker page.
const EXCERPT_WORDS: usize = 40;
/// Words of an episode's description beside an appearance.
const DESCRIPTION_WORDS: usize = 30;
/// Others who spoke, named beside an appearance.
const WITH: usize = 4;
/// Each show opens on at least this many of its newest appearances, across as many years as
/// that takes; older years stay closed with their counts.
const OPEN_APPEARANCES: usize = 12;
/// Co-speakers listed on a speaker page.
const CO_SPEAKERS: usize = 24;

pub fn index<'a>(r: &'a Renderer<'_>, mut common: Common<'a>) -> SpeakersPage<'a> {
    let a = r.archive;
    common.title = "Speakers".to_string();
    let mut order: Vec<usize> = (0..a.speakers.len()).collect();
    order.sort_by(|&x, &y| {
        let (sx, sy) = (&a.speakers[x], &a.speakers[y]);
        sy.appearances
            .len()
            .cmp(&sx.appearances.len())
            .then_with(|| sx.name.to_lowercase().cmp(&sy.name.to_lowercase()))
    });
    let cards: Vec<SpeakerCard> = order
        .into_iter()
        .map(|s| speaker_card(a, &a.speakers[s]))
        .collect();
    let letters = letters(&cards);
    SpeakersPage {
        common,
        speakers: rows_with_anchors(cards),
        letters,
    }
}

/// `A` to `Z`, then `#`: the letters of the index, in order.
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ#";

/// Every letter of [`LETTERS`], each with how many speakers are filed under it.
fn letters(speakers: &[SpeakerCard]) -> Vec<Letter> {
    LETTERS
        .chars()
        .map(|c| {
            let letter = c.to_string();
            Letter {
                count: speakers.iter().filter(|s| s.letter == letter).count(),
                anchor: letter_anchor(c),
                letter,
            }
        })
        .collect()
}

/// `letter-m`, or `letter-other` for `#`.
fn letter_anchor(letter: char) -> String {
    match letter {
        '#' => "letter-other".to_string(),
        l => format!("letter-{}", l.to_ascii_lowercase()),
    }
}

/// The cards as rows, in the order given, the first name of each letter (case and accents
/// aside) carrying the letter's anchor. The script sorts by name in the reader's browser and
/// moves each anchor to the first row of its letter there; this is where it starts.
fn rows_with_anchors(cards: Vec<SpeakerCard>) -> Vec<SpeakerRow> {
    let keys: Vec<_> = cards
        .iter()
        .map(|c| (name_key(&c.name), c.name.clone()))
        .collect();
    let mut by_name: Vec<usize> = (0..cards.len()).collect();
    by_name.sort_by(|&x, &y| keys[x].cmp(&keys[y]));
    let mut seen = String::new();
    let mut anchors = vec![None; cards.len()];
    for &row in &by_name {
        let letter = &cards[row].letter;
        if !seen.contains(letter.as_str()) {
            seen.push_str(letter);
            anchors[row] = letter.chars().next().map(letter_anchor);
        }
    }
    cards
        .into_iter()
        .zip(anchors)
        .map(|(card, anchor)| SpeakerRow { card, anchor })
        .collect()
}

/// Page `page` (from 1) of a speaker: the profile, the chart and who they were heard with, and
/// one page of their appearances, newest first.
pub fn page<'a>(
    r: &'a Renderer<'_>,
    mut common: Common<'a>,
    id: SpeakerId,
    page: usize,
) -> SpeakerPage<'a> {
    let a = r.archive;
    let s = &a.speakers[id];
    let pages = Pages::new(&s.appearances, r.config.speakers.appearances_per_page);
    let total = pages.count();
    common.title = page_title(&s.name, page, total);
    common.meta = super::meta::speaker(r, id);
    let range = pages.range(page);
    let profile = s.profile.as_ref();
    SpeakerPage {
        common,
        speaker: SpeakerView {
            name: s.name.clone(),
            path: links::speaker(s),
            title: profile.and_then(|p| p.title.clone()),
            bio_html: profile
                .filter(|p| !p.bio.trim().is_empty())
                .map(|p| r.markdown(&p.bio)),
            image: profile.and_then(|p| links::safe(&p.image)),
            links: profile
                .map(|p| {
                    p.links
                        .iter()
                        .filter_map(|l| {
                            Some(ProfileLinkView {
                                title: l.title.clone(),
                                url: links::safe_url(&l.url)?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            aliases: profile.map(|p| p.aliases.clone()).unwrap_or_default(),
            spellings: s
                .spellings
                .iter()
                .map(|(spelling, _)| spelling.clone())
                .filter(|spelling| {
                    *spelling != s.name
                        && !profile.is_some_and(|p| p.aliases.iter().any(|a| a == spelling))
                })
                .collect(),
            appearances: s.appearances.len(),
            turns: s.turns,
            words: s.words,
            first: s.first_appearance().map(|d| d.human()),
            last: s.last_appearance().map(|d| d.human()),
            feed: links::speaker_feed(s),
            search: links::search_speaker(s),
            extra: profile.map(|p| p.extra.clone()).unwrap_or_default(),
        },
        chart: chart_linked(r, id, &pages, page),
        by_show: by_show(a, id, &pages.on_page(page), &totals(r, id).per_show),
        co_speakers: s
            .co_speakers
            .iter()
            .take(CO_SPEAKERS)
            .map(|&(other, episodes)| CoSpeaker {
                name: a.speakers[other].name.clone(),
                path: links::speaker(&a.speakers[other]),
                episodes,
            })
            .collect(),
        more_co_speakers: s.co_speakers.len().saturating_sub(CO_SPEAKERS),
        pagination: Pagination::new(page, total, |n| links::speaker_page(s, n)),
        shown: Shown {
            first: range.start + 1,
            last: range.end,
        },
    }
}

/// What every page of a speaker shows of all of their appearances, counted once for all of
/// those pages: each takes every appearance, and a page should cost what it lists.
pub struct Totals {
    chart: ChartView,
    /// Appearances per show, by show.
    per_show: Vec<(ShowId, usize)>,
}

fn totals<'r>(r: &'r Renderer<'_>, id: SpeakerId) -> &'r Totals {
    r.speaker_totals[id.index()].get_or_init(|| {
        let appearances = &r.archive.speakers[id].appearances;
        let mut per_show: Vec<(ShowId, usize)> = Vec::new();
        let mut shows: Vec<ShowId> = appearances.iter().map(|ap| ap.show).collect();
        shows.sort_unstable();
        for show in shows {
            match per_show.last_mut() {
                Some((last, n)) if *last == show => *n += 1,
                _ => per_show.push((show, 1)),
            }
        }
        Totals {
            chart: chart::appearances(appearances),
            per_show,
        }
    })
}

/// The speaker's chart, its bars leading to the page that holds each one's newest
/// appearances.
fn chart_linked(r: &Renderer<'_>, id: SpeakerId, pages: &Pages, page: usize) -> ChartView {
    let s = &r.archive.speakers[id];
    let mut chart = totals(r, id).chart.clone();
    let elsewhere = |p: Option<usize>| p.filter(|&p| p != page).map(|p| links::speaker_page(s, p));
    for bar in chart.bars.iter_mut().filter(|bar| bar.count > 0) {
        bar.page = elsewhere(pages.page_until(bar.until));
    }
    chart.undated_page = elsewhere(pages.undated_page());
    chart
}

/// One page's appearances (newest first, undated last) grouped by show (most appearances
/// first), then by year, so a host with a thousand episodes still has a page one can find
/// things on.
fn by_show(
    a: &Archive,
    id: SpeakerId,
    appearances: &[&Appearance],
    per_show: &[(ShowId, usize)],
) -> Vec<ShowAppearances> {
    let mut shows: Vec<ShowId> = appearances.iter().map(|ap| ap.show).collect();
    shows.sort_unstable();
    shows.dedup();
    let mut groups: Vec<ShowAppearances> = shows
        .into_iter()
        .map(|show| {
            let mine: Vec<&Appearance> = appearances
                .iter()
                .copied()
                .filter(|ap| ap.show == show)
                .collect();
            ShowAppearances {
                show: ShowLink {
                    title: a.shows[show].title.clone(),
                    path: links::show_page(&a.shows[show], 1),
                },
                count: per_show
                    .binary_search_by_key(&show, |&(s, _)| s)
                    .map_or(mine.len(), |at| per_show[at].1),
                years: by_year(a, id, &mine),
            }
        })
        .collect();
    groups.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then_with(|| x.show.title.cmp(&y.show.title))
    });
    anchor_years(&mut groups);
    groups
}

/// Appearances given newest first, undated last, in groups by year; the newest
/// [`OPEN_APPEARANCES`] open.
fn by_year(a: &Archive, id: SpeakerId, appearances: &[&Appearance]) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for ap in appearances {
        let year = ap
            .date
            .map_or_else(|| "Undated".to_string(), |d| d.year().to_string());
        let view = appearance_view(a, id, ap);
        match years.last_mut() {
            Some(group) if group.year == year => group.appearances.push(view),
            _ => years.push(YearGroup {
                year,
                anchor: None,
                open: false,
                appearances: vec![view],
            }),
        }
    }
    let mut open = 0;
    for group in &mut years {
        group.open = open < OPEN_APPEARANCES;
        open += group.appearances.len();
    }
    years
}

/// The id each chart bar links to, on the first group of its year down the page.
fn anchor_years(groups: &mut [ShowAppearances]) {
    let mut seen = std::collections::HashSet::new();
    for group in groups.iter_mut().flat_map(|g| &mut g.years) {
        if seen.insert(group.year.clone()) {
            group.anchor = Some(match group.year.parse::<i32>() {
                Ok(year) => chart::year_anchor(year),
                Err(_) => chart::UNDATED_ANCHOR.to_string(),
            });
        }
    }
}

fn appearance_view(a: &Archive, id: SpeakerId, ap: &Appearance) -> AppearanceView {
    let episode = &a.episodes[ap.episode];
    let path = links::episode(a, ap.episode);
    let excerpt = ap.excerpt.as_ref().map(|e| {
        let lead = if e.from > 0 { "…" } else { "" };
        ExcerptView {
            text: format!("{lead}{}", first_words(&e.quote, EXCERPT_WORDS)),
            path: format!("{path}#{}", e.anchor),
            timestamp: e.timestamp.map(|t| t.to_string()),
        }
    });
    let (with, more_with) = others_heard(a, id, ap);
    AppearanceView {
        episode: EpisodeLink {
            title: episode.title.clone(),
            path,
            date: episode.date.map(|d| d.human()),
            date_iso: episode.date.map(|d| d.iso_day()),
        },
        role: ap.role.clone(),
        listed: ap.turns == 0,
        turns: ap.turns,
        words: ap.words,
        description: episode
            .description
            .as_deref()
            .map(|d| first_words(&to_plain_text(d), DESCRIPTION_WORDS))
            .filter(|d| !d.is_empty()),
        with,
        more_with,
        excerpt,
    }
}

/// Who else spoke in the episode of an appearance: those who spoke most, up to [`WITH`], and
/// how many more did.
fn others_heard(a: &Archive, id: SpeakerId, ap: &Appearance) -> (Vec<SpeakerLink>, usize) {
    let episode = &a.episodes[ap.episode];
    let others = |part: &&crate::model::Part| {
        part.turns > 0
            && a.speaker_ids
                .get(&part.speaker)
                .is_some_and(|&other| other != id)
    };
    let heard = episode.parts.iter().filter(others).count();
    let with: Vec<SpeakerLink> = episode
        .leading_parts(WITH + 1)
        .into_iter()
        .filter(others)
        .take(WITH)
        .filter_map(|part| {
            let speaker = &a.speakers[*a.speaker_ids.get(&part.speaker)?];
            Some(SpeakerLink {
                name: speaker.name.clone(),
                path: Some(links::speaker(speaker)),
                role: part.role.clone(),
            })
        })
        .collect();
    let more = heard - with.len();
    (with, more)
}
