//! &[`Archive`] → the full-text search index in `pagefind/`, built by Pagefind as a library.
//!
//! Pagefind is given one lean record per episode, written here from the model, never a rendered
//! page: the transcript and show notes alone, so navigation and speaker lists stay out of the
//! index and there is little HTML to parse. Each turn is a heading with the turn's anchor, so a
//! hit leads to the exact turn (Pagefind's sub-results), named after its speaker. Filters are
//! speaker (everyone heard in the episode, by canonical name), show and year; the sort key is
//! the date. One record per episode keeps the file count near the episode count.

use crate::config::Config;
#[cfg(feature = "search")]
use crate::error::Error;
use crate::error::Result;
use crate::model::transcript::to_plain_text;
use crate::model::{Archive, Block, Episode, EpisodeId};
use crate::render::{escape, links};

/// The folder of the index inside the site; the search page loads `pagefind.js` from it.
pub const BUNDLE_DIR: &str = "pagefind/";

/// The lean page Pagefind indexes for one episode. `url` is the episode's path from the site
/// root, with a leading `/`: the search page tells Pagefind where that root is.
pub fn record(archive: &Archive, id: EpisodeId) -> (String, String) {
    let episode = &archive.episodes[id];
    let show = &archive.shows[episode.show];
    let url = format!("/{}", links::episode(archive, id));
    let mut html = String::with_capacity(episode.words() * 7 + 1024);
    html.push_str("<html><body data-pagefind-body>");
    let mut meta = vec![
        ("title", episode.title.as_str()),
        ("show", show.title.as_str()),
    ];
    let date = episode.date.map(|d| (d.human(), d.iso_day(), d.year()));
    if let Some((human, _, _)) = &date {
        meta.push(("date", human));
    }
    for (key, value) in meta {
        push_hidden(&mut html, "data-pagefind-meta", key, value);
    }
    push_hidden(&mut html, "data-pagefind-filter", "show", &show.title);
    if let Some((_, iso, year)) = &date {
        push_hidden(&mut html, "data-pagefind-filter", "year", &year.to_string());
        push_hidden(&mut html, "data-pagefind-sort", "date", iso);
    }
    for name in speakers(archive, episode) {
        push_hidden(&mut html, "data-pagefind-filter", "speaker", &name);
    }
    html.push_str(&format!("<h1>{}</h1>", escape(&episode.title)));
    if let Some(description) = &episode.description {
        html.push_str(&format!("<p>{}</p>", escape(description)));
    }
    for block in &episode.blocks {
        match block {
            Block::Turn(turn) => {
                let who = archive
                    .speaker(&turn.voice)
                    .map_or(turn.label.as_str(), |(_, s)| s.name.as_str());
                html.push_str(&format!(
                    "<h2 id=\"{}\">{}</h2><p>{}</p>",
                    escape(&turn.anchor),
                    escape(who),
                    escape(&turn.plain)
                ));
            }
            Block::Chapter(chapter) => {
                html.push_str(&format!(
                    "<h2 id=\"{}\">{}</h2>",
                    escape(&chapter.anchor),
                    escape(&chapter.title)
                ));
            }
            Block::Prose { text, .. } => {
                html.push_str(&format!("<p>{}</p>", escape(&to_plain_text(text))));
            }
        }
    }
    html.push_str("</body></html>");
    (url, html)
}

/// A metadata, filter or sort value in an attribute of an empty element, so the value itself
/// is not indexed as text. Pagefind reads one `key:value` per attribute, the value as it is.
fn push_hidden(html: &mut String, attribute: &str, key: &str, value: &str) {
    html.push_str(&format!(
        "<span {attribute}=\"{key}:{}\"></span>",
        escape(value)
    ));
}

