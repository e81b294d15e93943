//! Where a build may write, and what it may delete there.
//!
//! A build replaces its output folder whole, so a wrong `--output` could otherwise delete a
//! site's own sources. Before anything is written, the output is checked: it may not be, hold,
//! or sit inside anything the build reads (`site.toml`, `content/`, `static/`, `themes/`,
//! `templates/`, the build cache, the site folder itself), and if it already exists it must be
//! empty or a folder an earlier build wrote. Every build leaves a list of the files it wrote in
//! the output ([`MANIFEST`]); a later build deletes only what that list names, and refuses to
//! start while the folder holds anything else.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::layout;

/// The list of files a build wrote, kept in the output itself: it goes wherever the output goes,
/// and only what it lists is ever deleted.
pub const MANIFEST: &str = ".verbatim-output";

/// The manifest's first line: says what the file is to anyone who opens it, and tells a
/// manifest from a file that merely has the same name.
const MANIFEST_HEADER: &str =
    "# Written by Verbatim: the files of this build, one a line. A later build deletes only these.";

/// Files named when a folder holds files Verbatim did not write; the rest are counted.
const FOREIGN_SHOWN: usize = 5;

/// What a site's build reads, besides the site folder itself: the output may be none of these,
/// inside none of them, and hold none of them.
const SOURCES: [&str; 6] = [
    layout::CONFIG_FILE,
    layout::CONTENT_DIR,
    layout::STATIC_DIR,
    layout::THEMES_DIR,
    layout::TEMPLATES_DIR,
    layout::CACHE_DIR,
];

/// The output folder a build of the site in `root` may write to `requested`, with symbolic links
/// resolved (a link to a folder builds into that folder and stays a link), or an error that says
/// why not. What the folder holds is checked apart, by [`refuse_foreign`], before anything is
/// written.
pub fn checked(root: &Path, requested: &Path) -> Result<PathBuf> {
    let output = resolved(requested)?;
    refuse_sources(root, requested, &output)?;
    match fs::symlink_metadata(&output) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(output),
        Err(e) => Err(Error::io(&output, e)),
        Ok(meta) if !meta.is_dir() => Err(Error::Output(format!(
            "{}: the output must be a folder, and this is a file; choose another --output",
            requested.display()
        ))),
        Ok(_) => Ok(output),
    }
}

/// `path` made absolute, with `..` and symbolic links resolved as far as the path exists.
fn resolved(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut existing = PathBuf::new();
    let mut rest = Vec::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir if rest.is_empty() => {
                existing = existing.canonicalize().unwrap_or(existing);
                existing.pop();
            }
            Component::ParentDir => {
                rest.pop();
            }
            Component::CurDir => {}
            other if rest.is_empty() && existing.join(other).exists() => existing.push(other),
            other => rest.push(other.as_os_str().to_owned()),
        }
    }
    let mut full = existing.canonicalize().unwrap_or(existing);
    full.extend(rest);
    Ok(full)
}

/// An error when `output` is, holds or is inside the site folder's sources.
fn refuse_sources(root: &Path, requested: &Path, output: &Path) -> Result<()> {
    let root = resolved(root)?;
    if root.starts_with(output) {
        return Err(Error::Output(format!(
            "{}: the output would replace the site folder {}, sources and all; choose a folder of its own, such as {}",
            requested.display(),
            root.display(),
            root.join("public").display()
        )));
    }
    for name in SOURCES {
        let source = resolved(&root.join(name))?;
        if output.starts_with(&source) || source.starts_with(output) {
            return Err(Error::Output(format!(
                "{}: the output would overwrite the site's {}, which the build reads; choose a folder of its own, such as {}",
                requested.display(),
                shown(name),
                root.join("public").display()
            )));
        }
    }
    Ok(())
}

/// A source as the messages name it: a folder with its slash, `content/`.
fn shown(name: &str) -> String {
    match name == layout::CONFIG_FILE {
        true => name.to_string(),
        false => format!("{name}/"),
    }
}

/// An error when the folder `output`, if it exists, holds anything the last build did not
/// write. Apart from [`checked`] because it reads the whole folder, which a build with nothing
/// to do need not: its output is still exactly what the last build wrote.
pub fn refuse_foreign(requested: &Path, output: &Path) -> Result<()> {
    if !output.is_dir() {
        return Ok(());
    }
    let written = manifest(output)?;
    let is_empty = fs::read_dir(output)
        .map_err(|e| Error::io(output, e))?
        .next()
        .is_none();
    match written {
        None if is_empty => Ok(()),
        None => Err(Error::Output(format!(
            "{}: this folder holds files, and no build of Verbatim wrote it ({MANIFEST} is missing); a build replaces its output whole, so it will not start here. Empty it, or choose another --output",
            requested.display()
        ))),
        Some(written) => {
            let foreign = foreign_files(output, &written)?;
            match foreign.is_empty() {
                true => Ok(()),
                false => Err(Error::Output(foreign_message(requested, &foreign))),
            }
        }
    }
}

