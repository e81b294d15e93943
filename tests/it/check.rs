//! `verbatim check`: one small site per kind of problem, each report pinned as a snapshot.

use std::process::Command;

use crate::util::{episode, Site};

const SHOW: &str = "---\ntitle: The Show\n---\n";

/// The report as the command prints it, and its exit code.
fn check(site: &Site, strict: bool) -> (String, i32) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verbatim"));
    command.arg("--root").arg(site.root()).arg("check");
    if strict {
        command.arg("--strict");
    }
    let output = command.output().expect("run verbatim check");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (text, output.status.code().unwrap_or(-1))
}

fn site_with(files: &[(&str, String)]) -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW);
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

#[test]
fn a_clean_site_passes_even_when_strict() {
    let site = site_with(&[(
        "content/show/a.md",
        episode("title: A\nspeakers: [Ann Lee]", "**Ann Lee:** Hi.\n"),
    )]);
    assert_eq!(
        check(&site, true),
        ("0 errors, 0 warnings\n".to_string(), 0)
    );
}

#[test]
fn front_matter_errors_and_unknown_fields() {
    let site = site_with(&[
        ("content/show/a.md", episode("title: A\ndate: someday", "x")),
        (
            "content/show/b.md",
            episode("title: B\nspeker: [Ann]\ntgas: [x]", "x"),
        ),
        (
            "content/show/c.md",
            "---\ntitle: [unclosed\n---\n".to_string(),
        ),
    ]);
    let (report, code) = check(&site, false);
    assert_eq!(code, 1, "errors fail the check");
    insta::assert_snapshot!(report);
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let site = site_with(&[("content/show/b.md", episode("title: B\nspeker: [Ann]", "x"))]);
    assert_eq!(check(&site, false).1, 0);
    assert_eq!(check(&site, true).1, 1);
}

#[test]
fn labels_that_name_no_declared_speaker() {
    let site = site_with(&[(
        "content/show/a.md",
        episode(
            "title: A\nspeakers: [Ann Lee]",
            "**Ann Lee:** Hi.\n\n**Bob:** Hello.\n\n**Bob:** Again.\n\n**Speaker 1:** Anonymous voices are fine.\n\n**Break:**\n",
        ),
    )]);
    insta::assert_snapshot!(check(&site, false).0);
}

#[test]
fn likely_duplicate_speakers() {
    let site = site_with(&[
        (
            "content/show/a.md",
            episode(
                "title: A\nspeakers: [Justin Garrison, Michael Folkson, MF, Horse JS]",
                "**Justin Garrison:** One.\n\n**Justin Garrison:** Two.\n\n**Michael Folkson:** Hi.\n\n**MF:** Me again.\n\n**Horse JS:** Neigh.\n",
            ),
        ),
        (
            "content/show/b.md",
            episode(
                "title: B\nspeakers: [Justin Garisson, Divya, Divya Sasidharan, HorseJS, Aaron van Wirdum, Aaron van Wirdum (AvW)]",
                "**Justin Garisson:** Three.\n\n**Divya:** Hi.\n\n**Divya Sasidharan:** Hello.\n\n**HorseJS:** Neigh.\n\n**Aaron van Wirdum:** Yes.\n\n**Aaron van Wirdum (AvW):** Yes.\n",
            ),
        ),
        // Within one episode `MF`, `Divya` and `… (AvW)` now resolve to the person the
        // episode names; across episodes nothing is merged, so the pair is still reported.
        (
            "content/show/c.md",
            episode("title: C\nspeakers: [Divya]", "**Divya:** Hey.\n"),
        ),
    ]);
    insta::assert_snapshot!(check(&site, false).0);
}

#[test]
fn declared_speakers_who_never_speak() {
    let site = site_with(&[(
        "content/show/a.md",
        episode(
            "title: A\nspeakers:\n  - Ann Lee\n  - Quiet Guest",
            "**Ann Lee:** Hi.\n",
        ),
    )]);
    insta::assert_snapshot!(check(&site, false).0);
}

#[test]
fn timestamps_backwards_and_past_the_duration() {
    let site = site_with(&[(
        "content/show/a.md",
        episode(
            "title: A\nspeakers: [Ann]\nduration: \"10:00\"",
            "**Ann:** [05:00] One.\n\n**Ann:** [04:00] Two.\n\n**Ann:** [03:00] Three.\n\n## [12:00] Late chapter\n",
        ),
    )]);
    insta::assert_snapshot!(check(&site, false).0);
}

#[test]
fn duplicate_slugs_and_a_show_folder_without_index() {
    let site = site_with(&[
        ("content/show/a.md", episode("title: A", "x")),
        ("content/show/2024/a.md", episode("title: A again", "x")),
        ("content/loose/ep.md", episode("title: Loose", "x")),
    ]);
    let (report, code) = check(&site, false);
    assert_eq!(code, 1);
    insta::assert_snapshot!(report);
}

