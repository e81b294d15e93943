//! Typed views: exactly what each template receives. This file is the theme API, documented
//! field by field in `docs/themes.md`; change one, change the other.
//!
//! Every link is site-relative (`show/episode/`) and templates prefix it with `root`, the way
//! back to the site root from the page being rendered (`../../`). Relative links work at a
//! domain root, under a sub-path and from disk alike.

use serde::Serialize;

/// Fields every page gets.
#[derive(Serialize)]
pub struct Common<'a> {
    pub site: &'a SiteView,
    /// The way back to the site root from this page: `./`, `../../`; on 404.html the site's
    /// absolute base path, since that page is served at any depth.
    pub root: String,
    /// This page's path inside the site, such as `show/episode/` (empty for the home page).
    pub page_path: String,
    /// This page's absolute URL, when `base_url` is set.
    pub canonical: String,
    /// The page's title, for `<title>`.
    pub title: String,
    /// What the page says about itself in `<head>`.
    pub meta: Meta,
}

/// Description, link preview, feeds and structured data of a page.
#[derive(Serialize)]
pub struct Meta {
    /// For `<meta name="description">` and link previews.
    pub description: String,
    /// The OpenGraph type: `website`, `article` (an episode) or `profile` (a speaker).
    pub og_type: &'static str,
    /// An absolute image URL for link previews.
    pub image: Option<String>,
    /// Feeds to announce with `<link rel="alternate">`, the most specific first.
    pub feeds: Vec<FeedLink>,
    /// schema.org JSON-LD, escaped to sit inside `<script type="application/ld+json">` as it
    /// is (`| safe`); empty when the page has none.
    pub json_ld: String,
}

#[derive(Serialize)]
pub struct FeedLink {
    pub title: String,
    /// Site-relative, like every path.
    pub path: String,
    /// `application/rss+xml` or `application/atom+xml`.
    pub mime: &'static str,
}

#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub author: String,
    pub base_url: String,
    pub generator: String,
    /// Every show, most episodes first (then by title).
    pub shows: Vec<ShowLink>,
    /// Whether the site has a search page (`search/`) and index (`pagefind/`).
    pub search: bool,
    pub extra: serde_json::Value,
    #[serde(flatten)]
    pub navigation: Navigation,
}

