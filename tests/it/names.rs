//! Slugs, speaker names and the size of the output: what an attacker's content once broke.
//!
//! Every slug must be one safe path segment, two different names must never share a page, and
//! a long credit list must not be copied onto every page it touches.

use crate::util::{episode, Site};
use verbatim::error::Diagnostic;

const SHOW: &str = "---\ntitle: The Show\n---\nAbout it.\n";

fn site_with(name: &str, front: &str, body: &str) -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW);
    site.write(&format!("content/show/{name}.md"), episode(front, body));
    site
}

fn check(site: &Site) -> Vec<Diagnostic> {
    verbatim::pipeline::check(site.root()).expect("check runs")
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

/// `slug: ""` once gave the episode the empty slug, and its page overwrote its show's
/// `index.html`. A blank or unusable `slug:` is now an error at its line, in `check` too.
#[test]
fn a_blank_or_unusable_slug_is_an_error_and_the_show_page_survives() {
    for slug in ["\"\"", "\" \"", "\"..\"", "\"a/b\""] {
        let site = site_with("one", "title: One", "**Ann:** Hi.\n");
        site.built();
        let show_page = site.page("show/index.html");
        site.write(
            "content/show/two.md",
            episode(&format!("title: Two\nslug: {slug}"), "**Ann:** Hello.\n"),
        );
        let message = site
            .build()
            .expect_err("a bad slug fails the build")
            .to_string();
        assert!(
            message.contains("content/show/two.md:3: error")
                && message.contains("expected a slug such as `my-episode`"),
            "{slug}: {message}"
        );
        assert_eq!(site.page("show/index.html"), show_page, "{slug}");
        let reported = errors(&check(&site));
        assert_eq!(reported.len(), 1, "{slug}: {reported:?}");
        assert!(
            reported[0].contains("content/show/two.md:3"),
            "{reported:?}"
        );
    }
}

/// A speaker credited as `""` or as a non-breaking space once got the empty slug, and their
/// page replaced `/speakers/index.html`. Now a blank name is no one: a warning at its line.
#[test]
fn a_blank_speaker_name_is_no_one_and_the_speakers_index_survives() {
    let site = site_with(
        "one",
        "title: One\nspeakers:\n  - Ann Lee\n  - \"\"\n  - \"\\u00a0\"\n  - name: \"\\u2003\"\n    role: guest\nspeaker_map:\n  SPEAKER_01: \"\\u00a0\"",
        "**Ann Lee:** Hi.\n\n**SPEAKER_01:** Who am I?\n\n**\u{a0}:** Nobody.\n",
    );
    let report = site.built();
    let index = site.page("speakers/index.html");
    assert!(index.contains("Ann Lee"), "the speakers index was replaced");
    assert_eq!(
        site.output_files()
            .iter()
            .filter(|f| f.starts_with("speakers/") && f.ends_with("/index.html"))
            .count(),
        2,
        "only the index and Ann Lee: {:?}",
        site.output_files()
    );
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.starts_with(
                "content/show/one.md:3: warning: an entry of `speakers` is a blank name"
            ))
            .count(),
        3,
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w
                .starts_with("content/show/one.md:9: warning: `speaker_map` maps `SPEAKER_01`")),
        "{warnings:?}"
    );
    let page = site.page("show/one/index.html");
    assert!(
        page.contains("Who am I?") && page.contains("Nobody."),
        "turns are kept"
    );
}

/// A 300-byte speaker name or tag once became a 300-byte file name: the build failed with
/// "File name too long", naming no source file, while `check` said 0 errors.
#[test]
fn a_300_byte_speaker_name_and_tag_build_and_check_agrees() {
    let long = format!("{} Smith", "Bartholomew ".repeat(24));
    let other = format!("{} Jones", "Bartholomew ".repeat(24));
    assert!(long.len() >= 290);
    let site = site_with(
        "one",
        &format!("title: One\nspeakers: [\"{long}\", \"{other}\"]\ntags: [\"{long}\"]"),
        &format!("**{long}:** Hi.\n\n**{other}:** Hello.\n"),
    );
    assert_eq!(errors(&check(&site)), Vec::<String>::new());
    site.built();
    let files = site.output_files();
    let speaker_pages: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("speakers/bartholomew") && f.ends_with("index.html"))
        .collect();
    assert_eq!(
        speaker_pages.len(),
        2,
        "two long names that share a beginning stay apart"
    );
    for file in &files {
        for segment in file.split('/') {
            assert!(segment.len() <= 110, "{file}");
        }
    }
    assert!(files.iter().any(|f| f.starts_with("tags/bartholomew")));
}