#[test]
fn broken_internal_links_and_anchors() {
    let site = site_with(&[
        (
            "content/show/a.md",
            episode(
                "title: A\nspeakers: [Ann]",
                "**Ann:** [00:01:00] See [b](../b/#t-00-02-00), [a missing turn](../b/#t-09-09-09), [nowhere](../c/), [a speaker](../../speakers/ann/), [out](https://example.org/x) and <ann@example.org>.\n",
            ),
        ),
        (
            "content/show/b.md",
            episode("title: B\nspeakers: [Ann]", "**Ann:** [00:02:00] Back to [a](../a/#t-00-01-00).\n"),
        ),
    ]);
    insta::assert_snapshot!(check(&site, false).0);
}

/// `[99:99:99]` before a label once vanished without a word: the turn lost it and had no time,
/// and neither `check` nor `build` said so. Every timestamp that is no time is now a warning
/// at its line and column, its text kept in the turn or chapter as written.
#[test]
fn timestamps_that_are_no_time_are_warnings_where_they_stand() {
    let site = site_with(&[(
        "content/show/a.md",
        episode(
            "title: A\nspeakers: [Ann, Bo]",
            "**Ann:** Hello.\n\n[99:99:99] **Bo:** Words kept.\n\n**Ann:** \\[12:75\\] More.\n\n## Part two [99:99]\n",
        ),
    )]);
    let (report, code) = check(&site, false);
    assert_eq!(code, 0, "{report}");
    let expected = [
        "content/show/a.md:7:1: warning: `[99:99:99]` is not a timestamp: expected [HH:MM:SS] or [MM:SS]",
        "content/show/a.md:9:10: warning: `\\[12:75\\]` is not a timestamp",
        "content/show/a.md:11:13: warning: `[99:99]` is not a timestamp",
    ];
    for line in expected {
        assert!(report.contains(line), "{line}\n{report}");
    }
    let built = site.built();
    assert_eq!(
        built
            .warnings
            .iter()
            .filter(|w| w.kind == "timestamp")
            .count(),
        3
    );
    let page = site.page("show/a/index.html");
    assert!(page.contains("[99:99:99] Words kept."), "{page}");
    assert!(page.contains("[12:75] More."), "{page}");
    assert!(page.contains("Part two [99:99]"), "{page}");
}

// Issue 23: `check` kept its own list of what the site has, which drifted from what `build`
// writes: links to the search page, the Atom feed, feeds and transcript files were "broken".
// It now asks the page graph `build` renders from.
#[test]
fn links_to_every_file_the_build_writes_are_not_broken() {
    let site = site_with(&[(
        "content/show/a.md",
        episode(
            "title: A\nspeakers: [Ann Lee]\naudio: https://cdn.example/a.mp3",
            "**Ann Lee:** [00:00:05] [Search](/search/), [search her](/search/?speaker=Ann), \
             [news](/atom.xml), [the feed](../feed.xml), [hers](/speakers/ann-lee/atom.xml), \
             [captions](transcript.vtt), [map](/sitemap.xml), [robots](/robots.txt), \
             [lost](/404.html), [code](/syntax.css), [index](/pagefind/pagefind.js), \
             [nowhere](/nowhere/).\n",
        ),
    )]);
    let (report, _) = check(&site, false);
    let broken: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("broken link"))
        .collect();
    assert_eq!(broken.len(), 1, "{report}");
    assert!(broken[0].contains("`/nowhere/`"), "{report}");
}

/// The broken links `check` reports on a site whose `content/` is a real corpus.
fn broken_links_in_corpus(name: &str) -> Option<Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing",
            dir.display()
        );
        return None;
    }
    let site = Site::new();
    std::os::unix::fs::symlink(dir.join("content"), site.root().join("content")).unwrap();
    Some(broken_links(&site))
}

fn broken_links(site: &Site) -> Vec<String> {
    let found = verbatim::pipeline::check(site.root()).expect("check");
    found
        .iter()
        .filter(|d| d.kind == "broken-link")
        .map(|d| format!("{}:{}", d.path.display(), d.line.unwrap_or(0)))
        .collect()
}

// What a crawl of the built sites finds broken (tests/web/known-broken.txt), and nothing more:
// `check` calls no link broken that the built site has.
#[test]
fn check_finds_the_broken_links_a_crawl_finds_and_no_others() {
    assert_eq!(broken_links(&Site::example()), Vec::<String>::new());
    if let Some(found) = broken_links_in_corpus("changelog") {
        assert_eq!(found, ["content/gotime/go-time-60.md:332"]);
    }
    if let Some(found) = broken_links_in_corpus("bitcointranscripts") {
        assert_eq!(found, Vec::<String>::new());
    }
}
