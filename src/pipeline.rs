//! `build`: the stages in order — load → model → render (and index) → write.
//!
//! This is the table of contents of a build. Each stage's problems are gathered before the
//! next starts, so one run reports every bad file, and nothing reaches `public/` unless all
//! of it succeeded. A site is three products, each made by its own function here from its own
//! inputs (see [`graph::Product`]): the static files, the pages, the search index. `build`
//! makes all three; `serve` makes them through the same functions, each again only when an
//! edit touched its inputs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::cache::{BuildKey, Cache, Counts};
use crate::check::{self, SiteIndex};
use crate::config::Config;
use crate::error::{sort_diagnostics, Diagnostic, Error, Result};
use crate::import;
use crate::layout::{SiteLayout, STATIC_DIR};
use crate::load;
use crate::model::{self, Archive, Bodies, Classifier, TranscriptReader};
use crate::progress::{Progress, Quiet, Stage};
use crate::render::graph::{self, StaticNames};
use crate::render::theme::{StaticFiles, Theme};
use crate::render::{PageSink, Renderer};
use crate::search;
use crate::write::{self, Staging};

/// What `verbatim build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// Where the site goes; `public/` in the root by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`, for preview deploys.
    pub base_url: Option<String>,
    /// Include episodes marked `draft: true`.
    pub drafts: bool,
    /// Use and keep the build cache (`.verbatim-cache/` in the site folder).
    pub cache: bool,
}

