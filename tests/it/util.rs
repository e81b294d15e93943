//! A throwaway site in a temporary folder: write files, build, read the output.

use std::fs;
use std::path::{Path, PathBuf};

use verbatim::pipeline::{self, BuildOptions, BuildReport};
use verbatim::render::Quiet;

pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with a minimal `site.toml`.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "site.toml",
            "title = \"Test archive\"\nbase_url = \"https://test.example/\"\n",
        );
        site
    }

    /// A copy of the example archive at the repository's root.
    pub fn example() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &site.root().join("content"));
        copy_dir(&repo.join("themes"), &site.root().join("themes"));
        fs::copy(repo.join("site.toml"), site.root().join("site.toml")).expect("copy site.toml");
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Site {
        let target = self.root().join(path);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::write(target, content).expect("write");
        self
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: None,
            base_url: None,
            drafts: false,
            cache: true,
        }
    }

    /// The options of a build that neither reads nor keeps the build cache: what `serve`'s
    /// session is compared with.
    pub fn options_without_cache(&self) -> BuildOptions {
        BuildOptions {
            cache: false,
            ..self.options()
        }
    }

    pub fn build(&self) -> Result<BuildReport, verbatim::Error> {
        pipeline::build(&self.options(), &Quiet)
    }

    /// Builds and panics with the errors if the build fails.
    pub fn built(&self) -> BuildReport {
        self.build()
            .unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    /// A file of the output, as text.
    pub fn page(&self, path: &str) -> String {
        let file = self.root().join("public").join(path);
        fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.root().join("public").join(path).exists()
    }

    /// Every file under `public/`, relative, sorted.
    pub fn output_files(&self) -> Vec<String> {
        let public = self.root().join("public");
        let mut files: Vec<String> = walkdir::WalkDir::new(&public)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&public)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }

    /// Names in the site folder, to see that no staging folder was left behind.
    pub fn top_level(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let relative = entry.path().strip_prefix(from).unwrap();
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An episode file with the given front matter lines and body.
pub fn episode(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

/// The episode files under `content`, in file-name order: every Markdown file but show files
/// and speaker profiles.
pub fn episode_files(content: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .filter(|p| !p.starts_with(content.join("speakers")))
        .collect()
}
