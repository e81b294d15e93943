//! The page graph: every file of the site, what makes it, and what it is made from.
//!
//! This is the one list of what a site has. `build` renders the jobs it names, `check` knows
//! which links lead somewhere by asking it, and `serve` decides what an edit remakes from the
//! inputs of its products. A second list of pages anywhere else drifts from this one (`serve`
//! once left a show's first page stale; `check` once called `/search/` broken), so nothing
//! else may make one. It needs the archive and the settings only: no theme, no files.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, TranscriptEpisodes};
use crate::model::{Archive, Episode, EpisodeId, ShowId, SpeakerId};
use crate::render::appearance_pages::page_count;
use crate::render::{links, output_file, sitemap, transcripts};

/// One page or feed of the site to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Show { show: ShowId, page: usize },
    Episode(EpisodeId),
    Shows,
    Speakers,
    Speaker { speaker: SpeakerId, page: usize },
    Tags,
    Tag { tag: usize, page: usize },
    Search,
    NotFound,
    ShowFeed(ShowId),
    SiteFeed,
    SpeakerFeed(SpeakerId),
    Sitemap,
    Robots,
}

impl Job {
    pub fn is_html(self) -> bool {
        !matches!(
            self,
            Job::ShowFeed(_) | Job::SiteFeed | Job::SpeakerFeed(_) | Job::Sitemap | Job::Robots
        )
    }

    /// Whether the job is an HTML page that search engines should list.
    pub fn is_listed_page(self) -> bool {
        self.is_html() && !matches!(self, Job::NotFound | Job::Search)
    }

    /// What of the archive the job is about, if one thing. What it shows may come from far
    /// wider: a show's page counts the speakers of all its episodes, the home page shows the
    /// newest of every show. So every job of [`Product::Pages`] depends on the whole content.
    pub fn subject(self) -> Subject {
        match self {
            Job::Show { show, .. } | Job::ShowFeed(show) => Subject::Show(show),
            Job::Episode(id) => Subject::Episode(id),
            Job::Speaker { speaker: id, .. } | Job::SpeakerFeed(id) => Subject::Speaker(id),
            Job::Tag { tag, .. } => Subject::Tag(tag),
            _ => Subject::Archive,
        }
    }
}

/// What of the archive a page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Archive,
    Show(ShowId),
    Episode(EpisodeId),
    Speaker(SpeakerId),
    Tag(usize),
}

/// The separate products of a build. Each is made from its own [`Input`]s, so an edit
/// remakes only the products whose inputs it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Product {
    /// The theme's and the site's static files, copied as they are.
    StaticFiles,
    /// Every page and feed, rendered from the archive through the templates.
    Pages,
    /// The full-text search index, built from the archive alone.
    SearchIndex,
}

/// What the site is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The transcripts, shows and profiles under `content/`.
    Content,
    /// `site.toml`.
    Settings,
    /// The theme's and the site's templates.
    Templates,
    /// What the static files hold. Their names are a different input: a site's own
    /// `robots.txt` replaces the generated one, and no show may take a static file's name.
    StaticFiles,
    /// Which static files there are.
    StaticFileNames,
}

impl Product {
    pub const ALL: [Product; 3] = [Product::StaticFiles, Product::Pages, Product::SearchIndex];

    /// What the product is made from: an edit to anything else leaves it as it is.
    pub fn inputs(self) -> &'static [Input] {
        match self {
            // The theme is named in the settings.
            Product::StaticFiles => &[Input::Settings, Input::StaticFiles, Input::StaticFileNames],
            Product::Pages => &[
                Input::Content,
                Input::Settings,
                Input::Templates,
                Input::StaticFileNames,
            ],
            // Pagefind is given records written from the model, never a rendered page.
            Product::SearchIndex => &[Input::Content, Input::Settings],
        }
    }

    /// The products an edit of `input` remakes.
    pub fn remade_by(input: Input) -> impl Iterator<Item = Product> {
        Product::ALL
            .into_iter()
            .filter(move |product| product.inputs().contains(&input))
    }
}

