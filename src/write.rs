//! Pages → `public/`, atomically.
//!
//! Pages go into a staging folder beside the output as they are rendered, so memory does not
//! grow with the size of the site; only when the whole build has succeeded is the staging
//! folder swapped in. A failed build leaves the previous output exactly as it was, and no file
//! of an earlier build survives a successful one.
//!
//! A file whose content the output already holds is not written again: the output's file is
//! linked into the staging folder. A rebuild after a small edit then creates few new files, which
//! is most of its cost on a disk, and an unchanged file keeps its modification time, so a deploy
//! that copies by size and time (`rsync`) sends only what changed.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Where rendered pages go.
pub trait PageSink: Sync {
    /// Stores one file of the site; `path` is relative to the site root, with `/` separators.
    fn put(&self, path: &str, content: &[u8]) -> Result<()>;
}

/// A folder beside the output that becomes the output on [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `output`, on the same file system so that the
    /// final swap is a rename.
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
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// Swaps the staging folder in as the output. The old output is moved aside first and
    /// removed only after the new one is in place.
    pub fn commit(mut self) -> Result<()> {
        let old = self.output.with_file_name(format!(
            ".{}.old-{}",
            self.output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_output = self.output.exists();
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
}

/// `fs::remove_dir_all`, with the files removed on all cores: the old output of a large
/// archive is tens of thousands of files, and removing them one by one was a large share of
/// a rebuild's system time.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(std::io::Error::other)?;
        match entry.file_type().is_dir() {
            true => folders.push(entry.into_path()),
            false => files.push(entry.into_path()),
        }
    }
    files.par_iter().try_for_each(fs::remove_file)?;
    // Deepest first, so that each folder is empty when its turn comes.
    for folder in folders.iter().rev() {
        fs::remove_dir(folder)?;
    }
    Ok(())
}

impl PageSink for Staging {
    fn put(&self, path: &str, content: &[u8]) -> Result<()> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let old = self.output.join(path);
        if holds(&old, content) && fs::hard_link(&old, &target).is_ok() {
            return Ok(());
        }
        fs::write(&target, content).map_err(|e| Error::io(&target, e))
    }
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

    #[test]
    fn a_committed_build_replaces_the_output_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("stale.html"), "old").unwrap();
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
        fs::create_dir_all(output.join("a")).unwrap();
        fs::write(output.join("a/same.html"), "same").unwrap();
        fs::write(output.join("a/edited.html"), "before").unwrap();
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
        fs::create_dir_all(&output).unwrap();
        fs::write(dir.path().join("elsewhere.html"), "page").unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere.html"), output.join("a.html"))
            .unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.put("a.html", b"page").unwrap();
        staging.commit().unwrap();
        let written = fs::symlink_metadata(output.join("a.html")).unwrap();
        assert!(written.is_file());
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("index.html"), "old").unwrap();
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
}
