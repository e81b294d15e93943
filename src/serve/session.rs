//! The site in memory, and how it is brought up to date after an edit.
//!
//! A full build happens once. After that, an edited episode is re-read alone, the archive is
//! assembled again from the parsed episodes it already has, and only the pages that show that
//! episode are rendered: its page, its neighbours, its show's pages, its speakers' and topics'
//! pages, and the indexes. A template change re-renders every page without re-reading content.
//! Anything else (settings, profiles, shows, static files) rebuilds everything.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{
    SiteLayout, CONFIG_FILE, CONTENT_DIR, SHOW_FILE, SPEAKERS_DIR, STATIC_DIR, TEMPLATES_DIR,
    THEMES_DIR,
};
use crate::load::{self, SourceFile};
use crate::model::{self, Archive, Model};
use crate::pipeline::{self, BuildOptions};
use crate::render::theme::Theme;
use crate::render::{links, output_file, sitemap, transcripts, PageSink, Quiet, Renderer};
use crate::search;

/// Every file of the site, by its path in the site (`show/episode/index.html`).
pub type Pages = HashMap<String, Arc<[u8]>>;

/// A page sink that keeps files in memory.
#[derive(Default)]
struct Memory(Mutex<Pages>);

impl PageSink for Memory {
    fn put(&self, path: &str, content: &[u8]) -> Result<()> {
        let mut pages = self.0.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(path.to_string(), Arc::from(content));
        Ok(())
    }
}

impl Memory {
    fn into_pages(self) -> Pages {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// `full`, `templates` or `episodes`.
    pub kind: &'static str,
    pub pages: usize,
    pub millis: u128,
}

/// What a rebuild rendered: how many pages, and whether the search index came with them.
struct Rendered {
    pages: usize,
    with_index: bool,
}

impl Rendered {
    /// Every page, and so the index too: the whole site renders with it.
    fn everything(pages: usize) -> Rendered {
        Rendered {
            pages,
            with_index: true,
        }
    }
}

/// What a change to the site's files calls for, from the least work to the most.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Work {
    Nothing,
    Episodes,
    Templates,
    Full,
}

pub struct Session {
    options: BuildOptions,
    config: Config,
    theme: Theme,
    model: Model,
    /// Shared, so that the search index can be built from it on another thread.
    archive: Arc<Archive>,
    pages: Arc<Pages>,
    /// Counts the archives this session has served: the search index is current when it was
    /// built from the latest one.
    generation: u64,
    index_generation: u64,
    /// Files of the search indexes replaced since the last edit, still served: see
    /// [`Session::install_index`].
    replaced_index: HashSet<String>,
    /// Files that failed to load since the last good build: the site stays as it was until
    /// every one of them is fixed.
    broken: BTreeMap<PathBuf, Diagnostic>,
}

impl Session {
    /// The first, full build.
    pub fn start(options: BuildOptions) -> Result<Session> {
        let (config, theme, model, archive, pages) = full_build(&options)?;
        Ok(Session {
            options,
            config,
            theme,
            model,
            archive: Arc::new(archive),
            pages: Arc::new(pages),
            broken: BTreeMap::new(),
            generation: 0,
            index_generation: 0,
            replaced_index: HashSet::new(),
        })
    }

    pub fn pages(&self) -> Arc<Pages> {
        Arc::clone(&self.pages)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// Brings the site up to date with `changed` files (absolute or relative to the root).
    /// On error the previous site stays as it is.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Option<Rebuilt>> {
        let started = Instant::now();
        let relative: Vec<PathBuf> = changed.iter().filter_map(|p| self.relative(p)).collect();
        let work = relative
            .iter()
            .map(|p| self.work_for(p))
            .max()
            .unwrap_or(Work::Nothing);
        let rendered = match work {
            Work::Nothing => return Ok(None),
            Work::Full => self.rebuild_all()?,
            Work::Templates => self.rerender_all()?,
            Work::Episodes => self.update_episodes(&relative)?,
        };
        self.generation += 1;
        if rendered.with_index {
            self.index_generation = self.generation;
            // The new pages hold only the new index: a replaced index's files went with the old
            // pages, and a name kept in the set may be a file of the new index again.
            self.replaced_index.clear();
        }
        let kind = match work {
            Work::Full => "full",
            Work::Templates => "templates",
            _ => "episodes",
        };
        Ok(Some(Rebuilt {
            kind,
            pages: rendered.pages,
            millis: started.elapsed().as_millis(),
        }))
    }

