//! &[`Archive`] → pages in memory, handed one by one to a [`PageSink`].
//!
//! Pages render on all cores. Each page gets a small typed view of just what it shows (never
//! a copy of the archive), and goes to the sink as soon as it is rendered, so memory stays
//! flat however large the site. The renderer touches no files itself.

mod appearance_pages;
mod chart;
mod episode;
mod feeds;
pub mod graph;
pub mod highlight;
pub mod links;
pub mod markdown;
mod meta;
mod more_with;
mod pages;
mod sanitize;
mod sink;
pub mod sitemap;
mod speaker;
pub mod summary;
pub mod theme;
pub mod transcripts;
mod video;
pub mod views;

use std::collections::HashSet;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::Result;
use crate::model::{self, Archive, Episode, EpisodeId, ShowId};
use crate::progress::Stage;
use graph::Job;
use markdown::MarkdownOptions;
pub use sink::PageSink;
use theme::Theme;
use views::{Common, Navigation, ShowLink, SiteView};

pub use crate::progress::{Progress, Quiet};

/// What the renderer needs besides the archive.
pub struct Renderer<'a> {
    pub archive: &'a Archive,
    pub config: &'a Config,
    pub theme: &'a Theme,
    site: SiteView,
    /// `base_url` ending in `/`, for the absolute URLs of feeds and meta tags.
    base: String,
    markdown: MarkdownOptions,
    /// Per show: the people heard most on it, shared by all of its pages.
    regulars: Vec<Vec<views::SpeakerLink>>,
    /// Per show: the people in most of its episodes, for the episode pages' "More with".
    mainstays: Vec<HashSet<model::SpeakerId>>,
    /// Files the site's `static/` provides: a hand-written `robots.txt` wins over ours.
    overridden: HashSet<String>,
    /// Per speaker: what all of their pages show of every appearance, made by the first.
    speaker_totals: Vec<OnceLock<speaker::Totals>>,
}