/// What makes one file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MadeBy {
    /// A page or feed; an episode's job also makes its transcript files.
    Job(Job),
    /// The stylesheet of highlighted code, made with the pages.
    Stylesheet,
    /// A static file, copied.
    StaticFile,
    /// The search index: Pagefind names its files, so the graph holds its folder.
    SearchIndex,
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Relative to the site root with `/` separators (`show/episode/index.html`); for the
    /// search index, its folder (`pagefind/`).
    pub path: String,
    pub made_by: MadeBy,
}

impl SiteFile {
    pub fn product(&self) -> Product {
        match self.made_by {
            MadeBy::Job(_) | MadeBy::Stylesheet => Product::Pages,
            MadeBy::StaticFile => Product::StaticFiles,
            MadeBy::SearchIndex => Product::SearchIndex,
        }
    }

    /// What the file is made from.
    pub fn inputs(&self) -> &'static [Input] {
        self.product().inputs()
    }
}

/// The file names of the static files, relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticNames {
    /// The theme's (built-in and its folder): a generated file of the same name wins.
    pub theme: BTreeSet<String>,
    /// The site's own `static/`: these win over generated files.
    pub site: BTreeSet<String>,
}

/// The name of the stylesheet of highlighted code.
pub const STYLESHEET: &str = "syntax.css";

/// The folder of the search index inside the site.
pub const SEARCH_INDEX: &str = "pagefind/";

/// Every file of the site, sorted by path: what `build` writes, and nothing else.
pub fn site_files(archive: &Archive, config: &Config, statics: &StaticNames) -> Vec<SiteFile> {
    let mut files: BTreeMap<String, MadeBy> = BTreeMap::new();
    // In the order a build puts them, so that the one that wins is the one kept.
    for name in &statics.theme {
        files.insert(name.clone(), MadeBy::StaticFile);
    }
    for job in jobs(archive, config) {
        for path in files_of(archive, config, job) {
            if !statics.site.contains(&path) {
                files.insert(path, MadeBy::Job(job));
            }
        }
    }
    for name in &statics.site {
        files.insert(name.clone(), MadeBy::StaticFile);
    }
    files.insert(STYLESHEET.to_string(), MadeBy::Stylesheet);
    if config.has_search() {
        files.insert(SEARCH_INDEX.to_string(), MadeBy::SearchIndex);
    }
    files
        .into_iter()
        .map(|(path, made_by)| SiteFile { path, made_by })
        .collect()
}

/// Shows the site header names, the largest first; the rest are on the page of every show.
pub const HEADER_SHOWS: usize = 4;

/// Whether the site has a page of every show: only when the header cannot name them all.
pub fn has_shows_page(archive: &Archive) -> bool {
    archive.shows.len() > HEADER_SHOWS
}

/// Whether the site has a topics page: only when an episode has tags, since a link to an
/// empty page of topics is a dead end.
pub fn has_tags_page(archive: &Archive) -> bool {
    !archive.tags.is_empty()
}

/// Every page and feed of the site.
pub fn jobs(archive: &Archive, config: &Config) -> Vec<Job> {
    let a = archive;
    let mut jobs = vec![Job::Home, Job::Speakers, Job::NotFound];
    if has_tags_page(a) {
        jobs.push(Job::Tags);
    }
    if has_shows_page(a) {
        jobs.push(Job::Shows);
    }
    if config.has_search() {
        jobs.push(Job::Search);
    }
    for (show, s) in a.shows.iter().enumerate() {
        let show = ShowId::new(show);
        let pages = page_count(s.episodes.len(), config.paginate_by);
        jobs.extend((1..=pages).map(|page| Job::Show { show, page }));
    }
    jobs.extend((0..a.episodes.len()).map(|i| Job::Episode(EpisodeId::new(i))));
    for (speaker, s) in a.speakers.iter().enumerate() {
        let speaker = SpeakerId::new(speaker);
        let pages = page_count(s.appearances.len(), config.speakers.appearances_per_page);
        jobs.extend((1..=pages).map(|page| Job::Speaker { speaker, page }));
    }
    for (tag, t) in a.tags.iter().enumerate() {
        let pages = page_count(t.episodes.len(), config.paginate_by);
        jobs.extend((1..=pages).map(|page| Job::Tag { tag, page }));
    }
    jobs.extend([Job::SiteFeed, Job::Sitemap, Job::Robots]);
    jobs.extend(
        (0..a.shows.len())
            .map(ShowId::new)
            .filter(|&show| has_podcast_feed(archive, show))
            .map(Job::ShowFeed),
    );
    jobs.extend((0..a.speakers.len()).map(|i| Job::SpeakerFeed(SpeakerId::new(i))));
    jobs
}

