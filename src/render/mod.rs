//! &[`Archive`] → pages in memory, handed one by one to a [`PageSink`].
//!
//! Pages render on all cores. Each page gets a small typed view of just what it shows (never
//! a copy of the archive), and goes to the sink as soon as it is rendered, so memory stays
//! flat however large the site. The renderer touches no files itself.

mod chart;
mod episode;
pub mod highlight;
pub mod links;
pub mod markdown;
mod pages;
mod speaker;
pub mod theme;
pub mod transcripts;
pub mod views;

use std::collections::HashSet;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::Result;
use crate::model::Archive;
use crate::write::PageSink;
use markdown::MarkdownOptions;
use theme::Theme;
use transcripts::TranscriptFile;
use views::{Common, ShowLink, SiteView};

/// Told how far rendering has got, for a progress bar.
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn advance(&self) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

/// One page of the site to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Show { show: usize, page: usize },
    Episode(usize),
    Speakers,
    Speaker(usize),
    Tags,
    Tag(usize),
    NotFound,
}

/// What the renderer needs besides the archive.
pub struct Renderer<'a> {
    pub archive: &'a Archive,
    pub config: &'a Config,
    pub theme: &'a Theme,
    site: SiteView,
    markdown: MarkdownOptions,
    /// Per show: the people heard most on it, shared by all of its pages.
    regulars: Vec<Vec<views::SpeakerLink>>,
}

impl<'a> Renderer<'a> {
    pub fn new(archive: &'a Archive, config: &'a Config, theme: &'a Theme) -> Self {
        let site = site_view(archive, config);
        Renderer {
            archive,
            config,
            theme,
            site,
            regulars: pages::regulars(archive),
            markdown: MarkdownOptions {
                allow_html: config.transcripts.allow_html,
            },
        }
    }

    /// Renders every page into `sink`; returns how many files were written.
    pub fn render_all(&self, sink: &dyn PageSink, progress: &dyn Progress) -> Result<usize> {
        let jobs = self.jobs();
        progress.start(jobs.len());
        self.render_jobs(&jobs, sink, progress)?;
        sink.put("syntax.css", highlight::stylesheet().as_bytes())?;
        Ok(jobs.len() + 1)
    }

    /// Renders only the pages at `paths` (folders such as `show/episode/`, or `404.html`);
    /// returns how many it rendered. Paths the site no longer has are skipped.
    pub fn render_some(&self, paths: &HashSet<String>, sink: &dyn PageSink) -> Result<usize> {
        let jobs: Vec<Job> = self
            .jobs()
            .into_iter()
            .filter(|job| paths.contains(&self.path_of(*job)))
            .collect();
        self.render_jobs(&jobs, sink, &Quiet)?;
        Ok(jobs.len())
    }

    fn render_jobs(
        &self,
        jobs: &[Job],
        sink: &dyn PageSink,
        progress: &dyn Progress,
    ) -> Result<()> {
        jobs.par_iter().try_for_each(|job| {
            let path = self.path_of(*job);
            // An episode's transcript files go with its page: whatever re-renders the page
            // re-writes them too.
            let files = match job {
                Job::Episode(id) => transcripts::files(self.archive, &self.archive.episodes[*id]),
                _ => Vec::new(),
            };
            let html = self.render_job(*job, &path, &files)?;
            sink.put(&output_file(&path), html.as_bytes())?;
            for file in &files {
                sink.put(&format!("{path}{}", file.name), file.body.as_bytes())?;
            }
            progress.advance();
            Ok(())
        })
    }

    fn jobs(&self) -> Vec<Job> {
        let a = self.archive;
        let mut jobs = vec![Job::Home, Job::Speakers, Job::Tags, Job::NotFound];
        for (show, s) in a.shows.iter().enumerate() {
            let pages = s.episodes.len().div_ceil(self.config.paginate_by).max(1);
            jobs.extend((1..=pages).map(|page| Job::Show { show, page }));
        }
        jobs.extend((0..a.episodes.len()).map(Job::Episode));
        jobs.extend((0..a.speakers.len()).map(Job::Speaker));
        jobs.extend((0..a.tags.len()).map(Job::Tag));
        jobs
    }

    fn path_of(&self, job: Job) -> String {
        let a = self.archive;
        match job {
            Job::Home => String::new(),
            Job::Show { show, page } => links::show_page(&a.shows[show], page),
            Job::Episode(id) => links::episode(a, id),
            Job::Speakers => links::SPEAKERS.to_string(),
            Job::Speaker(id) => links::speaker(&a.speakers[id]),
            Job::Tags => links::TAGS.to_string(),
            Job::Tag(id) => links::tag(&a.tags[id]),
            Job::NotFound => links::NOT_FOUND.to_string(),
        }
    }

    fn render_job(&self, job: Job, path: &str, files: &[TranscriptFile]) -> Result<String> {
        let c = self.common(path, String::new());
        match job {
            Job::Home => self.theme.render("home.html", &pages::home(self, c)),
            Job::Show { show, page } => self
                .theme
                .render("show.html", &pages::show(self, c, show, page)),
            Job::Episode(id) => self
                .theme
                .render("episode.html", &episode::page(self, c, id, files)),
            Job::Speakers => self.theme.render("speakers.html", &speaker::index(self, c)),
            Job::Speaker(id) => self
                .theme
                .render("speaker.html", &speaker::page(self, c, id)),
            Job::Tags => self.theme.render("tags.html", &pages::tags(self, c)),
            Job::Tag(id) => self.theme.render("tag.html", &pages::tag(self, c, id)),
            Job::NotFound => self.theme.render("404.html", &pages::not_found(self, c)),
        }
    }

    fn common(&self, path: &str, title: String) -> Common<'_> {
        Common {
            site: &self.site,
            root: links::root_from(path),
            page_path: path.to_string(),
            canonical: if self.config.base_url.is_empty() {
                String::new()
            } else {
                format!("{}{path}", self.config.absolute_base())
            },
            title,
        }
    }

    fn markdown(&self, text: &str) -> String {
        markdown::to_html(text, self.markdown)
    }
}

fn site_view(archive: &Archive, config: &Config) -> SiteView {
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        author: config.author.clone(),
        base_url: config.base_url.clone(),
        generator: format!("Verbatim {}", env!("CARGO_PKG_VERSION")),
        shows: archive
            .shows
            .iter()
            .map(|s| ShowLink {
                title: s.title.clone(),
                path: links::show_page(s, 1),
            })
            .collect(),
        extra: serde_json::to_value(&config.extra).unwrap_or_default(),
    }
}

/// The file a page path is written to: `show/episode/` → `show/episode/index.html`.
pub fn output_file(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// Escapes text for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}
