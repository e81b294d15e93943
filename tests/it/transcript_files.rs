//! Which transcript files an episode gets (`[transcripts] formats` and `episodes`): the build
//! writes them, the episode page links them, the podcast feed names them, and `check` knows
//! them, all from one list, so that none of them points at a file that is not there.

use std::process::Command;

use crate::util::{episode, Site};

const TRANSCRIPT_FILES: [&str; 4] = [
    "transcript.vtt",
    "transcript.srt",
    "transcript.json",
    "transcript.txt",
];

/// A show with one timed episode in its feed (`heard`) and one timed episode without audio
/// (`unheard`), under the given `[transcripts]` settings.
fn site(settings: &str) -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        format!(
            "title = \"Test archive\"\nbase_url = \"https://test.example/\"\n\n[transcripts]\n{settings}"
        ),
    );
    site.write("content/talk/_index.md", "---\ntitle: Talk\n---\n");
    let body =
        "**Ann Host:** [00:00:05] Welcome to the show.\n\n**Bo Guest:** [00:01:00] Thanks.\n";
    site.write(
        "content/talk/heard.md",
        episode(
            "title: Heard\ndate: 2024-05-01\naudio: https://cdn.example/heard.mp3\nspeakers: [Ann Host, Bo Guest]",
            body,
        ),
    );
    site.write(
        "content/talk/unheard.md",
        episode(
            "title: Unheard\ndate: 2024-06-01\nspeakers: [Ann Host, Bo Guest]",
            body,
        ),
    );
    site
}

/// The transcript files in an episode's folder.
fn written(site: &Site, episode: &str) -> Vec<&'static str> {
    TRANSCRIPT_FILES
        .into_iter()
        .filter(|name| site.exists(&format!("talk/{episode}/{name}")))
        .collect()
}

/// The transcript files the episode's page offers for download.
fn linked(site: &Site, episode: &str) -> Vec<&'static str> {
    let page = site.page(&format!("talk/{episode}/index.html"));
    TRANSCRIPT_FILES
        .into_iter()
        .filter(|name| page.contains(&format!("talk/{episode}/{name}\"")))
        .collect()
}

/// The file names of the feed's `podcast:transcript` tags for `heard`, the one item.
fn in_feed(site: &Site) -> Vec<String> {
    let feed = rss::Channel::read_from(site.page("talk/feed.xml").as_bytes()).unwrap();
    let item = &feed.items[0];
    let tags = item
        .extensions
        .get("podcast")
        .and_then(|m| m.get("transcript"))
        .cloned()
        .unwrap_or_default();
    tags.iter()
        .map(|t| t.attrs["url"].rsplit('/').next().unwrap().to_string())
        .collect()
}

// Issue 25: every episode got four transcript files beside its page, most of a large archive's
// output and past the file limits of static hosts. By default only the episodes podcast apps
// find in a feed get them now, in the formats those apps read: WebVTT and JSON.
#[test]
fn by_default_episodes_in_a_feed_get_webvtt_and_json_and_the_rest_none() {
    let site = site("");
    site.built();
    assert_eq!(
        written(&site, "heard"),
        ["transcript.vtt", "transcript.json"]
    );
    assert_eq!(linked(&site, "heard"), written(&site, "heard"));
    assert_eq!(in_feed(&site), written(&site, "heard"));
    assert_eq!(written(&site, "unheard"), Vec::<&str>::new());
    assert_eq!(linked(&site, "unheard"), Vec::<&str>::new());
}

#[test]
fn formats_empty_writes_no_transcript_file_and_names_none() {
    let site = site("formats = []\nepisodes = \"all\"\n");
    site.built();
    assert_eq!(written(&site, "heard"), Vec::<&str>::new());
    assert_eq!(written(&site, "unheard"), Vec::<&str>::new());
    assert_eq!(linked(&site, "heard"), Vec::<&str>::new());
    assert_eq!(in_feed(&site), Vec::<String>::new());
    let page = site.page("talk/heard/index.html");
    assert!(!page.contains("class=\"formats\""), "no download links");
}

#[test]
fn every_format_for_every_episode_when_asked() {
    let site = site("formats = [\"txt\", \"srt\", \"vtt\", \"json\"]\nepisodes = \"all\"\n");
    site.built();
    for episode in ["heard", "unheard"] {
        assert_eq!(written(&site, episode), TRANSCRIPT_FILES, "{episode}");
        assert_eq!(linked(&site, episode), TRANSCRIPT_FILES, "{episode}");
    }
    assert_eq!(in_feed(&site), TRANSCRIPT_FILES);
}

#[test]
fn an_unknown_format_stops_the_build_at_its_line() {
    let site = site("formats = [\"vtt\", \"html\"]\n");
    let Err(verbatim::Error::Content(diagnostics)) = site.build() else {
        panic!("the build went through");
    };
    let d = &diagnostics[0];
    assert_eq!(d.path, std::path::Path::new("site.toml"));
    assert_eq!(d.line, Some(5), "{d}");
    assert!(d.message.contains("`html`"), "{d}");
    assert!(!site.exists("index.html"), "nothing written");
}

// `check` and `build` agree on which transcript files exist: a link to one the settings leave
// out is broken, a link to one they write is not.
#[test]
fn check_knows_the_transcript_files_the_build_writes() {
    let site = site("");
    site.write(
        "content/talk/links.md",
        episode(
            "title: Links\naudio: https://cdn.example/links.mp3\nspeakers: [Ann Host]",
            "**Ann Host:** [00:00:05] See [the captions](../heard/transcript.vtt), \
             [the text](../heard/transcript.txt) and [the SRT](../unheard/transcript.srt).\n",
        ),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--root")
        .arg(site.root())
        .arg("check")
        .output()
        .expect("run verbatim check");
    let report = String::from_utf8_lossy(&output.stdout);
    let broken: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("broken link"))
        .collect();
    assert_eq!(broken.len(), 2, "{report}");
    assert!(broken[0].contains("transcript.txt"), "{report}");
    assert!(broken[1].contains("transcript.srt"), "{report}");
    site.built();
    assert!(site.exists("talk/heard/transcript.vtt"));
    assert!(!site.exists("talk/heard/transcript.txt"));
    assert!(!site.exists("talk/unheard/transcript.srt"));
}