    /// A changed path relative to the site root; `None` for paths outside it and for hidden
    /// files (editors' swap files, version control).
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let root = &self.options.root;
        let inside = match path.strip_prefix(root) {
            Ok(inside) => inside.to_path_buf(),
            Err(_) if path.is_absolute() => {
                let canonical = root.canonicalize().ok()?;
                path.strip_prefix(canonical).ok()?.to_path_buf()
            }
            Err(_) => path.to_path_buf(),
        };
        let relative: PathBuf = inside
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        let hidden = relative
            .iter()
            .any(|part| part.to_string_lossy().starts_with('.'));
        (!hidden && !relative.as_os_str().is_empty()).then_some(relative)
    }

    fn work_for(&self, relative: &Path) -> Work {
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        match parts
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [CONFIG_FILE] => Work::Full,
            [THEMES_DIR, ..] | [TEMPLATES_DIR, ..] => Work::Templates,
            [STATIC_DIR, ..] => Work::Full,
            // `content/` itself went or came back (a checkout, a move): only a full build knows
            // what is there now, and it says so when nothing is.
            [CONTENT_DIR] => Work::Full,
            [CONTENT_DIR, SPEAKERS_DIR, ..] => Work::Full,
            [CONTENT_DIR, _, file] if *file == SHOW_FILE => Work::Full,
            [CONTENT_DIR, folder, .., file] if file.ends_with(".md") => {
                if self.model.knows_show(folder) {
                    Work::Episodes
                } else {
                    Work::Full
                }
            }
            // A caption file an episode may read through `transcript:`; rare enough that a
            // full build, which finds who reads it, is the simple answer.
            [CONTENT_DIR, .., file] if is_caption_file(file) => Work::Full,
            [CONTENT_DIR, ..] => Work::Nothing,
            _ => Work::Nothing,
        }
    }

    fn rebuild_all(&mut self) -> Result<Rendered> {
        let (config, theme, model, archive, pages) = full_build(&self.options)?;
        let count = Rendered::everything(pages.len());
        self.config = config;
        self.theme = theme;
        self.model = model;
        self.archive = Arc::new(archive);
        self.pages = Arc::new(pages);
        self.broken.clear();
        Ok(count)
    }

    fn rerender_all(&mut self) -> Result<Rendered> {
        if !self.broken.is_empty() {
            return Err(self.broken_error());
        }
        let theme = Theme::load(&self.options.root, &self.config.theme)?;
        let (pages, count) = render_site(&self.options.root, &self.archive, &self.config, &theme)?;
        self.theme = theme;
        self.pages = Arc::new(pages);
        Ok(Rendered::everything(count))
    }

    /// Re-reads the edited episodes and renders the pages that show them.
    fn update_episodes(&mut self, changed: &[PathBuf]) -> Result<Rendered> {
        for path in changed {
            self.reload_episode(path);
        }
        if !self.broken.is_empty() {
            return Err(self.broken_error());
        }
        let built = self.model.archive();
        if built.has_errors() {
            return Err(Error::Content(built.diagnostics));
        }
        let archive = built.archive;
        if names_changed(&self.archive, &archive) {
            return self.replace_archive(archive);
        }
        let changed: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
        // An episode that kept its place in its show changes only the show page it is on.
        let in_place: HashSet<&Path> = changed
            .iter()
            .filter(|path| place_in_show(&self.archive, path) == place_in_show(&archive, path))
            .copied()
            .collect();
        let paginate_by = self.config.paginate_by;
        let mut affected = pages_showing(&self.archive, &changed, &in_place, paginate_by);
        affected.extend(pages_showing(&archive, &changed, &in_place, paginate_by));
        let static_files =
            pipeline::site_static_files(&SiteLayout::new(&self.options.root).static_dir());
        let renderer =
            Renderer::new(&archive, &self.config, &self.theme).overridden_by(static_files);
        let memory = Memory::default();
        let count = renderer.render_some(&affected, &memory)?;
        // Drop every file of the affected pages first: a page that is gone stays gone, and an
        // episode need not get back every transcript format it had.
        let mut pages = Pages::clone(&self.pages);
        pages.retain(|file, _| !sitemap::is_sitemap_file(file));
        for page in &affected {
            pages.remove(&output_file(page));
            for name in transcripts::FILE_NAMES {
                pages.remove(&format!("{page}{name}"));
            }
        }
        pages.extend(memory.into_pages());
        // This edit reloads every open page onto the index served now.
        for file in self.replaced_index.drain() {
            pages.remove(&file);
        }
        self.pages = Arc::new(pages);
        self.archive = Arc::new(archive);
        // The index is left to catch up: see [`Session::stale_index`].
        Ok(Rendered {
            pages: count,
            with_index: false,
        })
    }

    fn reload_episode(&mut self, relative: &Path) {
        self.broken.remove(relative);
        if !self.options.root.join(relative).exists() {
            self.model.remove(relative);
            return;
        }
        let (loaded, diagnostics) = load::load_file(&self.options.root, relative);
        if let Some(error) = diagnostics.into_iter().find(Diagnostic::is_error) {
            self.broken.insert(relative.to_path_buf(), error);
            return;
        }
        match loaded {
            Some(SourceFile::Episode(source)) => {
                if let Err(error) = self.model.update(*source) {
                    self.broken.insert(relative.to_path_buf(), error);
                }
            }
            _ => self.model.remove(relative),
        }
    }

    /// Renders everything for a new archive, keeping the theme.
    fn replace_archive(&mut self, archive: Archive) -> Result<Rendered> {
        let (pages, count) = render_site(&self.options.root, &archive, &self.config, &self.theme)?;
        self.archive = Arc::new(archive);
        self.pages = Arc::new(pages);
        Ok(Rendered::everything(count))
    }

    /// What the search index must be built from to catch up with the last edit, or `None`
    /// when it is current. Building it is left to the caller, on any thread: on a large archive
    /// it takes far longer than the edit's pages, and edits go on meanwhile.
    pub fn stale_index(&self) -> Option<IndexSource> {
        (self.index_generation < self.generation).then(|| IndexSource {
            archive: Arc::clone(&self.archive),
            config: self.config.clone(),
            generation: self.generation,
        })
    }

    /// Serves the index built from `source`, unless a newer one is already served.
    ///
    /// The files of the index it replaces stay served until the next edit. A search page opened
    /// before the swap read Pagefind's entry file of that index, and goes on asking for the
    /// files it names (their names hold a hash of their content): without them its searches
    /// fail. An edit reloads every open page onto the index served then, so their files can go.
    pub fn install_index(&mut self, source: &IndexSource, index: search::Files) {
        if source.generation <= self.index_generation {
            return;
        }
        self.index_generation = source.generation;
        let mut pages = Pages::clone(&self.pages);
        let installed: HashSet<&str> = index.iter().map(|(path, _)| path.as_str()).collect();
        self.replaced_index = pages
            .keys()
            .filter(|file| {
                file.starts_with(search::BUNDLE_DIR) && !installed.contains(file.as_str())
            })
            .cloned()
            .collect();
        pages.extend(
            index
                .into_iter()
                .map(|(path, bytes)| (path, Arc::from(bytes))),
        );
        self.pages = Arc::new(pages);
    }

    /// The files of replaced indexes that are still served, for the pages opened before
    /// [`Session::install_index`] swapped them.
    pub fn replaced_index(&self) -> &HashSet<String> {
        &self.replaced_index
    }

    /// Builds the index for the latest edit here and now: [`stale_index`], built and installed.
    ///
    /// [`stale_index`]: Session::stale_index
    pub fn reindex(&mut self) -> Result<()> {
        if let Some(source) = self.stale_index() {
            let index = source.build()?;
            self.install_index(&source, index);
        }
        Ok(())
    }

    fn broken_error(&self) -> Error {
        Error::Content(self.broken.values().cloned().collect())
    }
}

