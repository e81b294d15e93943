//! The site in memory, and how it is brought up to date after an edit.
//!
//! A full build happens once, through `pipeline`, as `build` does it. A site is three products
//! (static files, pages, search index; see [`Product`]), kept apart here, and an edit remakes
//! only the products whose inputs it touched: a template edit re-renders the pages and keeps
//! the index, a static file's edit copies the static files again and nothing else.
//!
//! Incrementality is in the model, not in the pages: an edited episode is re-read alone and the
//! archive assembled again from the parsed episodes it already has, then every page is rendered
//! again in memory. Which pages an edit touches is not guessed: a show's first page counts the
//! speakers of every one of its episodes, so a guess once left it stale. After any edit the
//! site served is byte for byte what a full build writes.
//! Settings, profiles, shows and caption files rebuild everything.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::cache::Cache;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{
    SiteLayout, CONFIG_FILE, CONTENT_DIR, SHOW_FILE, SPEAKERS_DIR, STATIC_DIR, TEMPLATES_DIR,
    THEMES_DIR,
};
use crate::load::{self, SourceFile};
use crate::model::{Archive, Bodies, Model};
use crate::pipeline::{self, BuildOptions, ProductSinks, Sources};
use crate::render::graph::{Input, Product};
use crate::render::theme::Theme;
use crate::render::{PageSink, Quiet};
use crate::search;

/// Every file of the site, by its path in the site (`show/episode/index.html`).
pub type Pages = std::collections::HashMap<String, Arc<[u8]>>;

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
    /// `full`, `templates`, `static` or `episodes`.
    pub kind: &'static str,
    pub pages: usize,
    pub millis: u128,
}

/// What a change to the site's files calls for, from the least work to the most.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Work {
    Nothing,
    Static,
    Episodes,
    Templates,
    Full,
}

impl Work {
    /// The input of the site an edit of this kind changed; `None` for a full rebuild.
    fn input(&self) -> Option<Input> {
        match self {
            Work::Static => Some(Input::StaticFiles),
            Work::Episodes => Some(Input::Content),
            Work::Templates => Some(Input::Templates),
            Work::Nothing | Work::Full => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Work::Full => "full",
            Work::Templates => "templates",
            Work::Static => "static",
            _ => "episodes",
        }
    }
}

/// The site's products as last made; the site served is them together.
#[derive(Default, Clone)]
struct Products {
    static_files: Pages,
    pages: Pages,
    index: Pages,
    /// Files of the search indexes replaced since the last edit, still served: see
    /// [`Session::install_index`].
    replaced_index: Pages,
}

impl Products {
    /// The files of the site, each from the product a build puts last: static files first,
    /// then the pages (which leave out what the site's static files replace), then the index.
    fn site(&self) -> Pages {
        let mut site = self.static_files.clone();
        for product in [&self.pages, &self.replaced_index, &self.index] {
            site.extend(product.iter().map(|(k, v)| (k.clone(), Arc::clone(v))));
        }
        site
    }
}

pub struct Session {
    options: BuildOptions,
    config: Config,
    theme: Theme,
    model: Model,
    /// Shared, so that the search index can be built from it on another thread.
    archive: Arc<Archive>,
    products: Products,
    /// The site served: [`Products::site`] of `products`.
    pages: Arc<Pages>,
    /// The names of the site's own static files: when they change, pages and model may too.
    static_names: HashSet<String>,
    /// Counts the archives this session has served: the search index is current when it was
    /// built from the latest one. Edits to templates and static files keep the archive.
    generation: u64,
    index_generation: u64,
    /// Files that failed to load since the last good build: the site stays as it was until
    /// every one of them is fixed.
    broken: BTreeMap<PathBuf, Diagnostic>,
}