/// What the header and footer link to: only pages the site has.
#[derive(Serialize)]
pub struct Navigation {
    /// The shows the header names: the few with the most episodes.
    pub header_shows: Vec<ShowLink>,
    /// The page of every show (`shows/`), when there are more shows than `header_shows`.
    pub shows_page: Option<String>,
    /// The topics page (`tags/`), when an episode has tags.
    pub tags_page: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct ShowLink {
    pub title: String,
    pub path: String,
}

#[derive(Serialize, Clone)]
pub struct SpeakerLink {
    pub name: String,
    /// `None` for anonymous voices and markers: they have no page.
    pub path: Option<String>,
    pub role: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct EpisodeLink {
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
}

/// An episode in a list.
#[derive(Serialize)]
pub struct EpisodeCard {
    pub title: String,
    pub path: String,
    pub show: ShowLink,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub number: Option<u32>,
    pub season: Option<u32>,
    /// Shortened for a card: at most 40 words of plain text (see `summary`).
    pub description: Option<String>,
    pub duration: Option<String>,
    /// At most 50, those who spoke most.
    pub speakers: Vec<SpeakerLink>,
    /// How many more people the episode has than `speakers` lists.
    pub more_speakers: usize,
}

#[derive(Serialize)]
pub struct ShowCard {
    pub title: String,
    pub path: String,
    /// Shortened for a card: at most 40 words of plain text (see `summary`).
    pub description: Option<String>,
    pub image: Option<String>,
    pub episode_count: usize,
    pub latest: Option<String>,
    pub latest_iso: Option<String>,
}

#[derive(Serialize)]
pub struct SpeakerCard {
    pub name: String,
    pub path: String,
    pub title: Option<String>,
    /// Profile aliases and other spellings found in transcripts, for filtering.
    pub aliases: Vec<String>,
    pub appearances: usize,
    pub words: usize,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub shows: Vec<String>,
    /// The letter the name is filed under, `A` to `Z`, or `#` for any other start.
    pub letter: String,
}

#[derive(Serialize)]
pub struct TagLink {
    pub name: String,
    pub path: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct Counts {
    pub episodes: usize,
    pub shows: usize,
    pub speakers: usize,
    pub words: usize,
}

/// `home.html`: the archive's front page.
#[derive(Serialize)]
pub struct HomePage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub latest: Vec<EpisodeCard>,
    pub shows: Vec<ShowCard>,
    pub speakers: Vec<SpeakerCard>,
    pub tags: Vec<TagLink>,
    pub counts: Counts,
}

#[derive(Serialize)]
pub struct ShowView {
    pub title: String,
    pub path: String,
    pub description: Option<String>,
    /// The show's Markdown description, as HTML.
    pub html: String,
    pub author: Option<String>,
    pub image: Option<String>,
    pub link: Option<String>,
    pub category: Option<String>,
    pub copyright: Option<String>,
    pub episode_count: usize,
    /// The podcast feed, when an episode has audio.
    pub feed: Option<String>,
    pub extra: serde_json::Value,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
    /// Whether pages left out of the list lie between this one and the one before it.
    pub gap: bool,
}

#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// How many pages on each side of the current one [`Pagination::pages`] lists.
pub const PAGES_AROUND: usize = 2;

impl Pagination {
    /// Page `current` of `total`, each page's path given by `path_of` its number (from 1).
    /// Only the first, the last and those near `current` are listed: listing every page on
    /// every page would make a list of 5,000 pages write 25 million links.
    pub fn new(current: usize, total: usize, path_of: impl Fn(usize) -> String) -> Pagination {
        let near = current.saturating_sub(PAGES_AROUND).max(1)..=(current + PAGES_AROUND);
        let mut listed: Vec<usize> = Vec::with_capacity(2 * PAGES_AROUND + 3);
        listed.push(1);
        listed.extend(near.filter(|&n| n <= total));
        listed.push(total);
        listed.dedup();
        let mut pages: Vec<PageLink> = Vec::with_capacity(listed.len());
        for number in listed {
            let gap = pages
                .last()
                .is_some_and(|before| before.number + 1 < number);
            pages.push(PageLink {
                number,
                path: path_of(number),
                current: number == current,
                gap,
            });
        }
        Pagination {
            current,
            total,
            previous: (current > 1).then(|| path_of(current - 1)),
            next: (current < total).then(|| path_of(current + 1)),
            pages,
        }
    }
}

/// `show.html`: one page of a show's episodes, newest first.
#[derive(Serialize)]
pub struct ShowPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub show: ShowView,
    pub episodes: Vec<EpisodeCard>,
    pub pagination: Pagination,
    /// The people heard most on this show.
    pub regulars: Vec<SpeakerLink>,
}

#[derive(Serialize)]
pub struct AudioView {
    pub url: String,
    pub mime: String,
    pub length: Option<u64>,
}

/// A YouTube video an episode without audio links to.
#[derive(Serialize)]
pub struct VideoView {
    /// The video's ID (11 characters of `A-Z a-z 0-9 _ -`).
    pub id: String,
    /// Its page on YouTube: `https://www.youtube.com/watch?v=ID`.
    pub url: String,
    /// The privacy-enhanced player to load when the reader asks for it
    /// (`https://www.youtube-nocookie.com/embed/ID?…`); only with `[video] embed = true`.
    pub embed: Option<String>,
}

#[derive(Serialize)]
pub struct EpisodeView {
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub number: Option<u32>,
    pub season: Option<u32>,
    pub description: Option<String>,
    pub duration: Option<String>,
    pub audio: Option<AudioView>,
    pub link: Option<String>,
    /// The video `link` names, when the episode has no audio to play: its timestamps open it.
    pub video: Option<VideoView>,
    /// Where the transcript comes from, as written: a name or a safe URL.
    pub source: Option<String>,
    /// `source` when it is a URL to link.
    pub source_url: Option<String>,
    pub license: Option<String>,
    /// `license` when it is a URL to link.
    pub license_url: Option<String>,
    pub copyright: Option<String>,
    pub image: Option<String>,
    pub tags: Vec<TagLink>,
    /// The transcript in the formats podcast apps read, when it has them.
    pub files: Vec<FileLink>,
    pub words: usize,
    pub turns: usize,
    pub extra: serde_json::Value,
}

/// A file beside a page: `transcript.vtt`.
#[derive(Serialize)]
pub struct FileLink {
    /// For people: `WebVTT`, `SRT`, `JSON`, `Text`, `Chapters (JSON)`.
    pub label: &'static str,
    pub path: String,
    pub mime: &'static str,
}

#[derive(Serialize)]
pub struct ChapterView {
    pub title: String,
    pub anchor: String,
    pub timestamp: Option<String>,
    pub seconds: Option<f64>,
    /// Where the timestamp leads: the chapter on this page (`#ch-…`), or the episode's video
    /// at that time when it has one and no audio.
    pub time_url: Option<String>,
}

/// One block of a transcript, in order. `kind` tells which fields are set.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BlockView {
    Turn(TurnView),
    Chapter(ChapterView),
    /// Narration, show notes: Markdown rendered to HTML.
    Prose {
        html: String,
    },
}

