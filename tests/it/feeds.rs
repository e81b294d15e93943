//! Feeds, sitemap and page metadata, read back with the same crates' parsers.

use verbatim::pipeline::{self, BuildOptions};
use verbatim::render::Quiet;

use crate::util::{episode, Site};

fn podcast_site() -> Site {
    let site = Site::new();
    site.write(
        "content/talk/_index.md",
        "---\ntitle: Talk\nauthor: Talk Collective\ncategory: Society & Culture > Documentary\nimage: covers/talk.jpg\ntype: serial\nexplicit: true\n---\nConversations.\n",
    );
    site.write(
        "content/talk/one.md",
        episode(
            "title: One\ndate: 2024-05-01\nepisode: 1\nseason: 2\nduration: \"00:10:00\"\naudio: https://cdn.example/one.mp3\naudio_length: 1234\ndescription: The first one.\nspeakers:\n  - {name: Ann Host, role: host}\n  - {name: Bo Guest, role: guest}",
            "## [00:00:00] Hello\n\n**Ann Host:** [00:00:05] Welcome to the show.\n\n**Bo Guest:** [00:01:00] Thanks for having me here.\n",
        ),
    );
    site.write(
        "content/talk/two.md",
        episode(
            "title: Two\ndate: 2024-06-01\nspeakers: [Ann Host]",
            "**Ann Host:** No audio for this one.\n",
        ),
    );
    site
}

fn channel(site: &Site, path: &str) -> rss::Channel {
    rss::Channel::read_from(site.page(path).as_bytes())
        .unwrap_or_else(|e| panic!("{path} is not RSS: {e}"))
}

fn atom(site: &Site, path: &str) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(site.page(path).as_bytes())
        .unwrap_or_else(|e| panic!("{path} is not Atom: {e}"))
}