impl Session {
    /// The first, full build.
    pub fn start(options: BuildOptions) -> Result<Session> {
        let (sources, products) = full_build(&options)?;
        let static_names = site_static_names(&options.root);
        Ok(Session {
            options,
            config: sources.config,
            theme: sources.theme,
            model: sources.model,
            archive: Arc::new(sources.archive),
            pages: Arc::new(products.site()),
            products,
            static_names,
            broken: BTreeMap::new(),
            generation: 0,
            index_generation: 0,
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
        let mut work = relative
            .iter()
            .map(|p| self.work_for(p))
            .max()
            .unwrap_or(Work::Nothing);
        if work >= Work::Static && site_static_names(&self.options.root) != self.static_names {
            // A static file came or went: it may replace a generated file, or take a show's name.
            work = Work::Full;
        }
        let pages = match work {
            Work::Nothing => return Ok(None),
            Work::Full => self.rebuild_all()?,
            _ => self.remake(&work, &relative)?,
        };
        match work {
            // A new archive, and its index built with it.
            Work::Full => {
                self.generation += 1;
                self.index_generation = self.generation;
            }
            // A new archive, and its index left to catch up.
            Work::Episodes => self.generation += 1,
            // The archive as it was: the index needs nothing.
            _ => {}
        }
        // This edit reloads every open page onto the index served now.
        self.products.replaced_index.clear();
        self.pages = Arc::new(self.products.site());
        Ok(Some(Rebuilt {
            kind: work.kind(),
            pages,
            millis: started.elapsed().as_millis(),
        }))
    }

    /// Whether an edit of `work`'s kind remakes `product`. The search index is not remade in
    /// the edit: it is left to catch up (see [`Session::stale_index`]).
    fn remade(work: &Work, product: Product) -> bool {
        work.input()
            .is_some_and(|input| Product::remade_by(input).any(|p| p == product))
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
            [THEMES_DIR, _, STATIC_DIR, ..] | [STATIC_DIR, ..] => Work::Static,
            [THEMES_DIR, ..] | [TEMPLATES_DIR, ..] => Work::Templates,
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

    fn rebuild_all(&mut self) -> Result<usize> {
        let (sources, products) = full_build(&self.options)?;
        let count = products.pages.len();
        self.config = sources.config;
        self.theme = sources.theme;
        self.model = sources.model;
        self.archive = Arc::new(sources.archive);
        self.products = products;
        self.static_names = site_static_names(&self.options.root);
        self.broken.clear();
        Ok(count)
    }

    /// Brings the sources up to date with an edit of `work`'s kind, then remakes the products
    /// made from them. Returns how many pages it rendered.
    fn remake(&mut self, work: &Work, changed: &[PathBuf]) -> Result<usize> {
        let mut static_files = Session::remade(work, Product::StaticFiles);
        match work {
            Work::Episodes => self.update_episodes(changed)?,
            // A theme folder that came or went changes where the static files come from.
            Work::Templates => static_files |= self.reload_theme()?,
            _ => {}
        }
        let static_dir = self.options.root.join("static");
        if static_files {
            let memory = Memory::default();
            pipeline::copy_static(&memory, &self.theme, &static_dir)?;
            self.products.static_files = memory.into_pages();
        }
        if !Session::remade(work, Product::Pages) {
            return Ok(0);
        }
        let memory = Memory::default();
        let count = pipeline::render_pages(
            &memory,
            &self.archive,
            &self.config,
            &self.theme,
            &static_dir,
            &Quiet,
        )?;
        self.products.pages = memory.into_pages();
        Ok(count)
    }

    /// Loads the theme again; tells whether its static files now come from elsewhere.
    fn reload_theme(&mut self) -> Result<bool> {
        if !self.broken.is_empty() {
            return Err(self.broken_error());
        }
        let theme = Theme::load(&self.options.root, &self.config.theme)?;
        let moved = theme.static_files != self.theme.static_files;
        self.theme = theme;
        Ok(moved)
    }

    /// Re-reads the edited episodes and assembles the archive again.
    fn update_episodes(&mut self, changed: &[PathBuf]) -> Result<()> {
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
        self.archive = Arc::new(built.archive);
        Ok(())
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
        let memory = Memory::default();
        // A memory sink takes every file.
        let _ = pipeline::put_index(&memory, index);
        let index = memory.into_pages();
        let old = std::mem::replace(&mut self.products.index, index);
        let replaced = old
            .into_iter()
            .filter(|(file, _)| !self.products.index.contains_key(file));
        self.products.replaced_index.extend(replaced);
        self.pages = Arc::new(self.products.site());
    }

    /// The files of replaced indexes that are still served, for the pages opened before
    /// [`Session::install_index`] swapped them.
    pub fn replaced_index(&self) -> HashSet<String> {
        self.products.replaced_index.keys().cloned().collect()
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

/// The whole site, as `build` makes it, with its products kept apart.
fn full_build(options: &BuildOptions) -> Result<(Sources, Products)> {
    let config = pipeline::configure(options)?;
    let sources = pipeline::read_sources(
        options,
        config,
        Arc::new(Cache::off()),
        Bodies::Held,
        &Quiet,
    )
    .map_err(errors_only)?;
    let (static_files, pages, index) = (Memory::default(), Memory::default(), Memory::default());
    let scratch = std::env::temp_dir();
    let sinks = ProductSinks {
        static_files: &static_files,
        pages: &pages,
        index: &index,
        scratch: &scratch,
    };
    pipeline::make_products(
        &sinks,
        &sources.archive,
        &sources.config,
        &sources.theme,
        &SiteLayout::new(&options.root).static_dir(),
        &Quiet,
    )?;
    let products = Products {
        static_files: static_files.into_pages(),
        pages: pages.into_pages(),
        index: index.into_pages(),
        replaced_index: Pages::new(),
    };
    Ok((sources, products))
}

/// A failed build's report in `serve` lists the errors alone: warnings are for `check`.
fn errors_only(error: Error) -> Error {
    match error {
        Error::Content(mut diagnostics) => {
            diagnostics.retain(Diagnostic::is_error);
            Error::Content(diagnostics)
        }
        other => other,
    }
}

/// The names of the files in the site's own `static/`.
fn site_static_names(root: &Path) -> HashSet<String> {
    pipeline::site_static_files(&SiteLayout::new(root).static_dir())
}

/// A file `transcript:` can name: the formats the importer reads.
fn is_caption_file(name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    extension.is_some_and(|e| crate::import::EXTENSIONS.contains(&e.as_str()))
}
