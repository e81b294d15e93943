//! The build cache: a second build with nothing changed does nothing, and any change to the
//! sources, the options or the output makes the build run again.

use std::fs;
use std::time::SystemTime;

use verbatim::pipeline::{self, BuildOptions};
use verbatim::render::Quiet;

use crate::util::{episode, Site};

const SHOW: &str = "---\ntitle: A show\n---\nAbout it.\n";

fn site() -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW);
    site.write(
        "content/show/one.md",
        episode("title: One", "**Ann:** Hello there.\n"),
    );
    // An episode with a warning: a skipped build must still show it.
    site.write(
        "content/show/two.md",
        episode(
            "title: Two\naudio: https://cdn.example/two.mp3",
            "**Bo:** Hi.\n",
        ),
    );
    site
}

fn modified(site: &Site, path: &str) -> SystemTime {
    fs::metadata(site.root().join("public").join(path))
        .and_then(|m| m.modified())
        .unwrap()
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing_and_reports_the_same() {
    let site = site();
    let first = site.built();
    assert!(site.root().join(".verbatim-cache/build.json").exists());
    let files = site.output_files();
    let stamp = modified(&site, "show/one/index.html");

    let second = site.built();
    assert_eq!(site.output_files(), files);
    assert_eq!(
        modified(&site, "show/one/index.html"),
        stamp,
        "a page was rewritten"
    );
    assert_eq!(
        (second.episodes, second.speakers, second.shows, second.pages),
        (first.episodes, first.speakers, first.shows, first.pages)
    );
    assert!(!first.warnings.is_empty());
    assert_eq!(second.warnings, first.warnings);
}

#[test]
fn any_change_to_sources_options_or_output_builds_again() {
    let site = site();
    site.built();

    site.write(
        "content/show/one.md",
        episode("title: One, edited", "**Ann:** Hello there.\n"),
    );
    site.built();
    assert!(site.page("show/one/index.html").contains("One, edited"));

    site.write(
        "templates/speakers.html",
        "<p>speakers, from the site</p>\n",
    );
    site.built();
    assert!(site
        .page("speakers/index.html")
        .contains("speakers, from the site"));

    fs::remove_file(site.root().join("public/show/one/index.html")).unwrap();
    site.built();
    assert!(
        site.exists("show/one/index.html"),
        "a deleted page came back"
    );

    let elsewhere = BuildOptions {
        base_url: Some("https://elsewhere.example/".to_string()),
        ..site.options()
    };
    pipeline::build(&elsewhere, &Quiet).unwrap();
    assert!(site
        .page("sitemap.xml")
        .contains("https://elsewhere.example/"));
}

/// The cache once keyed a build on a printout of all its options (`format!("{options:?}")`),
/// so `--output public`, the folder a build writes anyway, counted as another option and
/// built everything again; and any option added later would have changed the key or not by
/// chance. The key now holds only what changes the output.
#[test]
fn naming_the_default_output_is_the_same_build() {
    let site = site();
    site.built();
    let record = site.root().join(".verbatim-cache/build.json");
    let recorded = || fs::metadata(&record).and_then(|m| m.modified()).unwrap();
    let first = recorded();
    let named = BuildOptions {
        output: Some(site.root().join("public")),
        ..site.options()
    };
    pipeline::build(&named, &Quiet).unwrap();
    assert_eq!(recorded(), first, "the build ran again");

    let drafts = BuildOptions {
        drafts: true,
        ..site.options()
    };
    pipeline::build(&drafts, &Quiet).unwrap();
    assert_ne!(recorded(), first, "--drafts must build again");
}

#[test]
fn the_cache_is_safe_to_delete_and_can_be_left_out() {
    let site = site();
    let first = site.built();
    let one = site.page("show/one/index.html");
    fs::remove_dir_all(site.root().join(".verbatim-cache")).unwrap();
    let again = site.built();
    assert_eq!(again.pages, first.pages);
    assert_eq!(site.page("show/one/index.html"), one);

    let uncached = Site::new();
    uncached.write("content/show/_index.md", SHOW);
    let options = BuildOptions {
        cache: false,
        ..uncached.options()
    };
    pipeline::build(&options, &Quiet).unwrap();
    assert!(!uncached.root().join(".verbatim-cache").exists());
}

/// Damaged cache entries once built every episode as "No transcript yet." with exit 0: they
/// decoded as transcripts without a turn. Each entry, and the record of the last build, is
/// damaged here in a different way; the next build reads every transcript again.
#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let site = site();
    site.built();
    let one = site.page("show/one/index.html");
    let cache = site.root().join(".verbatim-cache");
    let mut entries: Vec<_> = fs::read_dir(cache.join("parsed"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    assert_eq!(entries.len(), 2);
    let whole = fs::read(&entries[1]).unwrap();
    fs::write(&entries[0], vec![0u8; 64]).unwrap();
    fs::write(&entries[1], &whole[..whole.len() - 5]).unwrap();
    fs::write(cache.join("build.json"), "{\"inputs\": \"").unwrap();

    site.built();
    assert_eq!(site.page("show/one/index.html"), one);
    assert!(site.page("show/two/index.html").contains("Hi."));
    assert!(!one.contains("No transcript yet"));
}

/// A `transcript:` that is a link was left out of the fingerprint of the last build: pointing
/// the link at another file changed nothing the cache looked at, and the old transcript was
/// served again.
#[cfg(unix)]
#[test]
fn a_linked_transcript_pointed_elsewhere_builds_again() {
    let site = site();
    let vtt = |text: &str| format!("WEBVTT\n\n00:01.000 --> 00:02.000\nAnn: {text}\n");
    site.write("content/show/raw/first.vtt", vtt("The first take."));
    site.write("content/show/raw/second.vtt", vtt("The second take."));
    site.write(
        "content/show/linked.md",
        episode("title: Linked\ntranscript: linked.vtt", ""),
    );
    let link = site.root().join("content/show/linked.vtt");
    std::os::unix::fs::symlink("raw/first.vtt", &link).unwrap();
    site.built();
    assert!(site
        .page("show/linked/index.html")
        .contains("The first take."));

    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("raw/second.vtt", &link).unwrap();
    site.built();
    assert!(site
        .page("show/linked/index.html")
        .contains("The second take."));
}
