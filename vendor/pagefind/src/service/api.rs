//! The programmatic service interface for integrating Pagefind into another Rust project.
//!
//! # Examples
//!
//! ```
//! use pagefind::api::{PagefindIndex};
//! use pagefind::options::{PagefindServiceConfig};
//!
//! #[tokio::main]
//! async fn main() {
//!     let options = PagefindServiceConfig::builder()
//!         .keep_index_url(true)
//!         .force_language("en".to_string())
//!         .build();
//!     let mut index = PagefindIndex::new(Some(options)).expect("Options should be valid");
//!     let indexing_response = index
//!         .add_html_file(
//!             Some("test/index.html".into()),
//!             None,
//!             "<html><body><h1>Test content</h1></body></html>".into(),
//!         )
//!         .await;
//!
//!     if let Ok(file) = indexing_response {
//!         println!("Page word count: {}", file.page_word_count);
//!         println!("Page URL: {}", file.page_url);
//!     }
//!
//!     let files_response = index.get_files().await;
//!     if let Ok(files) = files_response {
//!         println!("Have {} files to write to disk", files.len());
//!     }
//! }
//! ```

pub use crate::index::WordWeight;
pub use crate::output::SyntheticFile;
use anyhow::{bail, Result};
use rayon::iter::{IntoParallelIterator, ParallelIterator};
use rust_patch::Patch;
use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use crate::{
    fossick::{parser::DomParserResult, Fossicker},
    options::PagefindServiceConfig,
    PagefindInboundConfig, SearchOptions, SearchState,
};

#[derive(Debug)]
pub struct IndexedFileResponse {
    pub page_word_count: u32,
    pub page_url: String,
    pub page_meta: BTreeMap<String, String>,
}

pub struct PagefindIndex {
    search_index: Arc<tokio::sync::Mutex<SearchState>>,
}

impl PagefindIndex {
    /// Create a new PagefindIndex instance that files can be added to.
    ///
    /// # Arguments
    /// * `config` - An optional PagefindServiceConfig to override default options for the service.
    ///
    /// # Returns
    /// A PagefindIndex instance if search options are valid, otherwise an Error.
    pub fn new(config: Option<PagefindServiceConfig>) -> Result<Self> {
        let mut service_options: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");

        service_options.service = true;
        if let Some(config) = config {
            service_options = config.apply(service_options);
        }

        let options = SearchOptions::load(service_options)?;
        Ok(Self {
            search_index: Arc::new(tokio::sync::Mutex::new(SearchState::new(options))),
        })
    }

    /// Add an HTML file that isn't on disk into this search index.
    /// Either a filepath or a URL must be provided.
    ///
    /// # Arguments
    /// * `source_path` - The source path of the HTML file if it were to exist on disk.
    /// * `url` - An explicit URL to use, instead of having Pagefind compute the URL based on the `source_path`.
    /// * `content` - The source HTML content of the file to be parsed.
    ///
    /// # Returns
    /// Metadata about the added file if successful, otherwise an Error.
    pub async fn add_html_file(
        &mut self,
        source_path: Option<String>,
        url: Option<String>,
        content: String,
    ) -> Result<IndexedFileResponse> {
        if source_path.is_none() && url.is_none() {
            bail!("Either source_path or url must be provided");
        }

        let file = Fossicker::new_synthetic(source_path.map(PathBuf::from), url, content);
        let state = Arc::clone(&self.search_index);
        let data = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_one(file)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(IndexedFileResponse {
            page_word_count: data.fragment.data.word_count as u32,
            page_url: data.fragment.data.url,
            page_meta: data.fragment.data.meta,
        })
    }

    /// Index many HTML files held in memory, parsed in parallel on rayon's pool as
    /// `add_directory` parses files from disk (`add_html_file` parses one file at a time).
    ///
    /// # Arguments
    /// * `files` - Each file's URL and its source HTML content.
    ///
    /// # Returns
    /// The number of pages indexed if successful, otherwise an Error.
    ///
    /// Blocks the calling thread: call it outside of an async runtime.
    pub fn add_html_files<I>(&mut self, files: I) -> Result<usize>
    where
        I: IntoParallelIterator<Item = (String, String)>,
    {
        let files = files
            .into_par_iter()
            .map(|(url, content)| Fossicker::new_synthetic(None, Some(url), content));
        self.search_index.blocking_lock().fossick_parallel(files)
    }

