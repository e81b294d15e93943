//! File watching: the only module that knows notify.
//!
//! Only changes count: reading a file is an event too on some systems, and the rebuild reads
//! every file, so counting reads would rebuild forever. Events are debounced (an editor's save
//! is several events) and arrive as one batch of changed paths. Where the operating system's
//! watcher cannot work (some network and container file systems), polling takes over.
//!
//! A watch is of a folder as it was when the watch began: a source folder removed and made
//! again, or moved away and back (a `git checkout`, `mv content x && mv x content`), is watched
//! again from scratch, and files written into a new folder before its watch began are counted
//! as changed, since no event told of them.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::layout::SiteLayout;

/// How long the files must be quiet before a rebuild: an editor's save is several events.
const QUIET: Duration = Duration::from_millis(30);
/// How often polling looks at the files, when polling is used.
const POLL: Duration = Duration::from_millis(300);

/// Keeps watching until dropped.
pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    events: mpsc::Receiver<Change>,
    root: PathBuf,
    /// The source folders being watched; one created later (a first `templates/`) is added.
    watched: Vec<PathBuf>,
    pub polling: bool,
}

/// The paths of one event, and whether they arrived (made, or moved in).
struct Change {
    paths: Vec<PathBuf>,
    arrived: bool,
}

impl Watch {
    /// Waits for a change, then for the files to be quiet; returns every changed path.
    /// `None` when watching has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut changes = vec![self.events.recv().ok()?];
        while let Ok(more) = self.events.recv_timeout(QUIET) {
            changes.push(more);
        }
        let mut batch = Vec::new();
        for change in changes {
            if change.arrived {
                batch.extend(self.files_in_new_folders(&change.paths));
            }
            batch.extend(change.paths);
        }
        self.rearm(&mut batch);
        batch.sort();
        batch.dedup();
        Some(batch)
    }

    /// The files inside folders that arrived within a source folder. The watcher watches such a
    /// folder as soon as it hears of it, but a checkout or a copy may have written files into
    /// it before then, and of those nothing else tells. A source folder that arrives is
    /// [`Watch::rearm`]'s, and is rebuilt whole.
    fn files_in_new_folders(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        let source_folders = source_folders(&self.root);
        paths
            .iter()
            .filter(|path| {
                let inside = |folder: &PathBuf| path.starts_with(folder) && *path != folder;
                source_folders.iter().any(inside) && path.is_dir()
            })
            .flat_map(|folder| WalkDir::new(folder).into_iter().flatten())
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .collect()
    }

    /// Watches each source folder again that went, or came back, in this batch, and adds it
    /// to the batch when its watch starts. A watch follows the folder it was given, not its
    /// name: once that folder is deleted or moved away, nothing under the name is heard of
    /// again, even when a folder of that name comes back.
    fn rearm(&mut self, batch: &mut Vec<PathBuf>) {
        for folder in source_folders(&self.root) {
            let replaced = batch.contains(&folder) || !folder.exists();
            if replaced && self.watched.contains(&folder) {
                // The watcher may already have dropped it; either way it is gone.
                let _ = self.watcher.unwatch(&folder);
                self.watched.retain(|watched| watched != &folder);
            }
            if folder.exists()
                && !self.watched.contains(&folder)
                && self
                    .watcher
                    .watch(&folder, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(folder.clone());
                batch.push(folder);
            }
        }
    }
}

/// Watches the site's sources: `content/`, `themes/`, `templates/`, `static/`, `site.toml`.
pub fn watch(root: &Path, force_polling: bool) -> Result<Watch> {
    let (tx, events) = mpsc::channel();
    let handler = move |result: notify::Result<Event>| {
        if let Ok(event) = result {
            if is_change(&event.kind) {
                let arrived = is_arrival(&event.kind);
                let _ = tx.send(Change {
                    paths: event.paths,
                    arrived,
                });
            }
        }
    };
    let watched: Vec<PathBuf> = source_folders(root)
        .into_iter()
        .filter(|folder| folder.exists())
        .collect();
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

/// A path made, or moved in: a folder that arrives may already hold files.
fn is_arrival(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
    )
}

fn watch_error(root: &Path, error: notify::Error) -> Error {
    Error::io(
        root,
        std::io::Error::other(format!("cannot watch for changes: {error}")),
    )
}

/// The source folders of the site, whether they exist or not.
fn source_folders(root: &Path) -> Vec<PathBuf> {
    SiteLayout::new(root).source_folders().collect()
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