#[derive(Serialize)]
pub struct TurnView {
    pub anchor: String,
    pub speaker: String,
    pub speaker_path: Option<String>,
    /// `person`, `anonymous` or `marker`.
    pub voice: &'static str,
    /// The speaker's position among this episode's voices (1, 2, …), to tell them apart.
    pub voice_index: usize,
    pub timestamp: Option<String>,
    pub seconds: Option<f64>,
    /// Where the timestamp leads: the turn on this page (`#t-00-12-05`), or the episode's
    /// video at that time when it has one and no audio.
    pub time_url: Option<String>,
    /// What was said, as HTML.
    pub html: String,
}

/// `episode.html`: the transcript.
#[derive(Serialize)]
pub struct EpisodePage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub episode: EpisodeView,
    pub show: ShowLink,
    /// Credited speakers with their roles, then anyone else heard (at most 50 people, those
    /// who spoke most), then anonymous voices.
    pub speakers: Vec<SpeakerLink>,
    /// How many more people the episode has than `speakers` lists.
    pub more_speakers: usize,
    pub chapters: Vec<ChapterView>,
    pub blocks: Vec<BlockView>,
    /// The next older and next newer episode of the same show.
    pub previous: Option<EpisodeLink>,
    pub next: Option<EpisodeLink>,
    /// People heard in this episode who are in others too: at most 6, guests first.
    pub more_with: Vec<MoreWith>,
}

/// Someone heard in an episode who is in other episodes too, with a few of those.
#[derive(Serialize)]
pub struct MoreWith {
    pub name: String,
    /// Their page, which lists every episode.
    pub path: String,
    /// Their role in this episode, as the front matter gives it.
    pub role: Option<String>,
    /// Taken for a host of the show: their role says so, or, without one, they are in most of
    /// its episodes. Hosts come after guests.
    pub host: bool,
    /// How many episodes they are in, this one included.
    pub appearances: usize,
    /// Up to 3 of their other episodes, newest first, undated last.
    pub episodes: Vec<OtherEpisode>,
}

/// An episode with the show it belongs to.
#[derive(Serialize)]
pub struct OtherEpisode {
    #[serde(flatten)]
    pub episode: EpisodeLink,
    pub show: ShowLink,
}

/// `speakers.html`: everyone, most appearances first.
#[derive(Serialize)]
pub struct SpeakersPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub speakers: Vec<SpeakerRow>,
    /// `A` to `Z`, then `#`: the letters names are filed under, for jumping by letter.
    pub letters: Vec<Letter>,
}

/// A speaker in the speakers index: a SpeakerCard, and the anchor of their letter if theirs is
/// the first name of it.
#[derive(Serialize)]
pub struct SpeakerRow {
    #[serde(flatten)]
    pub card: SpeakerCard,
    /// `letter-m` on the first name of each letter in name order: where its letter link goes.
    pub anchor: Option<String>,
}

