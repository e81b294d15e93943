//! URLs from content on their way to `href` and `src` (issue 21): one filter for all of them,
//! `check` naming each one it refuses, and raw HTML sanitized when a site lets it in.

use verbatim::pipeline;

use crate::util::Site;

const SHOW: &str = "---
title: The Show
link: \"javascript:alert('show-link')\"
image: \"data:image/svg+xml,x\"
---
About the show: [home](javascript:alert('show-body')).

And <javascript:alert('show-autolink')>.
";

const BAD: &str = "---
title: Bad
date: 2024-05-01
speakers: [Ann Lee]
audio: \"javascript:alert('audio')\"
audio_length: 1000
license: \"javascript://%0aalert('license')\"
source: \"java\\tscript:alert('source')\"
link: \" JaVaScRiPt:alert('link')\"
image: \"data:text/html,<script>alert('image')</script>\"
---
Notes for this episode: [notes](vbscript:msgbox('notes')) and [data](data:text/html;base64,PHNjcmlwdD4=).

**Ann Lee:** A [script](javascript:alert('turn')) and a [disguised one](javascript&colon;alert('colon')),
an autolink <javascript:alert('autolink')> and ![a picture](data:image/svg+xml,x).
";

const GOOD: &str = "---
title: Good
date: 2024-04-01
speakers: [Ann Lee]
audio: \"https://media.example/good.mp3\"
audio_length: 1000
license: \"https://creativecommons.org/licenses/by/4.0/\"
source: \"Transcribed by: the show team\"
---
**Ann Lee:** A [fine link](https://example.org/) and <mailto:ann@example.org>.
";

const ANN: &str = "---
name: Ann Lee
image: \"javascript:alert('portrait')\"
links:
  - {title: Home, url: \"javascript:alert('home')\"}
  - {title: Site, url: \"https://ann.example/\"}
---
Ann's bio, with [a link](javascript:alert('bio')).
";

fn attacked_site() -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW)
        .write("content/show/bad.md", BAD)
        .write("content/show/good.md", GOOD)
        .write("content/speakers/ann-lee.md", ANN);
    site
}

/// Text as a browser or feed reader reads an attribute: references decoded, the tabs and line
/// breaks it ignores inside URLs taken out, case folded.
fn as_read(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end < 12);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "lt" => '<',
                "gt" => '>',
                "colon" => ':',
                "Tab" => '\t',
                "NewLine" => '\n',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(value)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace(['\t', '\n', '\r'], "").to_lowercase()
}

// Issue 21, point 4: `javascript:` and `data:` URLs in turns, show notes, a show description,
// a speaker bio, and in `license`, `source`, `link`, `image`, `audio` and profile links came
// out as live links on pages, in feeds and in JSON-LD. None may reach an output file now.
#[test]
fn no_output_file_carries_a_live_script_or_data_url() {
    let site = attacked_site();
    site.built();
    let mut scanned = 0;
    for file in site.output_files() {
        // Pagefind's own files (its stylesheet has `data:` icons) hold nothing from content.
        let generated = [".html", ".xml", ".json", ".txt", ".vtt", ".srt"];
        if file.starts_with("pagefind") || !generated.iter().any(|ext| file.ends_with(ext)) {
            continue;
        }
        let text = site.page(&file);
        scanned += 1;
        let read = as_read(&text);
        for scheme in ["javascript:", "vbscript:", "data:"] {
            for before in ["=\"", "='", "=", "\"", "<link>", "<loc>", "(", "url="] {
                let live = format!("{before}{scheme}");
                assert!(!read.contains(&live), "{file} has a live `{live}`");
            }
        }
        assert!(!text.contains("url=\"\""), "{file} has an empty url");
        assert!(!text.contains("href=\"\""), "{file} has an empty href");
    }
    assert!(scanned > 10, "only {scanned} files scanned");
}