/// `王伟` and `汪伟` both transliterate to `wang-wei`, and were once one speaker with one page.
#[test]
fn names_that_transliterate_alike_are_two_people() {
    let site = site_with(
        "one",
        "title: One\nspeakers: [王伟, 汪伟]",
        "**王伟:** Words of the first.\n\n**汪伟:** Words of the second.\n",
    );
    site.built();
    let pages: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("speakers/wang-wei") && f.ends_with("index.html"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    let first = pages
        .iter()
        .map(|p| site.page(p))
        .find(|p| p.contains("<title>王伟 "));
    let first = first.expect("a page for 王伟");
    assert!(first.contains("Words of the first") && !first.contains("Words of the second"));
}

/// A profile of `李明` at `speakers/li-ming.md` once also claimed `黎明` (the same
/// transliteration): 黎明's words were credited to 李明's profile.
#[test]
fn a_profile_claims_only_the_names_it_lists() {
    let site = site_with(
        "one",
        "title: One\nspeakers: [李明, 黎明]",
        "**李明:** I design type.\n\n**黎明:** I sing.\n",
    );
    site.write(
        "content/speakers/li-ming.md",
        "---\nname: 李明\naliases: [Li Ming]\ntitle: Type designer\n---\nBio.\n",
    );
    site.built();
    let profile = site.page("speakers/li-ming/index.html");
    assert!(profile.contains("I design type.") && !profile.contains("I sing."));
    let other: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("speakers/li-ming-") && f.ends_with("index.html"))
        .collect();
    assert_eq!(other.len(), 1, "黎明 has a page of their own");
    let page = site.page(&other[0]);
    assert!(page.contains("<title>黎明 ") && page.contains("I sing."));
    assert!(!page.contains("Type designer"));
}

/// Accents, case and spacing still merge.
#[test]
fn spellings_of_one_name_are_still_one_speaker() {
    let site = site_with(
        "one",
        "title: One\nspeakers: [José Núñez]",
        "**José Núñez:** One.\n\n**jose nunez:** Two.\n\n**JOSÉ  NÚÑEZ:** Three.\n",
    );
    site.built();
    let page = site.page("speakers/jose-nunez/index.html");
    assert!(page.contains("José Núñez"));
    assert!(!site
        .output_files()
        .iter()
        .any(|f| f.starts_with("speakers/jose-nunez-")));
}

/// An episode of n credited speakers once wrote every name on each of their pages and feeds:
/// 2,000 names made 598 MB. Each speaker now costs the same whatever the credit list: a page,
/// a feed and a line in the lists, a few kilobytes each, so 2,000 names must stay well under
/// 2,000 × 40 kB (about 80 MB), where n² output would be near 600 MB.
#[test]
fn a_credit_list_of_2000_names_grows_the_output_linearly() {
    const NAMES: usize = 2000;
    let names: Vec<String> = (0..NAMES).map(|n| format!("Guest Number{n:05}")).collect();
    let front = names
        .iter()
        .map(|n| format!("  - {n}\n"))
        .collect::<String>();
    let body: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("**{n}:** I said thing {i}.\n\n"))
        .collect();
    let site = site_with(
        "crowd",
        &format!("title: A crowd\nspeakers:\n{front}"),
        &body,
    );
    site.built();
    let bytes: u64 = site
        .output_files()
        .iter()
        .map(|f| std::fs::metadata(site.root().join("public").join(f)).map_or(0, |m| m.len()))
        .sum();
    assert!(
        bytes < (NAMES as u64) * 40_000,
        "{bytes} bytes for {NAMES} names"
    );
    let page = site.page("speakers/guest-number00007/index.html");
    assert!(page.contains("more"), "the co-speakers say how many more");
}