/// A letter of the speakers index.
#[derive(Serialize)]
pub struct Letter {
    /// `A` to `Z`, or `#`.
    pub letter: String,
    /// For `id` and `href`: `letter-a`, `letter-other`.
    pub anchor: String,
    /// How many speakers are filed under it; a letter without any is not a link.
    pub count: usize,
}

#[derive(Serialize)]
pub struct ProfileLinkView {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct SpeakerView {
    pub name: String,
    pub path: String,
    pub title: Option<String>,
    /// The profile's bio, as HTML.
    pub bio_html: Option<String>,
    pub image: Option<String>,
    pub links: Vec<ProfileLinkView>,
    pub aliases: Vec<String>,
    /// Other spellings of the name found in transcripts.
    pub spellings: Vec<String>,
    pub appearances: usize,
    pub turns: usize,
    pub words: usize,
    pub first: Option<String>,
    pub last: Option<String>,
    /// Their Atom feed: every new appearance.
    pub feed: String,
    /// The search page, narrowed to them: `search/?speaker=…`.
    pub search: String,
    pub extra: serde_json::Value,
}

/// One bar of the appearances chart: a year, or a month when they span less than two years.
#[derive(Clone, Serialize)]
pub struct ChartBar {
    pub label: String,
    pub count: usize,
    /// Of `count`, appearances as host, as guest, and in any other role or none.
    pub host: usize,
    pub guest: usize,
    pub other: usize,
    /// Each part's length in percent of the longest bar (0 to 100).
    pub host_width: usize,
    pub guest_width: usize,
    pub other_width: usize,
    /// The id of the bar's year in the list of appearances; `None` for an empty bar.
    pub anchor: Option<String>,
    /// The page of the speaker's appearances that holds the newest of the bar's, when it is
    /// not this one: the bar links to `page` + `#` + `anchor`.
    pub page: Option<String>,
    /// The last month the bar counts, `(year, month)`: where its appearances are in the list.
    #[serde(skip)]
    pub until: (i32, u32),
}

/// A part of the chart's bars, named in words: `host`, `guest` or `other`, and its label.
#[derive(Clone, Serialize)]
pub struct LegendEntry {
    pub class: &'static str,
    pub label: &'static str,
}

/// The numbers of the "appearances over time" chart; the template draws them.
#[derive(Clone, Serialize)]
pub struct ChartView {
    /// One sentence on the dated appearances: `One appearance, in March 2024.`,
    /// `41 appearances from 2016 to 2024.`
    pub summary: String,
    /// `year` or `month`.
    pub unit: &'static str,
    /// Every bucket from the first to the last dated appearance, empty ones included. One bar
    /// says no more than `summary`: the default theme draws them from two on.
    pub bars: Vec<ChartBar>,
    /// The parts the bars have, for a legend.
    pub legend: Vec<LegendEntry>,
    /// All appearances, and of them those without a date (in no bar).
    pub total: usize,
    pub undated: usize,
    /// The id of the undated appearances in the list, when there are any.
    pub undated_anchor: Option<String>,
    /// The page of the speaker's appearances where the undated begin, when it is not this one.
    pub undated_page: Option<String>,
}

#[derive(Serialize)]
pub struct ExcerptView {
    /// Plain text, from the start of a sentence; it begins with `…` when that is not where the
    /// turn begins.
    pub text: String,
    /// Episode path with the turn's anchor: `show/episode/#t-00-12-05`.
    pub path: String,
    pub timestamp: Option<String>,
}

#[derive(Serialize)]
pub struct AppearanceView {
    pub episode: EpisodeLink,
    pub role: Option<String>,
    /// Listed under the episode's `speakers` but never heard in it.
    pub listed: bool,
    pub turns: usize,
    pub words: usize,
    /// The episode's description as plain text, cut at a word to about 30 words.
    pub description: Option<String>,
    /// Others who spoke in the episode, those who spoke most first, at most 4.
    pub with: Vec<SpeakerLink>,
    /// How many more spoke than `with` lists.
    pub more_with: usize,
    pub excerpt: Option<ExcerptView>,
}

#[derive(Serialize)]
pub struct YearGroup {
    /// The year, or `Undated`.
    pub year: String,
    /// The id the chart's bars link to, on the first group of each year on the page (shows
    /// in page order); `None` on the others.
    pub anchor: Option<String>,
    /// Whether the group starts open: the newest appearances of each show are, across years.
    pub open: bool,
    pub appearances: Vec<AppearanceView>,
}

#[derive(Serialize)]
pub struct ShowAppearances {
    pub show: ShowLink,
    pub count: usize,
    /// Newest year first; undated last.
    pub years: Vec<YearGroup>,
}

#[derive(Serialize)]
pub struct CoSpeaker {
    pub name: String,
    pub path: String,
    pub episodes: usize,
}

/// `speaker.html`: one person across every show.
#[derive(Serialize)]
pub struct SpeakerPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub speaker: SpeakerView,
    pub chart: ChartView,
    pub by_show: Vec<ShowAppearances>,
    pub co_speakers: Vec<CoSpeaker>,
    /// How many more co-speakers there are than `co_speakers` lists.
    pub more_co_speakers: usize,
    /// Where this page is among the speaker's pages of appearances.
    pub pagination: Pagination,
    /// Which of the speaker's appearances, newest first, this page lists.
    pub shown: Shown,
}

