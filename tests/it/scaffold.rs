//! `verbatim init` and `verbatim new`: starting files that build, and never overwrite.

use std::process::Command;

use crate::util::Site;

fn verbatim(args: &[&str]) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("archive");
    let site = site.to_str().unwrap();
    let (out, _, code) = verbatim(&["init", site]);
    assert_eq!(code, 0);
    assert!(out.contains("site.toml"));
    let (out, err, code) = verbatim(&["--root", site, "build"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Built 1 episodes"), "{out}");
    assert!(dir
        .path()
        .join("archive/public/my-show/welcome/index.html")
        .is_file());
    assert!(
        dir.path().join("archive/public/style.css").is_file(),
        "the built-in theme"
    );
    let (out, _, code) = verbatim(&["--root", site, "check", "--strict"]);
    assert_eq!((out.as_str(), code), ("0 errors, 0 warnings\n", 0));
}

#[test]
fn init_refuses_a_folder_with_anything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let (_, err, code) = verbatim(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn new_fills_in_number_date_and_hosts_and_never_overwrites() {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: Show\n---\n");
    site.write(
        "content/show/ep-7.md",
        "---\ntitle: Seven\ndate: 2024-01-01\nepisode: 7\nspeakers:\n  - {name: Ann Lee, role: host}\n  - {name: Bo, role: guest}\n---\n**Ann Lee:** Hi.\n",
    );
    let root = site.root().to_str().unwrap();
    let (out, err, code) = verbatim(&["--root", root, "new", "The Eighth: a start"]);
    assert_eq!(code, 0, "{err}");
    let path = out.trim();
    assert!(
        path.ends_with("content/show/the-eighth-a-start.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("title: \"The Eighth: a start\""), "{text}");
    assert!(text.contains("episode: 8"), "{text}");
    assert!(text.contains("{name: \"Ann Lee\", role: host}"), "{text}");
    assert!(!text.contains("Bo"), "guests are not carried over: {text}");
    assert!(text.contains(&format!("date: {}", verbatim::scaffold::today().iso_day())));
    let (_, err, code) = verbatim(&["--root", root, "build", "--drafts"]);
    assert_eq!(code, 0, "the new episode builds: {err}");
    let edited = "---\ntitle: Mine now\n---\nEdited by hand.\n";
    std::fs::write(path, edited).unwrap();
    let (_, err, code) = verbatim(&["--root", root, "new", "The Eighth: a start"]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(path).unwrap(), edited);
}

#[test]
fn new_asks_which_show_when_there_are_several() {
    let site = Site::new();
    site.write("content/a/_index.md", "---\ntitle: A\n---\n");
    site.write("content/b/_index.md", "---\ntitle: B\n---\n");
    let root = site.root().to_str().unwrap();
    let (_, err, code) = verbatim(&["--root", root, "new", "Hello"]);
    assert_eq!(code, 1);
    assert!(err.contains("choose one with --show (a, b)"), "{err}");
    let (out, _, code) = verbatim(&["--root", root, "new", "Hello", "--show", "b"]);
    assert_eq!(code, 0);
    assert!(out.trim().ends_with("content/b/hello.md"));
}

/// `new` once wrote `content/show/hello.md` beside `content/show/2020/hello.md` with exit 0,
/// and the site then failed to build on the duplicate slug. A slug any episode of the show
/// has, by its file name in any subfolder or by its `slug:`, is refused, and nothing written.
#[test]
fn new_refuses_a_slug_an_episode_in_a_subfolder_or_a_slug_override_has() {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: Show\n---\n");
    site.write("content/show/2020/hello.md", "---\ntitle: Hello\n---\n");
    site.write(
        "content/show/2021/other.md",
        "---\ntitle: Other\nslug: greetings\n---\n",
    );
    let root = site.root().to_str().unwrap();
    for (title, existing) in [
        ("Hello", "content/show/2020/hello.md"),
        ("Greetings", "content/show/2021/other.md"),
    ] {
        let (out, err, code) = verbatim(&["--root", root, "new", title]);
        assert_eq!(code, 1, "{out}");
        assert!(
            err.contains("already has an episode with the slug"),
            "{err}"
        );
        assert!(err.contains(existing), "{err}");
    }
    assert!(!site.root().join("content/show/hello.md").exists());
    assert!(!site.root().join("content/show/greetings.md").exists());
    let (_, err, code) = verbatim(&["--root", root, "build"]);
    assert_eq!(code, 0, "{err}");
}