/// Where a job's page lives: a folder (`show/episode/`), or a file (`atom.xml`).
pub fn path_of(archive: &Archive, job: Job) -> String {
    let a = archive;
    match job {
        Job::Home => String::new(),
        Job::Show { show, page } => links::show_page(&a.shows[show], page),
        Job::Episode(id) => links::episode(a, id),
        Job::Shows => links::SHOWS.to_string(),
        Job::Speakers => links::SPEAKERS.to_string(),
        Job::Speaker { speaker, page } => links::speaker_page(&a.speakers[speaker], page),
        Job::Tags => links::TAGS.to_string(),
        Job::Tag { tag, page } => links::tag_page(&a.tags[tag], page),
        Job::Search => links::SEARCH.to_string(),
        Job::NotFound => links::NOT_FOUND.to_string(),
        Job::ShowFeed(show) => links::show_feed(&a.shows[show]),
        Job::SiteFeed => links::SITE_FEED.to_string(),
        Job::SpeakerFeed(id) => links::speaker_feed(&a.speakers[id]),
        Job::Sitemap => links::SITEMAP.to_string(),
        Job::Robots => links::ROBOTS.to_string(),
    }
}

/// The files one job writes: its page, an episode's transcript files beside it, the parts of a
/// sitemap too large for one file.
fn files_of(archive: &Archive, config: &Config, job: Job) -> Vec<String> {
    let path = path_of(archive, job);
    match job {
        Job::Episode(id) => {
            let mut files = vec![output_file(&path)];
            files.extend(
                transcript_files(archive, config, id)
                    .into_iter()
                    .map(|name| format!("{path}{name}")),
            );
            files
        }
        Job::Sitemap => {
            let listed = jobs(archive, config)
                .into_iter()
                .filter(|job| job.is_listed_page())
                .count();
            sitemap::names(listed)
        }
        _ => vec![output_file(&path)],
    }
}

/// Whether a show has a podcast feed: an episode of it has audio that can be linked.
pub fn has_podcast_feed(archive: &Archive, show: ShowId) -> bool {
    archive.shows[show]
        .episodes
        .iter()
        .any(|&e| in_podcast_feed(&archive.episodes[e]))
}

/// Whether an episode is an item of its show's podcast feed: it has audio that can be linked.
pub fn in_podcast_feed(episode: &Episode) -> bool {
    let audio = episode.audio.as_ref();
    audio.is_some_and(|audio| links::safe_url(&audio.url).is_some())
}

/// The transcript files an episode gets beside its page: of those it can have, the formats
/// `[transcripts]` asks for, if the episode is one of those it asks them for, and its chapters.
/// The build writes exactly these, the page links them and the feed names them, so none of
/// them ever points at a file that is not there.
pub fn transcript_files(archive: &Archive, config: &Config, id: EpisodeId) -> Vec<&'static str> {
    let episode = &archive.episodes[id];
    let settings = &config.transcripts;
    let wanted = match settings.episodes {
        TranscriptEpisodes::All => true,
        TranscriptEpisodes::InFeed => in_podcast_feed(episode),
    };
    let asked = |name: &str| {
        wanted
            && settings
                .formats
                .iter()
                .any(|&format| transcripts::file_name(format) == name)
    };
    transcripts::available(episode)
        .into_iter()
        .filter(|&name| name == transcripts::CHAPTERS || asked(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_edit_keeps_the_search_index_and_static_files() {
        let remade: Vec<Product> = Product::remade_by(Input::Templates).collect();
        assert_eq!(remade, vec![Product::Pages]);
    }

    #[test]
    fn a_static_file_edit_recopies_static_files_only() {
        let remade: Vec<Product> = Product::remade_by(Input::StaticFiles).collect();
        assert_eq!(remade, vec![Product::StaticFiles]);
    }

    #[test]
    fn a_content_edit_remakes_pages_and_index() {
        let remade: Vec<Product> = Product::remade_by(Input::Content).collect();
        assert_eq!(remade, vec![Product::Pages, Product::SearchIndex]);
    }
}