fn foreign_message(requested: &Path, foreign: &[String]) -> String {
    let mut shown: Vec<&str> = foreign
        .iter()
        .take(FOREIGN_SHOWN)
        .map(String::as_str)
        .collect();
    let more = foreign.len().saturating_sub(FOREIGN_SHOWN);
    let more = match more {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    shown.sort_unstable();
    format!(
        "{}: {}{more} {} not written by the last build, and a build replaces this folder whole; put {} in static/ to publish {} with the site, or move {} out",
        requested.display(),
        shown.join(", "),
        if foreign.len() == 1 { "was" } else { "were" },
        if foreign.len() == 1 { "it" } else { "them" },
        if foreign.len() == 1 { "it" } else { "them" },
        if foreign.len() == 1 { "it" } else { "them" },
    )
}

/// The files a build recorded in the manifest of `folder`; `None` when it has none.
pub fn manifest(folder: &Path) -> Result<Option<HashSet<String>>> {
    let path = folder.join(MANIFEST);
    let mut text = String::new();
    match fs::File::open(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
        Ok(mut file) => {
            if !file.metadata().is_ok_and(|m| m.is_file()) {
                return Ok(None);
            }
            file.read_to_string(&mut text)
                .map_err(|e| Error::io(&path, e))?;
        }
    }
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return Ok(None);
    }
    Ok(Some(lines.map(str::to_string).collect()))
}

/// The text of a manifest listing `files`.
pub fn manifest_text<'a>(files: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    text
}

/// Files and links under `folder` (relative, `/`-separated) that `written` does not name, the
/// manifest aside. A folder is foreign only when nothing written lies below it.
pub fn foreign_files(folder: &Path, written: &HashSet<String>) -> Result<Vec<String>> {
    let folders_written: HashSet<&str> = written
        .iter()
        .flat_map(|file| file.match_indices('/').map(|(at, _)| &file[..at]))
        .collect();
    let mut foreign = Vec::new();
    let walk = walkdir::WalkDir::new(folder)
        .follow_root_links(false)
        .min_depth(1);
    for entry in walk {
        let entry = entry.map_err(|e| Error::io(folder, std::io::Error::other(e)))?;
        let relative = relative_name(folder, entry.path());
        let known = match entry.file_type().is_dir() {
            true => folders_written.contains(relative.as_str()),
            false => written.contains(&relative) || relative == MANIFEST,
        };
        if !known {
            foreign.push(relative);
        }
    }
    Ok(foreign)
}

/// `path` relative to `folder`, with `/` separators.
pub fn relative_name(folder: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(folder).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        for folder in ["content/show", "static", "themes/default", "templates"] {
            fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        fs::write(dir.path().join("content/show/a.md"), "---\ntitle: A\n---\n").unwrap();
        dir
    }

    /// Both checks a build makes before it writes.
    fn writable(root: &Path, output: &Path) -> Result<PathBuf> {
        let resolved = checked(root, output)?;
        refuse_foreign(output, &resolved)?;
        Ok(resolved)
    }

    fn refused(root: &Path, output: &Path) -> String {
        match writable(root, output) {
            Err(Error::Output(message)) => message,
            other => panic!("{} was not refused: {other:?}", output.display()),
        }
    }

    #[test]
    fn the_sources_and_the_site_folder_are_never_an_output() {
        let dir = site();
        let root = dir.path();
        for output in [
            root.to_path_buf(),
            root.join("."),
            root.join("content"),
            root.join("content/show"),
            root.join("content/new-folder"),
            root.join("static"),
            root.join("themes"),
            root.join("themes/default/static"),
            root.join("templates"),
            root.join("site.toml"),
            root.join(".verbatim-cache"),
            root.join("public/../content"),
            root.parent().unwrap().to_path_buf(),
        ] {
            let message = refused(root, &output);
            assert!(message.contains("choose"), "{message}");
        }
        assert!(checked(root, &root.join("public")).is_ok());
        assert!(checked(root, &root.join("content/../public")).is_ok());
        assert!(checked(root, &root.join("out/site")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_the_sources_is_no_way_round() {
        let dir = site();
        let root = dir.path();
        std::os::unix::fs::symlink(root.join("content"), root.join("public")).unwrap();
        refused(root, &root.join("public"));
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join("content-link")).unwrap();
        fs::remove_dir_all(root.join("content")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join("content")).unwrap();
        refused(root, &elsewhere.path().join("public"));
    }

    #[test]
    fn a_folder_no_build_wrote_is_refused_unless_empty() {
        let dir = site();
        let root = dir.path();
        let output = root.join("public");
        fs::create_dir_all(&output).unwrap();
        assert!(writable(root, &output).is_ok(), "an empty folder is fine");
        fs::write(output.join("notes.txt"), "mine").unwrap();
        let message = refused(root, &output);
        assert!(message.contains(MANIFEST), "{message}");
    }

    #[test]
    fn a_file_the_last_build_did_not_write_is_named() {
        let dir = site();
        let root = dir.path();
        let output = root.join("public");
        fs::create_dir_all(output.join("show/ep")).unwrap();
        fs::write(output.join("show/ep/index.html"), "page").unwrap();
        let listed = ["show/ep/index.html"];
        fs::write(output.join(MANIFEST), manifest_text(listed.into_iter())).unwrap();
        assert!(writable(root, &output).is_ok());
        fs::write(output.join("CNAME"), "archive.example.org").unwrap();
        fs::create_dir_all(output.join("show/mine")).unwrap();
        let message = refused(root, &output);
        assert!(message.contains("CNAME, show/mine"), "{message}");
    }

    #[test]
    fn a_file_is_not_an_output_folder() {
        let dir = site();
        let output = dir.path().join("public");
        fs::write(&output, "x").unwrap();
        assert!(refused(dir.path(), &output).contains("is a file"));
    }
}
