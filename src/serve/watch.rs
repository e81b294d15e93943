//! File watching: the only module that knows notify.
//!
//! Only changes count: reading a file is an event too on some systems, and the rebuild reads
//! every file, so counting reads would rebuild forever. Events are debounced (an editor's save
//! is several events) and arrive as one batch of changed paths. Where the operating system's
//! watcher cannot work (some network and container file systems), polling takes over.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::error::{Error, Result};

/// How long the files must be quiet before a rebuild: an editor's save is several events.
const QUIET: Duration = Duration::from_millis(30);
/// How often polling looks at the files, when polling is used.
const POLL: Duration = Duration::from_millis(300);

/// Keeps watching until dropped.
pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    events: mpsc::Receiver<Vec<PathBuf>>,
    root: PathBuf,
    /// The source folders being watched; one created later (a first `templates/`) is added.
    watched: Vec<PathBuf>,
    pub polling: bool,
}

impl Watch {
    /// Waits for a change, then for the files to be quiet; returns every changed path.
    /// `None` when watching has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut batch = self.events.recv().ok()?;
        while let Ok(more) = self.events.recv_timeout(QUIET) {
            batch.extend(more);
        }
        batch.sort();
        batch.dedup();
        for folder in targets(&self.root) {
            if !self.watched.contains(&folder)
                && self
                    .watcher
                    .watch(&folder, RecursiveMode::Recursive)
                    .is_ok()
            {
                batch.push(folder.clone());
                self.watched.push(folder);
            }
        }
        Some(batch)
    }
}

/// Watches the site's sources: `content/`, `themes/`, `templates/`, `static/`, `site.toml`.
pub fn watch(root: &Path, force_polling: bool) -> Result<Watch> {
    let (tx, events) = mpsc::channel();
    let handler = move |result: notify::Result<Event>| {
        if let Ok(event) = result {
            if is_change(&event.kind) {
                let _ = tx.send(event.paths);
            }
        }
    };
    let watched = targets(root);
    let watch = |watcher: Box<dyn Watcher + Send>, events, polling| Watch {
        watcher,
        events,
        root: root.to_path_buf(),
        watched: watched.clone(),
        polling,
    };
    if !force_polling {
        if let Ok(mut watcher) = RecommendedWatcher::new(handler.clone(), notify::Config::default())
        {
            if add_all(&mut watcher, root, &watched).is_ok() {
                return Ok(watch(Box::new(watcher), events, false));
            }
        }
    }
    let config = notify::Config::default().with_poll_interval(POLL);
    let mut watcher = PollWatcher::new(handler, config).map_err(|e| watch_error(root, e))?;
    add_all(&mut watcher, root, &watched).map_err(|e| watch_error(root, e))?;
    Ok(watch(Box::new(watcher), events, true))
}

fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

fn watch_error(root: &Path, error: notify::Error) -> Error {
    Error::io(
        root,
        std::io::Error::other(format!("cannot watch for changes: {error}")),
    )
}

/// The source folders that exist now.
fn targets(root: &Path) -> Vec<PathBuf> {
    crate::load::SOURCE_FOLDERS
        .iter()
        .map(|name| root.join(name))
        .filter(|path| path.exists())
        .collect()
}

/// The source folders, and the root itself without its subfolders: that sees `site.toml`
/// and a source folder made later, but not `public/`.
fn add_all(watcher: &mut dyn Watcher, root: &Path, targets: &[PathBuf]) -> notify::Result<()> {
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for target in targets {
        watcher.watch(target, RecursiveMode::Recursive)?;
    }
    Ok(())
}