/// A snapshot of the archive, to build its search index from.
pub struct IndexSource {
    archive: Arc<Archive>,
    config: Config,
    generation: u64,
}

impl IndexSource {
    pub fn build(&self) -> Result<search::Files> {
        search::index(&self.archive, &self.config)
    }
}

fn full_build(options: &BuildOptions) -> Result<(Config, Theme, Model, Archive, Pages)> {
    let config = pipeline::configure(options)?;
    let static_dir = SiteLayout::new(&options.root).static_dir();
    let (model, mut diagnostics) = pipeline::load_model(
        &options.root,
        &config,
        options.drafts,
        &static_dir,
        &crate::cache::Cache::off(),
    );
    let built = model.archive();
    diagnostics.extend(built.diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        crate::error::sort_diagnostics(&mut diagnostics);
        diagnostics.retain(Diagnostic::is_error);
        return Err(Error::Content(diagnostics));
    }
    let theme = Theme::load(&options.root, &config.theme)?;
    let (pages, _) = render_site(&options.root, &built.archive, &config, &theme)?;
    Ok((config, theme, model, built.archive, pages))
}

/// Every file of the site, in memory: static files, every page, and the search index.
fn render_site(
    root: &Path,
    archive: &Archive,
    config: &Config,
    theme: &Theme,
) -> Result<(Pages, usize)> {
    let memory = Memory::default();
    let count = pipeline::write_site(
        &memory,
        archive,
        config,
        theme,
        &SiteLayout::new(root).static_dir(),
        &Quiet,
    )?;
    Ok((memory.into_pages(), count))
}