/// The appearances one page of a speaker lists: `first` to `last` (counted from 1, newest
/// first) of `speaker.appearances`.
#[derive(Serialize)]
pub struct Shown {
    pub first: usize,
    pub last: usize,
}

/// `shows.html`: every show, by title.
#[derive(Serialize)]
pub struct ShowsPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub shows: Vec<ShowCard>,
}

/// `tags.html`: every topic.
#[derive(Serialize)]
pub struct TagsPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub tags: Vec<TagLink>,
}

/// `tag.html`: the episodes of one topic.
#[derive(Serialize)]
pub struct TagPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub tag: TagLink,
    pub episodes: Vec<EpisodeCard>,
    pub pagination: Pagination,
}

/// `search.html`.
#[derive(Serialize)]
pub struct SearchPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    /// The values of the `show` filter, by title.
    pub shows: Vec<Choice>,
    /// The values of the `year` filter, newest first.
    pub years: Vec<Choice>,
}

/// One value a search can be narrowed to, with the number of episodes it has.
#[derive(Serialize)]
pub struct Choice {
    pub name: String,
    pub count: usize,
}

/// `404.html`.

#[derive(Serialize)]
pub struct NotFoundPage<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page numbers and gaps (`None`) a list of pages shows.
    fn shown(pagination: &Pagination) -> Vec<Option<usize>> {
        let mut shown = Vec::new();
        for page in &pagination.pages {
            if page.gap {
                shown.push(None);
            }
            shown.push(Some(page.number));
        }
        shown
    }

    /// What the default theme showed when every page was listed: the first, the last and those
    /// within two of the current one, and a gap three away from it where that is neither end.
    fn shown_from_every_page(current: usize, total: usize) -> Vec<Option<usize>> {
        let mut shown = Vec::new();
        for n in 1..=total {
            let distance = n.abs_diff(current);
            if n == 1 || n == total || distance <= 2 {
                shown.push(Some(n));
            } else if distance == 3 {
                shown.push(None);
            }
        }
        shown
    }

    #[test]
    fn pages_list_the_ends_and_the_pages_near_this_one_with_gaps_between() {
        for total in 1..=14 {
            for current in 1..=total {
                let pagination = Pagination::new(current, total, |n| format!("p/{n}/"));
                assert_eq!(
                    shown(&pagination),
                    shown_from_every_page(current, total),
                    "page {current} of {total}"
                );
                for page in &pagination.pages {
                    assert_eq!(page.path, format!("p/{}/", page.number));
                    assert_eq!(page.current, page.number == current);
                }
            }
        }
        let far = Pagination::new(2500, 5000, |n| n.to_string());
        assert_eq!(far.pages.len(), 2 * PAGES_AROUND + 3);
    }
}