    /// Index a custom record that isn't backed by an HTML file.
    ///
    /// # Arguments
    /// * `url` - The output URL of this record. Pagefind will not alter this.
    /// * `content` - The raw content of this record.
    /// * `language` - What language is this record written in. Expects an ISO 639-1 code.
    /// * `meta` - The metadata to attach to this record. Supplying a `title` is highly recommended.
    /// * `filters` - The filters to attach to this record.
    /// * `sort` - The sort keys to attach to this record.
    ///
    /// # Returns
    /// Metadata about the added record if successful, otherwise an Error.
    pub async fn add_custom_record(
        &mut self,
        url: String,
        content: String,
        language: String,
        meta: Option<BTreeMap<String, String>>,
        filters: Option<BTreeMap<String, Vec<String>>>,
        sort: Option<BTreeMap<String, String>>,
    ) -> Result<IndexedFileResponse> {
        let force_language = self
            .search_index
            .lock()
            .await
            .options
            .force_language
            .clone();
        let data = DomParserResult {
            digest: content,
            filters: filters.unwrap_or_default(),
            sort: sort.unwrap_or_default(),
            meta: meta.unwrap_or_default(),
            anchor_content: BTreeMap::new(),
            anchor_titles: BTreeMap::new(),
            has_custom_body: false,
            force_inclusion: true,
            has_html_element: true,
            has_old_bundle_reference: false,
            has_default_ui_reference: false,
            language: force_language.unwrap_or(language),
        };
        let file = Fossicker::new_with_data(url, data);
        let state = Arc::clone(&self.search_index);
        let data = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_one(file)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(IndexedFileResponse {
            page_word_count: data.fragment.data.word_count as u32,
            page_url: data.fragment.data.url,
            page_meta: data.fragment.data.meta,
        })
    }

    /// Index a directory of HTML files from disk.
    ///
    /// # Arguments
    /// * `path` - The path to the directory to index.
    /// * `glob` - A glob pattern to match files in the directory. If not provided, the default glob pattern will be used.
    ///
    /// # Returns
    /// The number of pages indexed if successful, otherwise an Error.
    pub async fn add_directory(&mut self, path: String, glob: Option<String>) -> Result<usize> {
        let defaults: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");
        let glob = glob.unwrap_or(defaults.glob);

        let state = Arc::clone(&self.search_index);
        let page_count = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_many(PathBuf::from(path), glob)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(page_count)
    }

    /// How many pages have been added so far.
    ///
    /// Blocks the calling thread: call it outside of an async runtime.
    pub fn page_count(&self) -> usize {
        self.search_index.blocking_lock().fossicked_pages.len()
    }

    /// Pages `range` of those added so far, each encoded on rayon's pool, in the order they
    /// were added. `add_encoded_pages` adds them to an index again as they were, without
    /// parsing them again: a program that builds several indexes can keep one's parsed pages
    /// outside its memory until it builds that index, a range at a time.
    ///
    /// Blocks the calling thread: call it outside of an async runtime.
    pub fn encoded_pages(&self, range: std::ops::Range<usize>) -> Vec<Vec<u8>> {
        use rayon::iter::IntoParallelRefIterator;
        let state = self.search_index.blocking_lock();
        state.fossicked_pages[range]
            .par_iter()
            .map(crate::fossick::encode_page)
            .collect()
    }

    /// Adds pages that `encoded_pages` gave, in their order, decoding them on rayon's pool.
    ///
    /// # Returns
    /// The number of pages added, or an error if one of them cannot be decoded.
    ///
    /// Blocks the calling thread: call it outside of an async runtime.
    pub fn add_encoded_pages<I, P>(&mut self, pages: I) -> Result<usize>
    where
        I: IntoParallelIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let pages = pages
            .into_par_iter()
            .map(|page| crate::fossick::decode_page(page.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        let added = pages.len();
        self.search_index
            .blocking_lock()
            .fossicked_pages
            .extend(pages);
        Ok(added)
    }

    /// What each word of the pages added so far adds towards filling an index chunk, by the
    /// word as the index holds it (see `WordWeight`). The pages are taken out: this index has
    /// nothing left to build. Measured over several indexes of parts of a site, it tells where
    /// the chunks of one index of the whole site would end (`chunk_cuts`).
    ///
    /// Blocks the calling thread: call it outside of an async runtime.
    pub fn take_word_weights(&mut self) -> BTreeMap<String, WordWeight> {
        let pages = std::mem::take(&mut self.search_index.blocking_lock().fossicked_pages);
        let pages = crate::SearchState::indexed_pages(pages);
        crate::index::word_weights(pages).into_iter().collect()
    }

    /// The words after which this index would end its chunks if its words had these weights
    /// (`WordWeight::total`).
    pub fn chunk_cuts<'a>(
        &self,
        weights: impl IntoIterator<Item = (&'a String, usize)>,
    ) -> std::collections::BTreeSet<String> {
        let chunk_size = self.search_index.blocking_lock().options.index_chunk_size;
        crate::index::chunk_cuts(weights, chunk_size)
    }

    /// End this index's chunks after exactly these words instead of where they fill up, so
    /// that indexes of parts of a site have the chunks of one index of the whole site: a word
    /// that a search widens to is then among the words it loads in every part exactly when
    /// it is in one index of the whole. Every part must hold every word for that (a page of
    /// them all will do).
    ///
    /// Blocks the calling thread: call it outside of an async runtime.
    pub fn set_chunk_cuts(&mut self, cuts: std::collections::BTreeSet<String>) {
        self.search_index.blocking_lock().options.index_chunk_cuts = Some(Arc::new(cuts));
    }

    /// Build the search index for this instance and hold it in memory.
    pub async fn build_indexes(&mut self) -> Result<()> {
        self.search_index.lock().await.build_indexes().await
    }

    /// Build the search index for this instance and write the files to disk.
    ///
    /// # Arguments
    /// * `output_path` - The path to write the files to. If not provided, the default output path will be used.
    ///
    /// # Returns
    /// The path files were written to if successful, otherwise an Error.
    pub async fn write_files(&mut self, output_path: Option<String>) -> Result<String> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        let resolved_output_path = state.write_files(output_path.map(Into::into)).await;

        Ok(resolved_output_path.to_string_lossy().into())
    }