/// Whether a speaker's displayed name, or a topic's episode count, differs, or speakers or
/// topics came or went: those show on pages that do not show the edited episode.
fn names_changed(old: &Archive, new: &Archive) -> bool {
    let speakers = |a: &Archive| -> Vec<(String, String)> {
        a.speakers
            .iter()
            .map(|s| (s.slug.clone(), s.name.clone()))
            .collect()
    };
    let tags = |a: &Archive| -> Vec<(String, usize)> {
        a.tags
            .iter()
            .map(|t| (t.slug.clone(), t.episodes.len()))
            .collect()
    };
    speakers(old) != speakers(new) || tags(old) != tags(new)
}

/// Where an episode stands in its show: the show, its position, and how many there are.
fn place_in_show(archive: &Archive, file: &Path) -> Option<(usize, usize, usize)> {
    let id = archive.episodes.iter().position(|e| e.path == file)?;
    let show = &archive.shows[archive.episodes[id].show];
    let position = show.episodes.iter().position(|&e| e.index() == id)?;
    Some((
        archive.episodes[id].show.index(),
        position,
        show.episodes.len(),
    ))
}

/// A file `transcript:` can name: the formats the importer reads.
fn is_caption_file(name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    extension.is_some_and(|e| crate::import::EXTENSIONS.contains(&e.as_str()))
}

/// The page paths that show something of the episodes from `files` in `archive`. For those
/// `in_place` (same place in the same show as before), only the show page that lists them.
fn pages_showing(
    archive: &Archive,
    files: &HashSet<&Path>,
    in_place: &HashSet<&Path>,
    paginate_by: usize,
) -> HashSet<String> {
    // The indexes, and the search page, which counts the episodes of each show and year.
    let mut pages: HashSet<String> = [
        "",
        links::SPEAKERS,
        links::TAGS,
        links::SEARCH,
        links::SITE_FEED,
        links::SITEMAP,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (id, episode) in archive.episodes.iter().enumerate() {
        if !files.contains(episode.path.as_path()) {
            continue;
        }
        let id = model::EpisodeId::new(id);
        pages.insert(links::episode(archive, id));
        let show = &archive.shows[episode.show];
        pages.insert(links::show_feed(show));
        if let Some(position) = show.episodes.iter().position(|&e| e == id) {
            for neighbour in [position.wrapping_sub(1), position + 1] {
                if let Some(&other) = show.episodes.get(neighbour) {
                    pages.insert(links::episode(archive, other));
                }
            }
        }
        let show_pages = show.episodes.len().div_ceil(paginate_by).max(1);
        match show.episodes.iter().position(|&e| e == id) {
            Some(position) if in_place.contains(episode.path.as_path()) => {
                pages.insert(links::show_page(show, position / paginate_by + 1));
            }
            _ => pages.extend((1..=show_pages).map(|page| links::show_page(show, page))),
        }
        for name in &episode.tags {
            let slug = model::slug::slugify(name);
            if let Some(tag) = archive.tags.iter().find(|t| t.slug == slug) {
                pages.insert(links::tag(tag));
            }
        }
        let voices = episode
            .credits
            .iter()
            .map(|c| &c.voice)
            .chain(episode.turns().map(|t| &t.voice));
        for voice in voices {
            if let Some((_, speaker)) = archive.speaker(voice) {
                pages.insert(links::speaker(speaker));
                pages.insert(links::speaker_feed(speaker));
            }
        }
    }
    pages
}
