//! The names of a site's folders and files, each spelled once.
//!
//! `build`, `serve`, `check`, `import`, the build cache and the output checks all need to know
//! where `site.toml`, `content/`, the themes and the rest sit; when each spelled them out, a
//! folder the cache fingerprinted could differ from the ones `serve` watched. This module only
//! names: it reads and writes nothing, and depends on no other module of the crate, so every
//! stage may use it.

use std::path::{Path, PathBuf};

/// The site's settings, in the site folder.
pub const CONFIG_FILE: &str = "site.toml";
/// The transcripts, shows and speaker profiles.
pub const CONTENT_DIR: &str = "content";
/// Themes the site can choose, one folder each; a theme has `templates/` and `static/` too.
pub const THEMES_DIR: &str = "themes";
/// Templates that override the theme's, block by block.
pub const TEMPLATES_DIR: &str = "templates";
/// Files copied into the site as they are.
pub const STATIC_DIR: &str = "static";
/// What earlier builds worked out (see `cache`).
pub const CACHE_DIR: &str = ".verbatim-cache";
/// Where a build writes the site unless told otherwise.
pub const OUTPUT_DIR: &str = "public";
/// The reserved folder of speaker profiles inside `content/`.
pub const SPEAKERS_DIR: &str = "speakers";
/// The file that describes a show inside its folder.
pub const SHOW_FILE: &str = "_index.md";

/// Every folder of a site that a build reads, besides [`CONFIG_FILE`]: what `serve` watches
/// and what the build cache fingerprints.
pub const SOURCE_FOLDERS: [&str; 4] = [CONTENT_DIR, THEMES_DIR, TEMPLATES_DIR, STATIC_DIR];

/// Top-level folders of the built site's own pages: no show may take these names.
pub const RESERVED: [&str; 6] = ["speakers", "shows", "tags", "search", "pagefind", "page"];

/// The folders and files of the site in one folder, as paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLayout {
    root: PathBuf,
}

impl SiteLayout {
    /// The site whose `site.toml` is in `root`.
    pub fn new(root: &Path) -> SiteLayout {
        SiteLayout {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config_file(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn content(&self) -> PathBuf {
        self.root.join(CONTENT_DIR)
    }

    /// The folder of theme `name`, whether or not it exists.
    pub fn theme(&self, name: &str) -> PathBuf {
        self.root.join(THEMES_DIR).join(name)
    }

    pub fn templates(&self) -> PathBuf {
        self.root.join(TEMPLATES_DIR)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join(STATIC_DIR)
    }

    pub fn cache(&self) -> PathBuf {
        self.root.join(CACHE_DIR)
    }

    /// Where the site is written when no `--output` is given.
    pub fn default_output(&self) -> PathBuf {
        self.root.join(OUTPUT_DIR)
    }

    /// Every folder in [`SOURCE_FOLDERS`], whether or not it exists.
    pub fn source_folders(&self) -> impl Iterator<Item = PathBuf> + '_ {
        SOURCE_FOLDERS.iter().map(|name| self.root.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_puts_every_folder_in_the_site_folder() {
        let layout = SiteLayout::new(Path::new("site"));
        assert_eq!(layout.config_file(), Path::new("site/site.toml"));
        assert_eq!(layout.theme("dark"), Path::new("site/themes/dark"));
        assert_eq!(layout.cache(), Path::new("site/.verbatim-cache"));
        let sources: Vec<PathBuf> = layout.source_folders().collect();
        assert_eq!(
            sources,
            ["content", "themes", "templates", "static"].map(|f| Path::new("site").join(f))
        );
    }
}