impl<'a> Renderer<'a> {
    pub fn new(archive: &'a Archive, config: &'a Config, theme: &'a Theme) -> Self {
        let site = site_view(archive, config);
        Renderer {
            archive,
            config,
            theme,
            site,
            base: config.absolute_base(),
            regulars: pages::regulars(archive),
            mainstays: more_with::mainstays(archive),
            markdown: MarkdownOptions {
                allow_html: config.transcripts.allow_html,
            },
            overridden: HashSet::new(),
            speaker_totals: archive.speakers.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// Leaves out the generated files that the site's own static files replace.
    pub fn overridden_by(mut self, static_files: HashSet<String>) -> Self {
        self.overridden = static_files;
        self
    }

    /// Renders every page and feed of the [page graph](graph) into `sink`; returns how many
    /// HTML pages it rendered.
    pub fn render_all(&self, sink: &dyn PageSink, progress: &dyn Progress) -> Result<usize> {
        let jobs = self.jobs();
        progress.stage(Stage::Pages, jobs.len());
        self.render_jobs(&jobs, sink, progress)?;
        sink.put(graph::STYLESHEET, highlight::stylesheet().as_bytes())?;
        Ok(jobs.iter().filter(|job| job.is_html()).count())
    }

    fn render_jobs(
        &self,
        jobs: &[Job],
        sink: &dyn PageSink,
        progress: &dyn Progress,
    ) -> Result<()> {
        jobs.par_iter().try_for_each(|job| {
            for (file, body) in self.render_job(*job)? {
                if !self.overridden.contains(&file) {
                    sink.put(&file, body.as_bytes())?;
                }
            }
            progress.advance();
            Ok(())
        })
    }

    fn jobs(&self) -> Vec<Job> {
        graph::jobs(self.archive, self.config)
    }

    fn path_of(&self, job: Job) -> String {
        graph::path_of(self.archive, job)
    }

    /// The files of one job, named by their path in the site. An episode's transcript files go
    /// with its page: whatever re-renders the page re-writes them too.
    fn render_job(&self, job: Job) -> Result<Vec<(String, String)>> {
        let path = self.path_of(job);
        let page = |html: String| Ok(vec![(output_file(&path), html)]);
        match job {
            Job::Episode(id) => {
                let names = graph::transcript_files(self.archive, self.config, id);
                let episode = &self.archive.episodes[id];
                // Read once for the page and its transcript files together.
                let blocks = self.archive.blocks(episode)?;
                let files = transcripts::files(self.archive, episode, &blocks, &names);
                let c = self.common(&path, String::new());
                let html = self
                    .theme
                    .render("episode.html", &episode::page(self, c, id, &blocks, &files))?;
                let mut out = vec![(output_file(&path), html)];
                out.extend(
                    files
                        .into_iter()
                        .map(|f| (format!("{path}{}", f.name), f.body)),
                );
                Ok(out)
            }
            Job::ShowFeed(show) => Ok(feeds::podcast(self, show)?
                .map(|xml| (path, xml))
                .into_iter()
                .collect()),
            Job::SiteFeed => page(feeds::site_atom(self)?),
            Job::SpeakerFeed(id) => page(feeds::speaker_atom(self, id)?),
            Job::Sitemap => sitemap::files(&self.base, &self.sitemap_entries()),
            Job::Robots => page(sitemap::robots(&self.base)),
            _ => page(self.render_page(job, &path)?),
        }
    }

    fn render_page(&self, job: Job, path: &str) -> Result<String> {
        let c = self.common(path, String::new());
        match job {
            Job::Home => self.theme.render("home.html", &pages::home(self, c)),
            Job::Show { show, page } => self
                .theme
                .render("show.html", &pages::show(self, c, show, page)),
            Job::Shows => self.theme.render("shows.html", &pages::shows(self, c)),
            Job::Speakers => self.theme.render("speakers.html", &speaker::index(self, c)),
            Job::Speaker { speaker, page } => self
                .theme
                .render("speaker.html", &speaker::page(self, c, speaker, page)),
            Job::Tags => self.theme.render("tags.html", &pages::tags(self, c)),
            Job::Tag { tag, page } => self
                .theme
                .render("tag.html", &pages::tag(self, c, tag, page)),
            Job::Search => self.theme.render("search.html", &pages::search(self, c)),
            _ => self.theme.render("404.html", &pages::not_found(self, c)),
        }
    }

    /// Every page search engines should know, with the date of the newest episode it shows.
    fn sitemap_entries(&self) -> Vec<sitemap::Entry> {
        self.jobs()
            .into_iter()
            .filter(|job| job.is_listed_page())
            .map(|job| sitemap::Entry {
                url: self.url(&self.path_of(job)),
                lastmod: self.lastmod(job),
            })
            .collect()
    }

    fn lastmod(&self, job: Job) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let a = self.archive;
        let newest = |ids: &[EpisodeId]| ids.iter().filter_map(|&e| a.episodes[e].date).max();
        let date = match job {
            Job::Show { show, .. } => newest(&a.shows[show].episodes),
            Job::Episode(id) => a.episodes[id].date,
            Job::Speaker { speaker, .. } => a.speakers[speaker].last_appearance(),
            Job::Tag { tag, .. } => newest(&a.tags[tag].episodes),
            _ => a.episodes.iter().filter_map(|e| e.date).max(),
        };
        date.map(|d| d.0)
    }

    /// The absolute URL of a path inside the site, for what is read away from it.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A URL from content, absolute: as written when it has a scheme, on the site's host when
    /// it starts with `/`, else under the site's base like a file of `static/`. `None` when it
    /// is not safe to link.
    fn absolute_url(&self, url: &str) -> Option<String> {
        let url = links::safe_url(url)?;
        if links::scheme(&url).is_some() {
            Some(url)
        } else if let Some(rest) = url.strip_prefix("//") {
            Some(format!("https://{rest}"))
        } else if let Some(rest) = url.strip_prefix('/') {
            Some(format!("{}{rest}", self.config.origin()))
        } else {
            Some(self.url(&url))
        }
    }

    /// The absolute URL of an episode's audio; `None` without audio, or when the URL filter
    /// refuses it: then the episode has no player and no enclosure, as if it had no audio.
    fn audio_url(&self, episode: &Episode) -> Option<String> {
        self.absolute_url(&episode.audio.as_ref()?.url)
    }

    /// Whether a show has a podcast feed: an episode of it has audio that can be linked.
    fn has_podcast_feed(&self, show: ShowId) -> bool {
        graph::has_podcast_feed(self.archive, show)
    }

    fn common(&self, path: &str, title: String) -> Common<'_> {
        Common {
            site: &self.site,
            root: links::root_from(path),
            page_path: path.to_string(),
            canonical: if self.config.base_url.is_empty() {
                String::new()
            } else {
                self.url(path)
            },
            title,
            meta: meta::page(self),
        }
    }

    fn markdown(&self, text: &str) -> String {
        markdown::to_html(text, self.markdown)
    }
}

fn site_view(archive: &Archive, config: &Config) -> SiteView {
    let shows: Vec<ShowLink> = pages::shows_by_size(archive)
        .into_iter()
        .map(|id| {
            let s = &archive.shows[id];
            ShowLink {
                title: s.title.clone(),
                path: links::show_page(s, 1),
            }
        })
        .collect();
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        author: config.author.clone(),
        base_url: config.base_url.clone(),
        generator: format!("Verbatim {}", env!("CARGO_PKG_VERSION")),
        search: config.has_search(),
        shows: shows.clone(),
        extra: serde_json::to_value(&config.extra).unwrap_or_default(),
        navigation: Navigation {
            header_shows: shows.into_iter().take(graph::HEADER_SHOWS).collect(),
            shows_page: graph::has_shows_page(archive).then(|| links::SHOWS.to_string()),
            tags_page: graph::has_tags_page(archive).then(|| links::TAGS.to_string()),
        },
    }
}

/// The file a page path is written to: `show/episode/` → `show/episode/index.html`; a path
/// that names a file (`404.html`, `atom.xml`) is that file.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Escapes text for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}