fn podcast(item: &rss::Item, name: &str) -> Vec<rss::extension::Extension> {
    item.extensions
        .get("podcast")
        .and_then(|m| m.get(name))
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_podcast_feed_reads_back_as_written() {
    let site = podcast_site();
    site.built();
    let feed = channel(&site, "talk/feed.xml");
    assert_eq!(feed.title, "Talk");
    assert_eq!(feed.link, "https://test.example/talk/");
    let itunes = feed.itunes_ext.as_ref().expect("itunes channel");
    assert_eq!(itunes.author.as_deref(), Some("Talk Collective"));
    assert_eq!(
        itunes.image.as_deref(),
        Some("https://test.example/covers/talk.jpg")
    );
    assert_eq!(itunes.explicit.as_deref(), Some("true"));
    assert_eq!(itunes.r#type.as_deref(), Some("serial"));
    assert_eq!(itunes.categories[0].text, "Society & Culture");
    assert_eq!(
        itunes.categories[0].subcategory.as_ref().unwrap().text,
        "Documentary"
    );
    let guid = &feed.extensions["podcast"]["guid"][0];
    assert_eq!(guid.value.as_ref().unwrap().len(), 36, "a UUID");

    assert_eq!(feed.items.len(), 1, "only the episode with audio");
    let item = &feed.items[0];
    assert_eq!(item.title.as_deref(), Some("One"));
    assert_eq!(item.link.as_deref(), Some("https://test.example/talk/one/"));
    assert_eq!(
        item.pub_date.as_deref(),
        Some("Wed, 1 May 2024 00:00:00 +0000")
    );
    let enclosure = item.enclosure.as_ref().unwrap();
    assert_eq!(enclosure.url, "https://cdn.example/one.mp3");
    assert_eq!(enclosure.length, "1234");
    assert_eq!(enclosure.mime_type, "audio/mpeg");
    let itunes = item.itunes_ext.as_ref().unwrap();
    assert_eq!(itunes.duration.as_deref(), Some("600"));
    assert_eq!(itunes.episode.as_deref(), Some("1"));
    assert_eq!(itunes.season.as_deref(), Some("2"));
    assert_eq!(itunes.episode_type.as_deref(), Some("full"));

    let people: Vec<(String, String)> = podcast(item, "person")
        .iter()
        .map(|p| (p.value.clone().unwrap(), p.attrs["role"].clone()))
        .collect();
    assert_eq!(
        people,
        [
            ("Ann Host".to_string(), "host".to_string()),
            ("Bo Guest".to_string(), "guest".to_string())
        ]
    );
    let transcripts = podcast(item, "transcript");
    let types: Vec<&str> = transcripts
        .iter()
        .map(|t| t.attrs["type"].as_str())
        .collect();
    // The formats `[transcripts]` writes by default: see tests/it/transcript_files.rs.
    assert_eq!(types, ["text/vtt", "application/json"]);
    let chapters = podcast(item, "chapters");
    for url in transcripts.iter().chain(&chapters).map(|t| &t.attrs["url"]) {
        let path = url.strip_prefix("https://test.example/").unwrap();
        assert!(site.exists(path), "{url} is not in the site");
    }
    assert_eq!(chapters.len(), 1);
}

#[test]
fn episodes_without_audio_are_in_the_atom_feed_only() {
    let site = podcast_site();
    site.built();
    let feed = atom(&site, "atom.xml");
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Two", "One"],
        "newest first, with and without audio"
    );
    let one = &feed.entries[1];
    assert!(one
        .links
        .iter()
        .any(|l| l.rel == "enclosure" && l.href == "https://cdn.example/one.mp3"));

    let quiet = Site::new();
    quiet.write("content/notes/_index.md", "---\ntitle: Notes\n---\n");
    quiet.write(
        "content/notes/a.md",
        episode("title: A\nspeakers: [Ann]", "**Ann:** Words.\n"),
    );
    quiet.built();
    assert!(!quiet.exists("notes/feed.xml"), "no audio, no podcast feed");
    assert!(!quiet
        .page("notes/index.html")
        .contains("application/rss+xml"));
    assert_eq!(atom(&quiet, "atom.xml").entries.len(), 1);
}

#[test]
fn guids_survive_a_move_to_another_address() {
    let site = podcast_site();
    site.built();
    let here = channel(&site, "talk/feed.xml");
    let here_atom = atom(&site, "atom.xml");
    let moved = BuildOptions {
        base_url: Some("https://elsewhere.example/archive/".to_string()),
        ..site.options()
    };
    pipeline::build(&moved, &Quiet).unwrap();
    let there = channel(&site, "talk/feed.xml");
    let there_atom = atom(&site, "atom.xml");
    assert_eq!(
        there.items[0].link.as_deref(),
        Some("https://elsewhere.example/archive/talk/one/")
    );
    assert_eq!(here.items[0].guid, there.items[0].guid);
    let ids = |f: &atom_syndication::Feed| -> Vec<String> {
        f.entries.iter().map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(&here_atom), ids(&there_atom));
    assert!(ids(&here_atom).iter().all(|id| id.starts_with("urn:uuid:")));
}

#[test]
fn a_guid_in_front_matter_is_kept() {
    let site = podcast_site();
    site.write(
        "content/talk/three.md",
        episode(
            "title: Three\ndate: 2024-07-01\naudio: https://cdn.example/3.mp3\naudio_length: 1\nguid: \"https://old-host.example/?p=3\"\nepisode_type: bonus",
            "",
        ),
    );
    site.built();
    let feed = channel(&site, "talk/feed.xml");
    let item = &feed.items[0];
    assert_eq!(
        item.guid.as_ref().unwrap().value,
        "https://old-host.example/?p=3"
    );
    assert_eq!(
        item.itunes_ext.as_ref().unwrap().episode_type.as_deref(),
        Some("bonus")
    );
}

#[test]
fn hostile_text_still_gives_valid_xml() {
    let site = Site::new();
    site.write(
        "content/s/_index.md",
        "---\ntitle: \"Q&A <live> ]]>\"\n---\n",
    );
    site.write(
        "content/s/x.md",
        episode(
            "title: \"Fish & <Chips> ]]> 🎙\\x01\"\ndescription: \"ends ]]> here & <b>there</b>\"\naudio: https://cdn.example/x.mp3\nspeakers: [\"Ann & <Bo>\"]",
            "**Ann & <Bo>:** Hi.\n",
        ),
    );
    let report = site.built();
    let feed = channel(&site, "s/feed.xml");
    assert_eq!(feed.title, "Q&A <live> ]]>");
    let item = &feed.items[0];
    assert_eq!(item.title.as_deref(), Some("Fish & <Chips> ]]> 🎙"));
    assert_eq!(
        item.description.as_deref(),
        Some("ends ]]> here & <b>there</b>")
    );
    assert_eq!(
        item.enclosure.as_ref().unwrap().length,
        "0",
        "no audio_length: length 0, as the RSS specification allows"
    );
    let warning = report
        .warnings
        .iter()
        .find(|w| w.kind == "audio-length")
        .expect("a warning about the missing audio_length");
    assert_eq!(warning.line, Some(4));
    let atom = atom(&site, "atom.xml");
    assert_eq!(atom.entries[0].title.as_str(), "Fish & <Chips> ]]> 🎙");
    atom_syndication::Feed::read_from(site.page("speakers/ann-bo/atom.xml").as_bytes())
        .expect("the speaker's feed is valid too");
}

#[test]
fn a_speakers_feed_follows_them_across_shows() {
    let site = Site::new();
    for show in ["a", "b"] {
        site.write(
            &format!("content/{show}/_index.md"),
            format!("---\ntitle: Show {show}\n---\n"),
        );
        site.write(
            &format!("content/{show}/ep.md"),
            episode(
                &format!(
                    "title: Ep {show}\ndate: 2024-0{}-01\nspeakers: [Cy]",
                    if show == "a" { 1 } else { 2 }
                ),
                "**Cy:** [00:01:02] What I said.\n",
            ),
        );
    }
    site.built();
    let feed = atom(&site, "speakers/cy/atom.xml");
    let links: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert_eq!(
        links,
        [
            "https://test.example/b/ep/#t-00-01-02",
            "https://test.example/a/ep/#t-00-01-02"
        ]
    );
    assert_eq!(
        feed.entries[0].summary.as_ref().unwrap().as_str(),
        "“What I said.”"
    );
    assert!(site
        .page("speakers/cy/index.html")
        .contains("href=\"../../speakers/cy/atom.xml\""));
}

#[test]
fn the_sitemap_lists_every_page_and_robots_point_to_it() {
    let site = podcast_site();
    site.built();
    let sitemap = site.page("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| &rest[..rest.find("</loc>").unwrap()])
        .collect();
    let mut pages: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.ends_with("index.html") && f != "search/index.html")
        .map(|f| format!("https://test.example/{}", f.trim_end_matches("index.html")))
        .collect();
    pages.sort();
    let mut listed: Vec<String> = locs.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(listed, pages);
    assert!(sitemap.contains("<lastmod>2024-06-01T00:00:00Z</lastmod>"));
    assert!(site
        .page("robots.txt")
        .contains("Sitemap: https://test.example/sitemap.xml"));
}

#[test]
fn pages_describe_themselves_for_sharing() {
    let site = podcast_site();
    site.built();
    let page = site.page("talk/one/index.html");
    assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(page.contains("<meta property=\"og:url\" content=\"https://test.example/talk/one/\">"));
    assert!(page
        .contains("<meta property=\"og:image\" content=\"https://test.example/covers/talk.jpg\">"));
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Talk (podcast)\" href=\"../../talk/feed.xml\">"
    ));
    let ld = json_ld(&page);
    assert_eq!(ld["@type"], "PodcastEpisode");
    assert_eq!(
        ld["associatedMedia"]["contentUrl"],
        "https://cdn.example/one.mp3"
    );
    assert_eq!(ld["partOfSeries"]["@type"], "PodcastSeries");
    assert_eq!(ld["timeRequired"], "PT0H10M0S");

    assert_eq!(
        json_ld(&site.page("talk/index.html"))["@type"],
        "PodcastSeries"
    );
    let person = json_ld(&site.page("speakers/bo-guest/index.html"));
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["url"], "https://test.example/speakers/bo-guest/");
}

fn json_ld(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD on the page")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("valid JSON-LD")
}
