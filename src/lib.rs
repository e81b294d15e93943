//! Verbatim: a static site generator for podcast and interview transcript archives.
//!
//! The pipeline reads in the module names: [`load`] reads `content/` from disk, [`model`]
//! turns it into an [`model::Archive`], [`render`] turns the archive into pages and feeds,
//! [`search`] indexes it for full-text search, and [`write`] puts it all in `public/`
//! atomically. [`pipeline`] runs the stages in order.

pub mod cache;
pub mod check;
pub mod config;
pub mod error;
pub mod import;
pub mod layout;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;
pub mod write;

pub use config::Config;
pub use error::{Diagnostic, Error, Result, Severity};
