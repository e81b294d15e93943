//! Pages → `public/`, atomically.
//!
//! Pages go into a staging folder beside the output as they are rendered, so memory does not
//! grow with the size of the site; only when the whole build has succeeded is the staging
//! folder swapped in. A failed build leaves the previous output exactly as it was, and no file
//! of an earlier build survives a successful one. What a build may delete is only what an
//! earlier build wrote: [`output`] checks the folder before the build starts, and the swap
//! checks it again.
//!
//! A file whose content the output already holds is not written again: the output's file is
//! linked into the staging folder. A rebuild after a small edit then creates few new files, which
//! is most of its cost on a disk, and an unchanged file keeps its modification time, so a deploy
//! that copies by size and time (`rsync`) sends only what changed.

pub mod output;

use std::collections::HashSet;
use std::fs;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::PageSink;
use output::{foreign_files, manifest, manifest_text, MANIFEST};

/// A folder beside the output that becomes the output on [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The staging folder's manifest, locked for as long as this build lives: a folder whose
    /// manifest nobody holds was left by a build that was killed, and the next build removes it.
    manifest: fs::File,
    written: Mutex<Vec<String>>,
    /// The folders made so far: most hold several files, and asking the file system again for
    /// each was a share of a cold build's system time.
    folders: Mutex<HashSet<PathBuf>>,
    /// Whether an output was there when the build began: else no file of it can be linked, and
    /// looking for one for every file is a system call wasted.
    output_at_start: bool,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `output` (a folder [`output::checked`] allowed),
    /// on the same file system so that the final swap is a rename. Staging folders and old
    /// outputs that killed builds left beside it are removed first.
    pub fn new(output: &Path) -> Result<Staging> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        remove_abandoned(parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let manifest_path = dir.join(MANIFEST);
        let mut manifest = fs::File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&manifest_path)
            .map_err(|e| Error::io(&manifest_path, e))?;
        manifest
            .write_all(manifest_text(std::iter::empty()).as_bytes())
            .map_err(|e| Error::io(&manifest_path, e))?;
        manifest
            .try_lock()
            .map_err(|e| Error::io(&manifest_path, std::io::Error::other(e)))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            manifest,
            written: Mutex::new(Vec::new()),
            folders: Mutex::new(HashSet::new()),
            output_at_start: fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()),
            committed: false,
        })
    }

    /// The staging folder. What a build puts in it beside its pages must be gone before
    /// [`Staging::commit`]; a killed build's is removed with the rest of its folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes `folder` and those above it, unless this build already has.
    fn make_folder(&self, folder: &Path) -> Result<()> {
        if lock(&self.folders).contains(folder) {
            return Ok(());
        }
        fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        lock(&self.folders).insert(folder.to_path_buf());
        Ok(())
    }

    /// Swaps the staging folder in as the output. The old output is moved aside first and
    /// removed only after the new one is in place, and only if it holds nothing but what the
    /// last build wrote: a file put there during this build stops the swap.
    pub fn commit(mut self) -> Result<()> {
        self.write_manifest()?;
        let old = self.output.with_file_name(format!(
            ".{}.old-{}",
            self.output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_output = fs::symlink_metadata(&self.output).is_ok();
        // Held until the old output is gone, so that no other build takes it for abandoned.
        let _old_lock = match had_output {
            true => Some(self.claim_old_output()?),
            false => None,
        };
        if had_output {
            fs::rename(&self.output, &old).map_err(|e| Error::io(&self.output, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(Error::io(&self.output, e));
        }
        self.committed = true;
        if had_output {
            remove_tree(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }

    /// Lists every file this build wrote in its manifest.
    fn write_manifest(&mut self) -> Result<()> {
        let mut written = std::mem::take(&mut *lock(&self.written));
        written.sort_unstable();
        written.dedup();
        let text = manifest_text(written.iter().map(String::as_str));
        let path = self.dir.join(MANIFEST);
        let file = &mut self.manifest;
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .map_err(|e| Error::io(&path, e))
    }

    /// The existing output's manifest, locked, once the output is known to hold nothing but
    /// what it lists (or nothing at all).
    fn claim_old_output(&self) -> Result<Option<fs::File>> {
        let refused = |why: String| Err(Error::Output(format!("{}: {why}", self.output.display())));
        let Some(written) = manifest(&self.output)? else {
            let empty = fs::read_dir(&self.output)
                .map_err(|e| Error::io(&self.output, e))?
                .next()
                .is_none();
            return match empty {
                true => Ok(None),
                false => refused(format!("files appeared here during the build, and no build of Verbatim wrote this folder ({MANIFEST} is missing); the new site was not swapped in")),
            };
        };
        let foreign = foreign_files(&self.output, &written)?;
        if let Some(first) = foreign.first() {
            return refused(format!("{first} appeared here during the build, and the last build did not write it; the new site was not swapped in, so that it is not deleted"));
        }
        let path = self.output.join(MANIFEST);
        let file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(_) => refused("another build is swapping its site in here right now".to_string()),
        }
    }
}

/// Removes the staging folders and old outputs of `name` in `parent` that builds killed before
/// they finished left behind: those that hold a manifest that no running build has locked.
/// Anything else is left alone.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefixes.iter().any(|p| file_name.starts_with(p.as_str()));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !ours || !is_dir {
            continue;
        }
        let folder = entry.path();
        let Ok(manifest) = fs::File::open(folder.join(MANIFEST)) else {
            // Killed between making its folder and its manifest: the folder is still empty, and
            // removing an empty folder cannot lose anything.
            let _ = fs::remove_dir(&folder);
            continue;
        };
        if manifest.try_lock().is_ok() {
            let _ = remove_tree(&folder);
        }
    }
}

/// `fs::remove_dir_all`, with the files removed on all cores: the old output of a large
/// archive is tens of thousands of files, and removing them one by one was a large share of
/// a rebuild's system time. Symbolic links are removed, never followed. The manifest goes
/// last, so that a removal cut short is still known for a build's own and finished later.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_root_links(false)
        .min_depth(1);
    for entry in walk {
        let entry = entry.map_err(std::io::Error::other)?;
        match entry.file_type().is_dir() {
            true => folders.push(entry.into_path()),
            false => files.push(entry.into_path()),
        }
    }
    let manifest = dir.join(MANIFEST);
    files
        .par_iter()
        .filter(|file| **file != manifest)
        .try_for_each(fs::remove_file)?;
    // Deepest first, so that each folder is empty when its turn comes.
    for folder in folders.iter().rev() {
        fs::remove_dir(folder)?;
    }
    match fs::remove_file(&manifest) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

impl PageSink for Staging {
    fn put(&self, path: &str, content: &[u8]) -> Result<()> {
        if path == MANIFEST {
            return Err(Error::Output(format!(
                "{MANIFEST}: the site cannot publish a file of this name; a build keeps the list of files it wrote in it"
            )));
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            self.make_folder(parent)?;
        }
        lock(&self.written).push(path.to_string());
        let old = self.output.join(path);
        if self.output_at_start && holds(&old, content) && fs::hard_link(&old, &target).is_ok() {
            return Ok(());
        }
        fs::write(&target, content).map_err(|e| Error::io(&target, e))
    }
}

/// A lock poisoned by a thread that panicked while putting a file still guards whole lists:
/// each change to them is one push or insert.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether `file` is a plain file (not a link to one) holding exactly `content`. Files are never
/// changed in place (each build writes new ones), so a file linked from the old output stays as
/// it was compared.
fn holds(file: &Path, content: &[u8]) -> bool {
    let same_size =
        fs::symlink_metadata(file).is_ok_and(|m| m.is_file() && m.len() == content.len() as u64);
    same_size && fs::read(file).is_ok_and(|bytes| bytes == content)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output as an earlier build left it: `files`, and the manifest that lists them.
    fn earlier_build(output: &Path, files: &[(&str, &str)]) {
        fs::create_dir_all(output).unwrap();
        for (path, content) in files {
            let file = output.join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, content).unwrap();
        }
        let listed = manifest_text(files.iter().map(|(path, _)| *path));
        fs::write(output.join(MANIFEST), listed).unwrap();
    }

    #[test]
    fn a_committed_build_replaces_the_output_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        earlier_build(&output, &[("stale.html", "old")]);
        let staging = Staging::new(&output).unwrap();
        staging.put("a/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(output.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!output.join("stale.html").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_the_output_already_holds_is_linked_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        earlier_build(
            &output,
            &[("a/same.html", "same"), ("a/edited.html", "before")],
        );
        let before = fs::metadata(output.join("a/same.html")).unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.put("a/same.html", b"same").unwrap();
        staging.put("a/edited.html", b"after!").unwrap();
        staging.commit().unwrap();
        let after = fs::metadata(output.join("a/same.html")).unwrap();
        assert_eq!(after.modified().unwrap(), before.modified().unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(after.ino(), before.ino());
            assert_eq!(after.nlink(), 1, "the old output's name is gone");
        }
        assert_eq!(
            fs::read_to_string(output.join("a/edited.html")).unwrap(),
            "after!"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_in_the_output_is_not_carried_over() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        earlier_build(&output, &[]);
        fs::write(dir.path().join("elsewhere.html"), "page").unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere.html"), output.join("a.html"))
            .unwrap();
        fs::write(output.join(MANIFEST), manifest_text(["a.html"].into_iter())).unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.put("a.html", b"page").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("elsewhere.html")).unwrap(),
            "page",
            "the link's target is not the build's to delete"
        );
        let written = fs::symlink_metadata(output.join("a.html")).unwrap();
        assert!(written.is_file());
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        earlier_build(&output, &[("index.html", "old")]);
        {
            let staging = Staging::new(&output).unwrap();
            staging.put("index.html", b"half").unwrap();
        }
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_manifest_lists_what_the_build_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::new(&output).unwrap();
        staging.put("b/index.html", b"b").unwrap();
        staging.put("a.css", b"a").unwrap();
        staging.put("a.css", b"a, from the site's static/").unwrap();
        assert!(staging.put(MANIFEST, b"forged").is_err());
        staging.commit().unwrap();
        let listed = manifest(&output).unwrap().unwrap();
        let expected: std::collections::HashSet<String> =
            ["a.css", "b/index.html"].map(String::from).into();
        assert_eq!(listed, expected);
    }

    /// A file put in the output while a build ran was deleted by the swap: it is the user's,
    /// and the build now stops instead, leaving the output as it was.
    #[test]
    fn a_file_added_during_the_build_stops_the_swap() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        earlier_build(&output, &[("index.html", "old")]);
        let staging = Staging::new(&output).unwrap();
        staging.put("index.html", b"new").unwrap();
        fs::write(output.join("CNAME"), "archive.example.org").unwrap();
        let error = staging.commit().unwrap_err();
        assert!(error.to_string().contains("CNAME"), "{error}");
        assert_eq!(
            fs::read_to_string(output.join("CNAME")).unwrap(),
            "archive.example.org"
        );
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A build killed mid-way (Ctrl-C) left `.public.staging-PID` and `.public.old-PID` folders
    /// that no later build removed. The next build removes those whose manifest no running
    /// build holds, and nothing else.
    #[test]
    fn what_a_killed_build_left_is_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let abandoned = [".public.staging-4000001", ".public.old-4000002"];
        for name in abandoned {
            earlier_build(&dir.path().join(name), &[("a/index.html", "half")]);
        }
        let killed_at_once = dir.path().join(".public.staging-4000003");
        fs::create_dir_all(&killed_at_once).unwrap();
        let running = Staging::new(&dir.path().join("other")).unwrap();
        let not_ours = dir.path().join(".public.staging-notes");
        fs::create_dir_all(&not_ours).unwrap();
        fs::write(not_ours.join("keep.txt"), "mine").unwrap();
        let staging = Staging::new(&output).unwrap();
        for name in abandoned {
            assert!(!dir.path().join(name).exists(), "{name} is still there");
        }
        assert!(!killed_at_once.exists());
        assert!(not_ours.join("keep.txt").exists());
        staging.commit().unwrap();
        // A build of another output, still running, keeps its staging folder.
        assert!(running.dir.exists());
        running.commit().unwrap();
    }
}