    /// Build the search index for this instance and return the files as a list of
    /// SyntheticFileResponse.
    ///
    /// # Returns
    /// A list of SyntheticFiles containing the path and content of each file.
    pub async fn get_files(&mut self) -> Result<Vec<SyntheticFile>> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        Ok(state.get_files().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn test_add_file() {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("en".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).unwrap();
        let file_response = index
            .add_html_file(
                Some("test/index.html".into()),
                None,
                "<html><body><h1>Test content</h1></body></html>".into(),
            )
            .await;

        let file = file_response.expect("Adding a file should succeed");
        assert_eq!(file.page_word_count, 2);
        assert_eq!(file.page_url, "/test/index.html");

        let files_response = index.get_files().await;

        let files = files_response.expect("Getting files should succeed");
        let filenames: Vec<_> = files.into_iter().map(|f| f.filename).collect();
        assert!(filenames.contains(&PathBuf::from("pagefind.js")));
        assert!(filenames.contains(&PathBuf::from("pagefind-ui.js")));
        assert!(filenames.contains(&PathBuf::from("pagefind-ui.css")));
        assert!(filenames.contains(&PathBuf::from("wasm.en.pagefind")));
        assert!(filenames.contains(&PathBuf::from("pagefind-entry.json")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_meta")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_fragment")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_index")));
    }

    /// Pages whose parse covers what an index keeps of a page: metadata, filters, sort keys,
    /// anchors, words with diacritics, weighted words and words only in metadata.
    fn sample_pages() -> Vec<(String, String)> {
        (0..4)
            .map(|n| {
                (
                    format!("/page-{n}/"),
                    format!(
                        "<html lang=\"en\"><body data-pagefind-body>\
                         <span data-pagefind-meta=\"title:Café number {n}\"></span>\
                         <span data-pagefind-filter=\"speaker:Zoë {n}\"></span>\
                         <span data-pagefind-sort=\"date:2020-01-0{n}\"></span>\
                         <h1>Naïve café {n}</h1><h2 id=\"turn-{n}\">Zoë</h2>\
                         <p>The résumé of talk {n}: <strong data-pagefind-weight=\"4\">weighty\
                         </strong> words, E10 and co-operation.</p></body></html>"
                    ),
                )
            })
            .collect()
    }

    fn files_of(mut index: PagefindIndex) -> Vec<(PathBuf, Vec<u8>)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut files: Vec<_> = runtime
            .block_on(index.get_files())
            .unwrap()
            .into_iter()
            .map(|file| (file.filename, file.contents))
            .collect();
        files.sort();
        files
    }

    fn new_index() -> PagefindIndex {
        let options = PagefindServiceConfig::builder()
            .force_language("en".to_string())
            .build();
        PagefindIndex::new(Some(options)).unwrap()
    }

    #[test]
    fn encoded_pages_build_the_same_index() {
        let mut parsed = new_index();
        parsed.add_html_files(sample_pages()).unwrap();
        assert_eq!(parsed.page_count(), 4);
        let (mut first, rest) = (parsed.encoded_pages(0..3), parsed.encoded_pages(3..4));
        assert_eq!((first.len(), rest.len()), (3, 1));
        first.extend(rest);

        let mut decoded = new_index();
        assert_eq!(decoded.add_encoded_pages(first).unwrap(), 4);
        let (direct, again) = (files_of(parsed), files_of(decoded));
        assert!(direct.iter().any(|(name, _)| name.starts_with("filter")));
        assert_eq!(direct, again);
    }

    #[test]
    fn a_page_cut_short_is_an_error() {
        let mut parsed = new_index();
        parsed.add_html_files(sample_pages()).unwrap();
        let page = &parsed.encoded_pages(0..1)[0];
        let mut decoded = new_index();
        assert!(decoded
            .add_encoded_pages(vec![&page[..page.len() - 1]])
            .is_err());
    }
}