/// Everyone with a speaker page who took a turn in the episode, by their canonical name.
fn speakers(archive: &Archive, episode: &Episode) -> Vec<String> {
    let mut names: Vec<String> = episode
        .parts
        .iter()
        .filter(|part| part.turns > 0)
        .filter_map(|part| archive.speaker_ids.get(&part.speaker))
        .map(|&id| archive.speakers[id].name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The files of an index, each with its path in the site (`pagefind/pagefind.js`, …).
pub type Files = Vec<(String, Vec<u8>)>;

/// An index made in two steps, so that a build can give each its share of the cores: [`read`]
/// parses every episode's record, which Pagefind spreads over all cores; [`files`] builds the
/// index, mostly on one thread, and compresses it on all cores, beside the pages rendering.
///
/// The records go to Pagefind in memory, made on the cores that parse them: nothing is written
/// to disk for them. `add_html_files` is one of the changes in the vendored copy of Pagefind
/// (`vendor/README.md`); the published crate parses in parallel only from a folder.
///
/// [`read`]: Index::read
/// [`files`]: Index::files
pub struct Index(Option<Parsed>);

/// Call both steps from threads outside rayon's pool: Pagefind works on that pool, and a
/// worker waiting for it would leave it a thread short.
impl Index {
    /// Every record parsed; nothing at all when the site has no search.
    pub fn read(archive: &Archive, config: &Config) -> Result<Index> {
        if !config.has_search() {
            return Ok(Index(None));
        }
        Parsed::read(archive, config).map(|parsed| Index(Some(parsed)))
    }

    pub fn files(self) -> Result<Files> {
        match self.0 {
            Some(parsed) => parsed.files(),
            None => Ok(Vec::new()),
        }
    }
}

/// The whole index in one go, for a rebuild that has nothing to do beside it.
pub fn index(archive: &Archive, config: &Config) -> Result<Files> {
    Index::read(archive, config)?.files()
}

#[cfg(feature = "search")]
struct Parsed {
    runtime: tokio::runtime::Runtime,
    index: pagefind::api::PagefindIndex,
}

#[cfg(feature = "search")]
impl Parsed {
    fn read(archive: &Archive, config: &Config) -> Result<Parsed> {
        use pagefind::api::PagefindIndex;
        use pagefind::options::PagefindServiceConfig;
        use rayon::prelude::*;

        let options = PagefindServiceConfig::builder()
            .force_language(config.language.clone())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(failed)?;
        let records = (0..archive.episodes.len())
            .into_par_iter()
            .map(|id| record(archive, EpisodeId::new(id)));
        match std::env::var_os(RECORDS_VAR) {
            None => index.add_html_files(records),
            Some(dir) => {
                let records: Vec<_> = records.collect();
                write_records(std::path::Path::new(&dir), &records)?;
                index.add_html_files(records)
            }
        }
        .map_err(failed)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Search(e.to_string()))?;
        Ok(Parsed { runtime, index })
    }

    fn files(mut self) -> Result<Files> {
        let files = self.runtime.block_on(self.index.get_files());
        Ok(files
            .map_err(failed)?
            .into_iter()
            .map(|file| {
                let name = file.filename.to_string_lossy().replace('\\', "/");
                (format!("{BUNDLE_DIR}{name}"), file.contents)
            })
            .collect())
    }
}

/// A folder to write the records to as well, for comparing Verbatim's index with one that
/// stock Pagefind builds from the same pages (vendor/README.md); not meant for users.
#[cfg(feature = "search")]
const RECORDS_VAR: &str = "VERBATIM_SEARCH_RECORDS";

/// Each record as `<url>/index.html` under `dir`, where Pagefind's CLI finds it under the
/// record's own URL.
#[cfg(feature = "search")]
fn write_records(dir: &std::path::Path, records: &[(String, String)]) -> Result<()> {
    for (url, html) in records {
        let folder = dir.join(url.trim_start_matches('/'));
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let file = folder.join("index.html");
        std::fs::write(&file, html).map_err(|e| Error::io(&file, e))?;
    }
    Ok(())
}

#[cfg(feature = "search")]
fn failed(e: anyhow::Error) -> Error {
    Error::Search(format!("{e:#}"))
}

/// Without the `search` feature there is no index, and no search page: an [`Index`] never
/// holds one.
#[cfg(not(feature = "search"))]
enum Parsed {}

#[cfg(not(feature = "search"))]
impl Parsed {
    fn read(_archive: &Archive, _config: &Config) -> Result<Parsed> {
        unreachable!("Config::has_search is false without the search feature")
    }

    fn files(self) -> Result<Files> {
        match self {}
    }
}
