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

const TIMED: &str =
    "## Opening\n\n**Ann:** [00:12:05.6] Hello.\n\n**Break:** [00:20:00]\n\n**Ann:** Untimed.\n";

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
        (
            "turn",
            format!(
                r#"<a class="ts" href="{}" data-seconds="725.6"><span class="visually-hidden">at </span>12:05</a>"#,
                at(725)
            ),
        ),
        (
            "marker",
            format!(
                r#"<a class="ts" href="{}" data-seconds="1200.0">20:00</a>"#,
                at(1200)
            ),
        ),
        (
            "chapter",
            format!(
                r#"<a class="ts" href="{}" data-seconds="725.6">12:05</a> Opening</h2>"#,
                at(725)
            ),
        ),
    ] {
        assert!(
            page.contains(&link),
            "the {what}'s timestamp opens the video:\n{page}"
        );
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
        (
            "audio",
            "audio: https://cdn.example/a.mp3\nlink: https://www.youtube.com/watch?v=I2ZmAPI3e_Q",
        ),
        (
            "lookalike",
            "link: https://www.youtube.com.evil.example/watch?v=I2ZmAPI3e_Q",
        ),
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
        episode(
            "title: Video\nlink: https://www.youtube.com/watch?v=I2ZmAPI3e_Q",
            TIMED,
        ),
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
        assert!(
            !text.contains("youtube-nocookie"),
            "{file} refers to the embed"
        );
    }
    assert!(!site
        .page("show/video/index.html")
        .contains(r#"class="video""#));

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
    assert!(
        !page.contains("<iframe"),
        "nothing loads before the reader asks"
    );
    let header = page
        .find(r#"<header class="episode-header"#)
        .expect("header");
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

/// The `<h3>` names of the "More with" block, in order.
fn more_with(page: &str) -> Vec<String> {
    let Some(start) = page.find(r#"<section class="more-with""#) else {
        return Vec::new();
    };
    let block = &page[start..];
    let block = &block[..block.find("\n    </section>").unwrap_or(block.len())];
    block
        .split("<h3 id=\"more-with-")
        .skip(1)
        .filter_map(|h| Some(h.split_once('>')?.1.split_once("</h3>")?.0.to_string()))
        .collect()
}

// Issue 24: at the end of an episode there was only newer/older in the same show. Now each
// person heard in it who is in other episodes gets a few of those, newest first with show and
// date, and a link to all of them: guests first (a host's other episodes are this show), then
// hosts, by what they said here.
#[test]
fn more_with_lists_the_guests_other_episodes_then_the_hosts() {
    let site = Site::new();
    show(&site);
    site.write("content/other/_index.md", "---\ntitle: Other Show\n---\n");
    let turns = |names: &[&str]| -> String {
        names
            .iter()
            .map(|n| format!("**{n}:** I say a few words here as {n}.\n\n"))
            .collect()
    };
    site.write(
        "content/show/today.md",
        episode(
            "title: Today\ndate: 2024-06-01\nspeakers:\n  - {name: Ann, role: host}\n  - {name: Bob, role: guest}\n  - Cid\n  - Eve",
            &format!("{}**Bob:** And a much longer answer, with many more words than anyone else says.\n", turns(&["Ann", "Bob", "Cid"])),
        ),
    );
    for (slug, date, names) in [
        ("show/one", Some("2024-01-01"), &["Ann", "Bob", "Eve"][..]),
        ("show/two", Some("2024-03-01"), &["Ann", "Bob"][..]),
        ("other/three", Some("2024-05-01"), &["Bob", "Ann"][..]),
        ("other/four", Some("2023-01-01"), &["Bob"][..]),
        ("show/undated", None, &["Bob"][..]),
    ] {
        let front = match date {
            Some(d) => format!("title: Episode {slug}\ndate: {d}"),
            None => format!("title: Episode {slug}"),
        };
        site.write(
            &format!("content/{slug}.md"),
            episode(&front, &turns(names)),
        );
    }
    site.built();
    let page = site.page("show/today/index.html");
    assert_eq!(
        more_with(&page),
        ["Bob", "Ann"],
        "guests first; Cid is in no other episode, Eve is credited but not heard:\n{page}"
    );
    let bob = &page[page.find(">Bob</h3>").expect("Bob")..];
    let bob = &bob[..bob.find("</section>").expect("end")];
    let listed: Vec<&str> = bob
        .split("<li><a href=\"../../")
        .skip(1)
        .map(|li| li.split('"').next().unwrap_or_default())
        .collect();
    assert_eq!(
        listed,
        ["other/three/", "show/two/", "show/one/"],
        "three, newest first:\n{bob}"
    );
    assert!(
        bob.contains(r#"<span class="more-with-meta">Other Show · <time datetime="2024-05-01">"#),
        "with show and date:\n{bob}"
    );
    assert!(
        bob.contains(r#"<a href="../../speakers/bob/">All 6 episodes with Bob</a>"#),
        "{bob}"
    );
    assert!(
        more_with(&site.page("show/undated/index.html")).contains(&"Bob".to_string()),
        "an undated episode has the block too"
    );
}

// Without roles, whoever is in most of the show's episodes is taken for its host and comes
// after the guests; and the block keeps to the six guests who spoke most.
#[test]
fn more_with_without_roles_puts_the_shows_regular_last_and_keeps_to_six() {
    let site = Site::new();
    show(&site);
    let guests = [
        "Ada Byron",
        "Ben Carter",
        "Cleo Dunn",
        "Dan Ellis",
        "Edna Ford",
        "Finn Gray",
        "Gia Hart",
        "Hugo Irwin",
    ];
    // Hal speaks most; each guest says a word more than the one before.
    let mut body = String::from(
        "**Hal:** Welcome to the show, everyone, it is a long introduction today.\n\n",
    );
    for (n, guest) in guests.iter().enumerate() {
        body.push_str(&format!("**{guest}:** {}\n\n", "word ".repeat(n + 1)));
    }
    site.write(
        "content/show/panel.md",
        episode("title: Panel\ndate: 2024-06-01", &body),
    );
    let everyone: String = guests
        .iter()
        .map(|g| format!("**{g}:** Hello.\n\n"))
        .collect();
    site.write(
        "content/show/reunion.md",
        episode(
            "title: Reunion\ndate: 2024-05-01",
            &format!("**Hal:** Hi.\n\n{everyone}"),
        ),
    );
    // Hal is in all five episodes of the show, each guest in two.
    for (slug, date) in [
        ("solo", "2024-04-01"),
        ("alone", "2024-03-01"),
        ("again", "2024-02-01"),
    ] {
        site.write(
            &format!("content/show/{slug}.md"),
            episode(
                &format!("title: {slug}\ndate: {date}"),
                "**Hal:** Just me.\n",
            ),
        );
    }
    site.built();
    let page = site.page("show/panel/index.html");
    assert_eq!(
        more_with(&page),
        [
            "Hugo Irwin",
            "Gia Hart",
            "Finn Gray",
            "Edna Ford",
            "Dan Ellis",
            "Cleo Dunn"
        ],
        "{page}"
    );
    let solo = site.page("show/solo/index.html");
    assert_eq!(more_with(&solo), ["Hal"], "a host alone is still listed");
}