#[test]
fn refused_urls_lose_the_link_and_keep_what_is_readable() {
    let site = attacked_site();
    site.built();
    let bad = site.page("show/bad/index.html");
    for text in ["notes", "disguised one", "javascript:alert('autolink')"] {
        assert!(bad.contains(text), "`{text}` lost from the page");
    }
    assert!(bad.contains("a picture"), "the image's alt text is shown");
    assert!(!bad.contains("<audio"), "no player for a refused audio URL");
    assert!(!bad.contains("rel=\"license\""), "no license link");
    let good = site.page("show/good/index.html");
    assert!(
        good.contains("<a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">")
    );
    assert!(
        good.contains("Transcribed by: the show team"),
        "a name stays text"
    );
    assert!(good.contains("<a href=\"https://example.org/\">fine link</a>"));
    assert!(good.contains("<audio"));
    let speaker = site.page("speakers/ann-lee/index.html");
    assert!(speaker.contains("href=\"https://ann.example/\""));
    assert!(speaker.contains("a link"));
    // Point 8: a refused audio URL gave its item `<enclosure url="">`. Such an episode has
    // no audio to the feed now, and like any episode without audio it is left out of it.
    let feed = site.page("show/feed.xml");
    assert_eq!(feed.matches("<enclosure").count(), 1, "{feed}");
    assert!(feed.contains("<enclosure url=\"https://media.example/good.mp3\""));
    assert_eq!(feed.matches("<item>").count(), 1, "{feed}");
    assert!(!feed.contains("<title>Bad</title>"), "{feed}");
    let atom = site.page("atom.xml");
    assert_eq!(atom.matches("rel=\"enclosure\"").count(), 1, "{atom}");
}

// Issue 21, point 8: a show whose only audio URL is refused has no podcast feed, and no page
// links one.
#[test]
fn a_show_without_audio_that_can_be_linked_has_no_podcast_feed() {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: The Show\n---\n")
        .write(
            "content/show/bad.md",
            "---\ntitle: Bad\naudio: \"data:audio/mpeg;base64,AAAA\"\n---\n**Ann:** Hi.\n",
        );
    site.built();
    assert!(!site.exists("show/feed.xml"));
    for page in ["show/index.html", "show/bad/index.html"] {
        assert!(
            !site.page(page).contains("feed.xml"),
            "{page} links a missing feed"
        );
    }
}

// Issue 21: the build dropped refused URLs without a word. `check` names each one, at the
// line of its front matter field or of the link in the body.
#[test]
fn check_reports_every_refused_url_where_it_is_written() {
    let site = attacked_site();
    let diagnostics = pipeline::check(site.root()).expect("check runs");
    let found: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.kind == "unsafe-url")
        .map(|d| {
            let column = d.column.map(|c| format!(":{c}")).unwrap_or_default();
            let path = d.path.to_string_lossy().replace('\\', "/");
            format!("{path}:{}{column}", d.line.unwrap_or(0))
        })
        .collect();
    let expected = [
        "content/show/_index.md:3",
        "content/show/_index.md:4",
        "content/show/_index.md:6:17",
        "content/show/_index.md:8:5",
        "content/show/bad.md:5",
        "content/show/bad.md:7",
        "content/show/bad.md:8",
        "content/show/bad.md:9",
        "content/show/bad.md:10",
        "content/show/bad.md:12",
        "content/show/bad.md:12",
        "content/show/bad.md:14",
        "content/show/bad.md:14",
        "content/show/bad.md:15",
        "content/show/bad.md:15",
        "content/speakers/ann-lee.md:3",
        "content/speakers/ann-lee.md:4",
        "content/speakers/ann-lee.md:8:17",
    ];
    assert_eq!(found, expected);
    let audio = diagnostics
        .iter()
        .find(|d| d.kind == "unsafe-url" && d.line == Some(5))
        .expect("the audio warning");
    assert!(!audio.is_error(), "a warning: the site still builds");
    assert_eq!(
        audio.message,
        "`audio` is not a safe URL: `javascript:alert('audio')`; the page has no player and the \
         feeds no audio for it (expected a relative URL or one starting with http:, https:, \
         mailto: or tel:)"
    );
}

// Issue 21: with `allow_html = true` raw HTML went out as written. It goes through a
// sanitizer now: formatting stays, what runs does not.
#[test]
fn allowed_html_keeps_formatting_and_drops_what_runs() {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://test.example/\"\n[transcripts]\nallow_html = true\n",
    )
    .write("content/show/_index.md", "---\ntitle: The Show\n---\n")
    .write(
        "content/show/raw.md",
        "---\ntitle: Raw\n---\n**Ann:** This is <b>bold</b> <script>alert(1)</script>\n\
         <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">here</a>\n",
    );
    site.built();
    let page = site.page("show/raw/index.html");
    let turn = page
        .split("<div class=\"turn-text\">")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the turn");
    assert!(turn.contains("<b>bold</b>"), "{turn}");
    assert!(turn.contains(">here</a>"), "{turn}");
    assert!(!turn.contains("alert("), "{turn}");
    assert!(!turn.contains("onerror"), "{turn}");
}
