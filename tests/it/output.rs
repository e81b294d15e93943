//! The output folder: where a build may write, and what it may delete there. A build replaces
//! its output whole, so each of these once cost a user their files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::util::{episode, Site};

const SHOW: &str = "---\ntitle: A show\n---\nAbout it.\n";

fn site() -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW);
    site.write(
        "content/show/one.md",
        episode("title: One", "**Ann:** Hi.\n"),
    );
    site.write("static/robots-extra.txt", "mine");
    site.write("templates/.keep", "");
    site.write("themes/.keep", "");
    site
}

/// Runs `verbatim` in the site folder, as a user would: `--output` is relative to it then.
fn verbatim(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .current_dir(root)
        .args(args)
        .output()
        .expect("run verbatim")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` with its content, links as where they point: a picture of a tree to
/// compare before and after.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let what = match e.file_type().is_symlink() {
                true => format!("-> {}", fs::read_link(e.path()).unwrap().display()),
                false => String::from_utf8_lossy(&fs::read(e.path()).unwrap()).into_owned(),
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), what)
        })
        .collect()
}

/// `--output content` replaced `content/` with the site, every episode gone, and exited 0;
/// `--output .`, `static`, `site.toml` did the same to the rest of the sources.
#[test]
fn an_output_over_the_sites_sources_is_refused_and_nothing_is_touched() {
    let site = site();
    let before = tree(site.root());
    for output in [
        "content",
        ".",
        "static",
        "themes",
        "templates",
        "site.toml",
        "content/show",
        "content/new",
        "public/../content",
        "..",
        ".verbatim-cache",
    ] {
        let run = verbatim(site.root(), &["build", "--output", output]);
        assert!(!run.status.success(), "--output {output} was accepted");
        let message = stderr(&run);
        assert!(message.contains("choose"), "--output {output}: {message}");
        assert_eq!(
            tree(site.root()),
            before,
            "--output {output} changed the site"
        );
    }
    let run = verbatim(site.root(), &["build", "--output", "public"]);
    assert!(run.status.success(), "{}", stderr(&run));
}

/// A folder that no build wrote is someone's: a build will not replace it, unless it is empty.
#[test]
fn a_folder_no_build_wrote_is_left_alone() {
    let site = site();
    site.write("public/notes.txt", "my notes");
    let run = verbatim(site.root(), &["build"]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains(".verbatim-output"),
        "{}",
        stderr(&run)
    );
    assert_eq!(site.page("notes.txt"), "my notes");
    fs::remove_file(site.root().join("public/notes.txt")).unwrap();
    site.built();
    assert!(site.exists("show/one/index.html"));
}

/// A file put into the output by hand (a `CNAME`) was deleted by the next build.
#[test]
fn a_file_put_in_the_output_by_hand_stops_the_next_build() {
    let site = site();
    site.built();
    site.write("public/CNAME", "archive.example.org");
    let before = site.output_files();
    let error = site.build().expect_err("the build should stop").to_string();
    assert!(
        error.contains("CNAME") && error.contains("static/"),
        "{error}"
    );
    assert_eq!(site.output_files(), before);
    assert_eq!(site.page("CNAME"), "archive.example.org");
    // The way the message gives: publish it from static/.
    fs::rename(
        site.root().join("public/CNAME"),
        site.root().join("static/CNAME"),
    )
    .unwrap();
    site.built();
    assert_eq!(site.page("CNAME"), "archive.example.org");
}

/// `public/` as a link to a folder: removing the old output followed the link and deleted files
/// in its target. The build now replaces the folder the link points to, keeps the link, and
/// deletes nothing it did not write.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_builds_into_its_target_and_keeps_the_link() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let served = elsewhere.path().join("www");
    fs::create_dir_all(&served).unwrap();
    fs::write(elsewhere.path().join("beside.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(&served, site.root().join("public")).unwrap();
    site.built();
    site.write(
        "content/show/two.md",
        episode("title: Two", "**Bo:** Hello.\n"),
    );
    site.built();
    let link = fs::symlink_metadata(site.root().join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(served.join("show/two/index.html").exists());
    assert_eq!(
        fs::read_to_string(elsewhere.path().join("beside.txt")).unwrap(),
        "keep"
    );
    let names: Vec<_> = fs::read_dir(elsewhere.path()).unwrap().flatten().collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// The same link, to a folder of someone else's files: refused, and every file stays.
#[cfg(unix)]
#[test]
fn a_link_to_a_folder_of_other_files_is_refused() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    for n in 0..500 {
        fs::write(elsewhere.path().join(format!("{n}.txt")), "data").unwrap();
    }
    let before = tree(elsewhere.path());
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("public")).unwrap();
    let error = site.build().expect_err("the build should stop").to_string();
    assert!(error.contains(".verbatim-output"), "{error}");
    assert_eq!(tree(elsewhere.path()), before);
}

/// `content/` missing, or a file, built an empty site over a good one and exited 0.
#[test]
fn a_site_without_its_content_folder_does_not_build() {
    let site = site();
    site.built();
    let before = site.output_files();
    fs::rename(site.root().join("content"), site.root().join("moved")).unwrap();
    let error = site.build().expect_err("no content/").to_string();
    assert!(
        error.contains("content") && error.contains("init"),
        "{error}"
    );
    site.write("content", "not a folder");
    let error = site.build().expect_err("content/ is a file").to_string();
    assert!(error.contains("not a folder"), "{error}");
    assert_eq!(site.output_files(), before);
}

/// A build killed while it rendered (Ctrl-C, `kill`) left its `.public.staging-PID` folder
/// behind for good. The next build removes it.
#[cfg(unix)]
#[test]
fn what_a_killed_build_left_behind_is_removed_by_the_next() {
    let site = site();
    let turns: String = (0..400)
        .map(|n| format!("**Ann:** Turn {n} of a long talk about rivers and bridges.\n\n"))
        .collect();
    for n in 0..200 {
        site.write(
            &format!("content/show/ep-{n}.md"),
            episode(&format!("title: Episode {n}"), &turns),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--root")
        .arg(site.root())
        .args(["build", "--no-cache"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = format!(".public.staging-{}", child.id());
    let started = Instant::now();
    while !site.root().join(&staging).exists() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        site.root().join(&staging).exists(),
        "the build finished before it could be killed"
    );
    site.built();
    let left: Vec<String> = site
        .top_level()
        .into_iter()
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
