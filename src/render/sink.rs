//! Where rendered files go: the renderer's one way out.
//!
//! The renderer touches no files; it hands each page to a sink that its caller chooses. `write`
//! stages pages on disk, `serve` keeps them in memory. The trait lives here, with the renderer
//! that calls it, so that render depends on nothing that consumes its pages.

use crate::error::Result;

/// Where rendered pages go.
pub trait PageSink: Sync {
    /// Stores one file of the site; `path` is relative to the site root, with `/` separators.
    fn put(&self, path: &str, content: &[u8]) -> Result<()>;
}