impl BuildOptions {
    /// What of these options the build cache keys on. Every field is named here, so that a new
    /// option does not compile until it is put in the key or said to leave the output alone.
    pub fn cache_key(&self) -> BuildKey {
        let BuildOptions {
            // The fingerprint holds every source file by its path, so the site folder with them.
            root: _,
            // The cache compares the output folder itself, whatever spelling named it.
            output: _,
            base_url,
            drafts,
            // A build without the cache records nothing to compare with.
            cache: _,
        } = self;
        BuildKey {
            base_url: base_url.clone(),
            drafts: *drafts,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub episodes: usize,
    pub speakers: usize,
    pub shows: usize,
    pub pages: usize,
    pub output: PathBuf,
    pub millis: u128,
    /// Warnings: problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site: the whole pipeline, with the output swapped in only at the end.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport> {
    let started = Instant::now();
    let config = configure(options)?;
    let requested = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let output = write::output::checked(&options.root, &requested)?;
    let cache = Arc::new(match options.cache {
        true => Cache::open(&options.root),
        false => Cache::off(),
    });
    let inputs = cache.fingerprint_inputs(&options.root, &options.cache_key());
    if let Some(last) = cache.unchanged(&inputs, &output) {
        return Ok(BuildReport::new(
            last.report,
            requested,
            started,
            last.warnings,
        ));
    }
    write::output::refuse_foreign(&requested, &output)?;
    let static_dir = SiteLayout::new(&options.root).static_dir();
    // The parsed model is only for `serve`'s updates: dropped here, with its memory.
    let Sources {
        config,
        theme,
        archive,
        warnings,
        ..
    } = read_sources(options, config, cache.clone(), Bodies::OnDisk, progress)?;
    let staging = Staging::new(&output)?;
    let pages = write_site(&staging, &archive, &config, &theme, &static_dir, progress)?;
    progress.stage(Stage::Writing, 0);
    staging.commit()?;
    let counts = Counts {
        episodes: archive.episodes.len(),
        speakers: archive.speakers.len(),
        shows: archive.shows.len(),
        pages,
    };
    cache.record(inputs, &output, counts, &warnings);
    cache.sweep();
    Ok(BuildReport::new(counts, requested, started, warnings))
}

impl BuildReport {
    fn new(counts: Counts, output: PathBuf, started: Instant, warnings: Vec<Diagnostic>) -> Self {
        BuildReport {
            episodes: counts.episodes,
            speakers: counts.speakers,
            shows: counts.shows,
            pages: counts.pages,
            output,
            millis: started.elapsed().as_millis(),
            warnings,
        }
    }
}

/// What every product of a site is made from: the settings, the theme, the archive, and the
/// parsed model it was assembled from (which `serve` keeps, to update one episode at a time).
pub struct Sources {
    pub config: Config,
    pub theme: Theme,
    pub model: model::Model,
    pub archive: Archive,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Load, model and theme: the sources of a build, or every error found in them. `bodies`
/// says whether the model holds the transcripts: `build` has them read again page by page,
/// `serve` holds them (see `model::Bodies`).
pub fn read_sources(
    options: &BuildOptions,
    config: Config,
    cache: Arc<Cache>,
    bodies: Bodies,
    progress: &dyn Progress,
) -> Result<Sources> {
    let static_dir = SiteLayout::new(&options.root).static_dir();
    let (model, diagnostics) = load_model(
        &options.root,
        &config,
        options.drafts,
        &static_dir,
        (cache, bodies),
        progress,
    );
    let built = model.archive();
    let (archive, warnings) = archive_or_errors(built, diagnostics)?;
    let theme = Theme::load(&options.root, &config.theme)?;
    Ok(Sources {
        config,
        theme,
        model,
        archive,
        warnings,
    })
}

/// Every file of the site into `sink`: static files, every page and feed, and the search index.
/// Returns how many HTML pages were rendered.
pub fn write_site(
    sink: &Staging,
    archive: &Archive,
    config: &Config,
    theme: &Theme,
    static_dir: &Path,
    progress: &dyn Progress,
) -> Result<usize> {
    let sinks = ProductSinks {
        static_files: sink,
        pages: sink,
        index: sink,
        scratch: sink.dir(),
    };
    make_products(&sinks, archive, config, theme, static_dir, progress)
}

/// Where each product of a build goes: one sink for all three in `build`, one each in `serve`,
/// which remakes them apart. A sink takes its product's files in the order a build puts them.
pub struct ProductSinks<'a> {
    pub static_files: &'a dyn PageSink,
    pub pages: &'a dyn PageSink,
    pub index: &'a dyn PageSink,
    /// A folder for what a product keeps on disk while it is made (the search index's parsed
    /// parts), each in a folder of its own that it removes.
    pub scratch: &'a Path,
}

/// Every product of the site, each into its sink: static files first, then the pages and the
/// search index beside them, which wins over the static files (pages never go in its folder).
/// Returns how many HTML pages were rendered.
pub fn make_products(
    sinks: &ProductSinks,
    archive: &Archive,
    config: &Config,
    theme: &Theme,
    static_dir: &Path,
    progress: &dyn Progress,
) -> Result<usize> {
    copy_static(sinks.static_files, theme, static_dir)?;
    // The index is built part after part on a thread of its own, each part written as soon as
    // it is built and then dropped, while the pages render: Pagefind parses a part's records on
    // all cores, then builds it mostly on one thread, and the pages take the others.
    let parts = search::parts(archive, config);
    let put = |files: search::Files| put_index(sinks.index, files);
    let (pages, index) = std::thread::scope(|scope| {
        let index =
            scope.spawn(|| search::build_parts(archive, config, &parts, sinks.scratch, &put));
        let pages = render_pages(sinks.pages, archive, config, theme, static_dir, progress);
        if !parts.is_empty() && !index.is_finished() {
            progress.stage(Stage::SearchIndex, 0);
        }
        let index = index
            .join()
            .unwrap_or_else(|_| Err(Error::Search("the indexing thread panicked".into())));
        (pages, index)
    });
    let pages = pages?;
    index?;
    progress.stage(Stage::Writing, 0);
    Ok(pages)
}

/// The pages product: every page and feed of the page graph into `sink`, but those the site's
/// own static files replace. Returns how many HTML pages were rendered.
pub fn render_pages(
    sink: &dyn PageSink,
    archive: &Archive,
    config: &Config,
    theme: &Theme,
    static_dir: &Path,
    progress: &dyn Progress,
) -> Result<usize> {
    Renderer::new(archive, config, theme)
        .overridden_by(site_static_files(static_dir))
        .render_all(sink, progress)
}

/// The search index product into `sink`.
pub fn put_index(sink: &dyn PageSink, index: search::Files) -> Result<()> {
    index
        .par_iter()
        .try_for_each(|(path, bytes)| sink.put(path, bytes))
}

/// `site.toml`, with command-line overrides applied.
pub fn configure(options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    Ok(config)
}

/// Load and model: the archive, or every error found in it.
pub fn load_archive(
    root: &Path,
    config: &Config,
    drafts: bool,
    static_dir: &Path,
) -> Result<(Archive, Vec<Diagnostic>)> {
    let (model, diagnostics) = load_model(root, config, drafts, static_dir, held(), &Quiet);
    archive_or_errors(model.archive(), diagnostics)
}

/// The archive, or every error found in it.
fn archive_or_errors(
    built: model::Built,
    diagnostics: Vec<Diagnostic>,
) -> Result<(Archive, Vec<Diagnostic>)> {
    let (archive, diagnostics) = model_archive(built, diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    Ok((archive, diagnostics))
}

/// The archive of a model, keeping every problem found on the way.
fn model_archive(
    built: model::Built,
    mut diagnostics: Vec<Diagnostic>,
) -> (Archive, Vec<Diagnostic>) {
    diagnostics.extend(built.diagnostics);
    sort_diagnostics(&mut diagnostics);
    (built.archive, diagnostics)
}

/// What parses the transcripts, and whether the model holds them.
pub type Reading = (Arc<dyn TranscriptReader + Send>, Bodies);

/// Transcripts parsed afresh and held: for the commands that read the archive once.
fn held() -> Reading {
    (Arc::new(model::Afresh), Bodies::Held)
}

/// Load, and the parsed model kept apart for later updates (`serve`), with the problems found
/// on the way; the archive-wide problems come with `Model::archive`. Each episode is read,
/// parsed and made into its model episode on all cores, its text dropped once parsed.
pub fn load_model(
    root: &Path,
    config: &Config,
    drafts: bool,
    static_dir: &Path,
    (transcripts, bodies): Reading,
    progress: &dyn Progress,
) -> (model::Model, Vec<Diagnostic>) {
    progress.stage(Stage::Reading, 0);
    let loaded = load::load_site(root);
    let files = Arc::new(load::ContentFiles::new(root, transcripts));
    let classifier = Classifier::new(&config.transcripts.markers, &config.transcripts.anonymous)
        .with_roles(&config.speakers.roles);
    let reserved = reserved_names(static_dir);
    let options = model::ModelOptions {
        drafts,
        classifier: &classifier,
        infer: config.speakers.infer,
        reserved: &reserved,
        bodies,
    };
    let (model, mut diagnostics) =
        model::Model::read(loaded.sources, &loaded.episodes, files, &options);
    progress.stage(Stage::Model, 0);
    diagnostics.extend(loaded.diagnostics);
    (model, diagnostics)
}

/// The archive with drafts, for commands that edit the site.
pub fn load_for_editing(root: &Path) -> Result<Archive> {
    let config = Config::load(root)?;
    load_archive(root, &config, true, &SiteLayout::new(root).static_dir())
        .map(|(archive, _)| archive)
}

/// `import`: transcript files into episode files of a show, told which episodes the site
/// already has so that none is imported twice.
pub fn import(
    root: &Path,
    files: &[PathBuf],
    options: &import::ImportOptions,
) -> std::result::Result<Vec<std::result::Result<import::Written, Diagnostic>>, import::RefusedImport>
{
    import::import(root, files, options, || load::load(root).sources.episodes)
}

/// `check`: every problem in the archive, drafts included, sorted by file and line. Nothing
/// is written.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let static_dir = SiteLayout::new(root).static_dir();
    let (model, diagnostics) = load_model(root, &config, true, &static_dir, held(), &Quiet);
    let (archive, mut diagnostics) = model_archive(model.archive(), diagnostics);
    let files = graph::site_files(&archive, &config, &static_names(root, &config));
    let site = SiteIndex::new(&archive, &files, config.base_path());
    diagnostics.extend(check::analyse(&archive, &site));
    sort_diagnostics(&mut diagnostics);
    Ok(diagnostics)
}

/// `check --speakers`: who every label of the archive (drafts included) means, and why.
pub fn speaker_report(root: &Path) -> Result<check::SpeakerReport> {
    let config = Config::load(root)?;
    let static_dir = SiteLayout::new(root).static_dir();
    let (model, diagnostics) = load_model(root, &config, true, &static_dir, held(), &Quiet);
    let (archive, _) = archive_or_errors(model.archive(), diagnostics)?;
    let classifier = Classifier::new(&config.transcripts.markers, &config.transcripts.anonymous)
        .with_roles(&config.speakers.roles);
    Ok(check::speaker_report(&archive, &classifier))
}

/// The names of the files the site copies as they are, relative to the output: the theme's
/// (built in, then its folder) and the site's own.
pub fn static_names(root: &Path, config: &Config) -> StaticNames {
    let mut names = StaticNames::default();
    let _ = Theme::built_in_static(&mut |path, _| {
        names.theme.insert(path.to_string());
        Ok(())
    });
    let layout = SiteLayout::new(root);
    let theme_dir = layout.theme(&config.theme).join(STATIC_DIR);
    names.theme.extend(site_static_files(&theme_dir));
    names.site.extend(site_static_files(&layout.static_dir()));
    names
}

/// The files of the site's `static/`, relative to it: they replace generated files of the
/// same name.
pub fn site_static_files(static_dir: &Path) -> std::collections::HashSet<String> {
    walkdir::WalkDir::new(static_dir)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(static_dir).ok()?;
            Some(relative.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// Top-level names a show cannot take: the site's own sections and whatever `static/` puts
/// at the root.
fn reserved_names(static_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = crate::layout::RESERVED
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Ok(entries) = std::fs::read_dir(static_dir) {
        names.extend(entries.flatten().map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            model::slug::slugify(name.split('.').next().unwrap_or(&name))
        }));
    }
    names
}

/// Theme files first, then the site's `static/`, so the site wins.
pub fn copy_static(sink: &dyn PageSink, theme: &Theme, static_dir: &Path) -> Result<()> {
    for source in &theme.static_files {
        match source {
            StaticFiles::BuiltIn => {
                Theme::built_in_static(&mut |path, bytes| sink.put(path, bytes))?
            }
            StaticFiles::Folder(dir) => copy_tree(sink, dir)?,
        }
    }
    copy_tree(sink, static_dir)
}

/// Every file under `from`, to the same relative path in the site.
fn copy_tree(sink: &dyn PageSink, from: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(from, std::io::Error::other(e.to_string())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        sink.put(&relative.to_string_lossy().replace('\\', "/"), &bytes)?;
    }
    Ok(())
}
