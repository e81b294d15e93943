//! The episode page: chapter times, the video an episode links, and who else to hear.

use crate::util::{episode, Site};

fn show(site: &Site) {
    site.write(
        "content/show/_index.md",
        "---\ntitle: The Show\n---\nA show.\n",
    );
}

// Issue 24: a chapter heading without a timestamp showed an empty time in the chapter list and
// no timestamp link, even when the first turn under it was timed (634 chapters of the
// bitcointranscripts corpus). A chapter with nothing timed under it stays without a time.
#[test]
fn a_chapter_takes_the_time_of_its_first_timed_turn() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/chaptered.md",
        episode(
            "title: Chaptered",
            "## Opening\n\n**Ann:** Untimed.\n\n**Ann:** [00:01:05] Timed.\n\n## Untimed part\n\n**Ann:** Nothing here says when.\n",
        ),
    );
    site.built();
    let page = site.page("show/chaptered/index.html");
    assert!(
        page.contains(r##"<li><a href="#ch-opening" data-seconds="65.0"><span class="ts">01:05</span> <span class="toc-title">Opening</span></a></li>"##),
        "the chapter list gives the time:\n{page}"
    );
    assert!(
        page.contains(r##"<h2 class="chapter" id="ch-opening" data-seconds="65.0"><a class="ts" href="#ch-opening" data-seconds="65.0">01:05</a> Opening</h2>"##),
        "the heading gives it too:\n{page}"
    );
    assert!(
        page.contains(r#"<span class="ts"></span> <span class="toc-title">Untimed part</span>"#),
        "no time is made up:\n{page}"
    );
    assert!(page.contains(r#"<h2 class="chapter" id="ch-untimed-part">Untimed part</h2>"#));
}

const TIMED: &str = "## Opening\n\n**Ann:** [00:12:05.6] Hello.\n\n**Break:** [00:20:00]\n\n**Ann:** Untimed.\n";

// Issue 24: without audio, the timestamps of an episode whose `link` is a YouTube video led
// nowhere (most of bitcointranscripts). Each now opens the video at its time; the turn keeps
// its `id` and the timestamp its `data-seconds` for the page's script.
#[test]
fn without_audio_timestamps_open_the_linked_video_at_their_time() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/video.md",
        episode(
            "title: Video\nlink: https://youtu.be/I2ZmAPI3e_Q?si=share\nspeakers:\n  - Ann\n  - {name: Break, role: break}",
            TIMED,
        ),
    );
    site.built();
    let page = site.page("show/video/index.html");
    let at = |seconds: u32| format!("https://www.youtube.com/watch?v=I2ZmAPI3e_Q&amp;t={seconds}s");
    assert!(
        page.contains(r#"<section class="transcript wrap measure" aria-labelledby="transcript-title" data-video-id="I2ZmAPI3e_Q">"#),
        "the transcript names its video:\n{page}"
    );
    for (what, link) in [
        ("turn", format!(r#"<a class="ts" href="{}" data-seconds="725.6"><span class="visually-hidden">at </span>12:05</a>"#, at(725))),
        ("marker", format!(r#"<a class="ts" href="{}" data-seconds="1200.0">20:00</a>"#, at(1200))),
        ("chapter", format!(r#"<a class="ts" href="{}" data-seconds="725.6">12:05</a> Opening</h2>"#, at(725))),
    ] {
        assert!(page.contains(&link), "the {what}'s timestamp opens the video:\n{page}");
    }
    assert!(page.contains(r#"<article class="turn voice-1" id="t-00-12-05" data-seconds="725.6">"#));
    assert!(
        page.contains(r##"<li><a href="#ch-opening" data-seconds="725.6">"##),
        "the chapter list still leads to the chapter on the page"
    );
    assert!(
        page.contains(r##"<a class="ts permalink" href="#t-3""##),
        "an untimed turn keeps its own link"
    );
}

// A video link beside playable audio changes nothing: the timestamps seek the player. A link
// that only looks like YouTube's, or a refused audio URL's page, is no video either.
#[test]
fn timestamps_stay_on_the_page_with_audio_or_without_a_real_video() {
    let site = Site::new();
    show(&site);
    for (slug, front) in [
        ("audio", "audio: https://cdn.example/a.mp3\nlink: https://www.youtube.com/watch?v=I2ZmAPI3e_Q"),
        ("lookalike", "link: https://www.youtube.com.evil.example/watch?v=I2ZmAPI3e_Q"),
        ("short", "link: https://www.youtube.com/watch?v=I2ZmAPI3e_"),
        ("page", "link: https://example.org/episodes/1"),
    ] {
        site.write(
            &format!("content/show/{slug}.md"),
            episode(&format!("title: {slug}\n{front}"), TIMED),
        );
    }
    site.built();
    for slug in ["audio", "lookalike", "short", "page"] {
        let page = site.page(&format!("show/{slug}/index.html"));
        assert!(!page.contains("data-video-id"), "{slug}: no video");
        assert!(
            page.contains(r##"<a class="ts" href="#t-00-12-05" data-seconds="725.6">"##),
            "{slug}: the timestamp stays on the page:\n{page}"
        );
        assert!(!page.contains("watch?v=I2ZmAPI3e_Q&amp;t="), "{slug}");
    }
}

// Issue 24: `[video] embed = true` puts the video where the player would be, as a box that
// loads nothing from YouTube until the reader asks (no iframe; without JS a link to the video).
// Off, which is the default, no page refers to the embedding domain at all.
#[test]
fn the_video_is_embedded_only_when_the_site_asks_and_only_on_request() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/video.md",
        episode("title: Video\nlink: https://www.youtube.com/watch?v=I2ZmAPI3e_Q", TIMED),
    );
    site.write(
        "content/show/audio.md",
        episode(
            "title: Audio\naudio: https://cdn.example/a.mp3\nlink: https://www.youtube.com/watch?v=I2ZmAPI3e_Q",
            TIMED,
        ),
    );
    site.built();
    for file in site.output_files() {
        let text = std::fs::read(site.root().join("public").join(&file)).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        assert!(!text.contains("youtube-nocookie"), "{file} refers to the embed");
    }
    assert!(!site.page("show/video/index.html").contains(r#"class="video""#));

    site.write(
        "site.toml",
        "title = \"Test archive\"\nbase_url = \"https://test.example/\"\n[video]\nembed = true\n",
    );
    site.built();
    let page = site.page("show/video/index.html");
    assert!(
        page.contains(concat!(
            r#"<div class="video" data-video-id="I2ZmAPI3e_Q" data-embed="https://www.youtube-nocookie.com/embed/I2ZmAPI3e_Q?enablejsapi=1&amp;rel=0">"#,
            "\n      ",
            r#"<a class="video-play" href="https://www.youtube.com/watch?v=I2ZmAPI3e_Q">Play the video</a>"#,
        )),
        "the box, with a link to the video:\n{page}"
    );
    assert!(!page.contains("<iframe"), "nothing loads before the reader asks");
    let header = page.find(r#"<header class="episode-header"#).expect("header");
    let header_end = header + page[header..].find("</header>").expect("header end");
    let video = page.find(r#"<div class="video""#).expect("video");
    assert!(
        header < video && video < header_end,
        "in the header, where the player would be"
    );
    let with_audio = site.page("show/audio/index.html");
    assert!(
        !with_audio.contains(r#"class="video""#) && with_audio.contains(r#"<audio id="player""#),
        "audio wins over the video"
    );
}
