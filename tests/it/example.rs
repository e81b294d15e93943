//! The example archive that ships in the repository: every page type, and the transcript
//! rules of the product (aliases, markers, anonymous voices, speaker_map) on real pages.

use crate::util::Site;

fn built() -> Site {
    let site = Site::example();
    site.built();
    site
}

#[test]
fn every_page_type_is_written() {
    let site = built();
    for page in [
        "index.html",
        "404.html",
        "signal-and-noise/index.html",
        "signal-and-noise/page/2/index.html",
        "the-long-memory/hot-metal/index.html",
        "speakers/index.html",
        "speakers/zoe-okonkwo-brandt/index.html",
        "tags/index.html",
        "tags/oral-history/index.html",
        "style.css",
        "syntax.css",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
    assert!(
        !site.exists("the-long-memory/the-ferry-pilots/index.html"),
        "drafts stay out"
    );
}

#[test]
fn aliases_and_speaker_map_resolve_to_one_person() {
    let site = built();
    let zoe = site.page("speakers/zoe-okonkwo-brandt/index.html");
    for episode in [
        "who-said-that",
        "who-will-keep-the-podcasts",
        "what-the-river-remembers",
    ] {
        assert!(
            zoe.contains(&format!("{episode}/")),
            "Zoë's page lacks {episode}"
        );
    }
    let mapped = site.page("signal-and-noise/who-said-that/index.html");
    assert!(
        mapped.contains("Zoë Okonkwo-Brandt"),
        "SPEAKER_00 shows as the mapped person"
    );
    assert!(
        mapped.contains("SPEAKER_02"),
        "an unmapped diarization label stays as written"
    );
}

#[test]
fn markers_and_anonymous_voices_get_no_speaker_page() {
    let site = built();
    for slug in [
        "break",
        "jingle",
        "music",
        "speaker-2",
        "q",
        "a",
        "speaker-02",
        "speaker-00",
    ] {
        assert!(
            !site.exists(&format!("speakers/{slug}/index.html")),
            "{slug} has a page"
        );
    }
    let live = site.page("signal-and-noise/live-at-lantern-hall/index.html");
    assert!(
        live.contains("Speaker 2"),
        "anonymous voices are still in the transcript"
    );
}

#[test]
fn non_ascii_names_get_ascii_slugs() {
    let site = built();
    assert!(site.page("speakers/li-ming/index.html").contains("李明"));
    assert!(site
        .page("speakers/soren-aberg/index.html")
        .contains("Søren Åberg"));
}

#[test]
fn an_episode_page_has_its_transcript_chapters_and_metadata() {
    let site = built();
    let page = site.page("the-long-memory/hot-metal/index.html");
    assert!(
        page.contains("id=\"t-00-00-05\""),
        "escaped timestamps become anchors"
    );
    assert!(
        page.contains("data-seconds=\"5.2\""),
        "timestamps carry seconds for the player"
    );
    assert!(page.contains("id=\"ch-"), "chapters have anchors");
    assert!(
        page.contains("CC-BY") || page.contains("CC BY"),
        "attribution is shown"
    );
    let notes = site.page("signal-and-noise/who-maintains-the-maintainers/index.html");
    assert!(
        notes.contains("class=\"code hl-code\""),
        "show notes code is highlighted"
    );
    assert!(notes.contains("hl-"), "highlighting classes");
}

#[test]
fn a_speaker_page_has_chart_shows_excerpts_and_co_speakers() {
    let site = built();
    let page = site.page("speakers/soren-aberg/index.html");
    assert!(
        page.contains("<ol class=\"chart-bars\">"),
        "appearances chart"
    );
    assert!(page.contains("href=\"#y-"), "bars link to their year");
    assert!(
        page.contains("Signal &amp; Noise") && page.contains("The Long Memory"),
        "both shows"
    );
    assert!(page.contains("#t-"), "excerpts link to the turn");
    assert!(page.contains("speakers/zoe-okonkwo-brandt/"), "co-speakers");
}

#[test]
fn episodes_in_a_feed_have_the_transcript_files_podcast_apps_read_linked_from_their_page() {
    let site = built();
    // Timed, with audio: the example keeps the default formats, WebVTT and JSON.
    let dir = "signal-and-noise/who-maintains-the-maintainers/";
    let page = site.page(&format!("{dir}index.html"));
    for file in ["transcript.vtt", "transcript.json"] {
        assert!(
            site.exists(&format!("{dir}{file}")),
            "{dir}{file} is missing"
        );
        assert!(page.contains(&format!("href=\"../../{dir}{file}\"")));
    }
    for file in ["transcript.srt", "transcript.txt"] {
        assert!(!site.exists(&format!("{dir}{file}")), "{dir}{file}");
        assert!(!page.contains(&format!("{dir}{file}")), "{dir}{file}");
    }
    let vtt = site.page(&format!("{dir}transcript.vtt"));
    assert!(vtt.starts_with("WEBVTT"));
    assert!(
        vtt.contains("<v Zoë Okonkwo-Brandt>"),
        "voice spans name the speaker"
    );
    // In the feed but without timestamps: nothing timed to write.
    let untimed = "the-long-memory/magnetic-decay/";
    assert!(!site.exists(&format!("{untimed}transcript.vtt")));
    // Timed chapters, no audio: its chapters, and no transcript file.
    let unheard = "the-long-memory/hot-metal/";
    assert!(site.exists(&format!("{unheard}chapters.json")));
    assert!(!site.exists(&format!("{unheard}transcript.vtt")));
}
