//! The search index: what each episode's record holds, and what the build writes.

use verbatim::pipeline;

use crate::util::{episode, Site};

fn site() -> Site {
    let site = Site::new();
    site.write(
        "content/talk/_index.md",
        "---\ntitle: \"Talk, Live\"\n---\nA show.\n",
    );
    site.write(
        "content/talk/one.md",
        episode(
            "title: One & only\ndate: 2024-05-01\nspeakers: [\"Ann <Lee>\"]",
            "**Ann <Lee>:** Hello <b>there</b>\n\n**Caller:** A *question*\n\n## Later\n\nSome notes.\n",
        ),
    );
    site.write(
        "content/talk/two.md",
        episode("title: Two\nspeakers: [Bo]", "**Bo:** Words.\n"),
    );
    site
}

#[test]
fn a_record_holds_the_transcript_its_turns_and_its_filters() {
    let site = site();
    let config = pipeline::configure(&site.options()).unwrap();
    let (archive, _) =
        pipeline::load_archive(site.root(), &config, false, &site.root().join("static")).unwrap();
    let id = archive
        .episodes
        .iter()
        .position(|e| e.slug == "one")
        .unwrap();
    let (url, html) =
        verbatim::search::record(&archive, verbatim::model::EpisodeId::new(id)).unwrap();
    assert_eq!(url, "/talk/one/");
    for part in [
        r#"<h2 id="t-1">Ann &lt;Lee&gt;</h2><p>Hello &lt;b&gt;there&lt;/b&gt;</p>"#,
        r#"<h2 id="t-2">Caller</h2><p>A question</p>"#,
        r#"<p>Some notes.</p>"#,
        r#"data-pagefind-filter="show:Talk, Live""#,
        r#"data-pagefind-filter="speaker:Ann &lt;Lee&gt;""#,
        r#"data-pagefind-filter="year:2024""#,
        r#"data-pagefind-sort="date:2024-05-01""#,
        r#"data-pagefind-meta="title:One &amp; only""#,
    ] {
        assert!(html.contains(part), "no {part} in {html}");
    }
    assert!(
        !html.contains("speaker:Caller"),
        "anonymous voices are no filter"
    );
}

#[cfg(feature = "search")]
#[test]
fn the_build_writes_one_fragment_per_episode() {
    let site = site();
    site.built();
    assert!(site.exists("pagefind/pagefind.js"));
    assert!(site.exists("pagefind/pagefind-entry.json"));
    let fragments = site
        .output_files()
        .iter()
        .filter(|f| f.starts_with("pagefind/fragment/"))
        .count();
    assert_eq!(fragments, 2);
    let search = site.page("search/index.html");
    assert!(
        search.contains("search.js"),
        "the search page loads its script"
    );
    assert!(site.page("index.html").contains("action=\"./search/\""));
}

#[cfg(feature = "search")]
#[test]
fn the_build_leaves_nothing_in_the_temporary_folder() {
    let site = site();
    let scratch = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("TMPDIR", scratch.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(site.exists("pagefind/pagefind-entry.json"));
    let left: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
    assert!(left.is_empty(), "left in the temporary folder: {left:?}");
}

#[cfg(feature = "search")]
#[test]
fn the_search_page_offers_the_shows_and_years_it_can_narrow_to() {
    let site = site();
    site.built();
    let search = site.page("search/index.html");
    assert!(search.contains(r#"<option value="Talk, Live">Talk, Live (2)</option>"#));
    assert!(search.contains(r#"<option value="2024">2024 (1)</option>"#));
}

#[test]
fn search_false_leaves_out_the_index_the_page_and_every_way_to_them() {
    let site = site();
    site.write(
        "site.toml",
        "title = \"Test\"\nbase_url = \"https://example.org/\"\nsearch = false\n",
    );
    site.built();
    let files = site.output_files();
    assert!(
        !files.iter().any(|f| f.starts_with("pagefind/")),
        "{files:?}"
    );
    assert!(!site.exists("search/index.html"));
    for page in [
        "index.html",
        "talk/one/index.html",
        "speakers/ann-lee/index.html",
    ] {
        let html = site.page(page);
        assert!(!html.contains("search/"), "a way to search in {page}");
    }
}

/// Five dated episodes of 40 words and one undated, in a site whose index parts hold at most
/// `words` words.
#[cfg(feature = "search")]
fn site_in_parts(words: usize) -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        format!("title = \"Test\"\nbase_url = \"https://example.org/\"\n[search_index]\nwords_per_part = {words}\n"),
    );
    site.write("content/talk/_index.md", "---\ntitle: Talk\n---\n");
    let said = "word ".repeat(39);
    for n in 1..=5 {
        site.write(
            &format!("content/talk/e{n}.md"),
            episode(
                &format!("title: E{n}\ndate: 2020-0{n}-01\nspeakers: [Ann]"),
                &format!("**Ann:** {said}zeta{n}\n"),
            ),
        );
    }
    site.write(
        "content/talk/undated.md",
        episode(
            "title: U\nspeakers: [Bo]",
            &format!("**Bo:** {said}omega\n"),
        ),
    );
    site
}

#[cfg(feature = "search")]
fn parts_of(site: &Site) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&site.page("pagefind/parts.json")).unwrap();
    json["parts"].as_array().unwrap().clone()
}

// An index part holds as many episodes as fit in its words, newest first and the undated last,
// each part a whole Pagefind bundle; parts.json tells the search page their dates.
#[cfg(feature = "search")]
#[test]
fn an_index_in_parts_cuts_the_episodes_newest_first_by_words() {
    let site = site_in_parts(100);
    site.built();
    let parts = parts_of(&site);
    let summary: Vec<serde_json::Value> = parts
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.as_object_mut().unwrap().remove("vocabulary");
            p
        })
        .collect();
    let part = |path: &str, newest: &str, oldest: &str, undated: u64| serde_json::json!({"path": path, "episodes": 2, "newest": newest, "oldest": oldest, "undated": undated});
    assert_eq!(
        summary,
        vec![
            part("pagefind/", "2020-05-01", "2020-04-01", 0),
            part("pagefind/part-1/", "2020-03-01", "2020-02-01", 0),
            part("pagefind/part-2/", "2020-01-01", "2020-01-01", 1),
        ]
    );
    for part in &parts {
        let dir = part["path"].as_str().unwrap();
        assert!(site.exists(&format!("{dir}pagefind.js")), "{dir}");
        let fragments = site
            .output_files()
            .iter()
            .filter(|f| f.starts_with(&format!("{dir}fragment/")))
            .count();
        assert_eq!(
            fragments, 2,
            "one fragment per episode in {dir}, none for its vocabulary"
        );
        assert!(part["vocabulary"].as_str().unwrap().starts_with("en_"));
    }
    let speakers: Vec<String> = serde_json::from_str(&site.page("pagefind/speakers.json")).unwrap();
    assert_eq!(speakers, ["Ann", "Bo"]);
    let top: Vec<String> = std::fs::read_dir(site.root().join("public"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(top.contains(&"pagefind".to_string()), "{top:?}");
    assert!(
        top.iter().all(|name| !name.starts_with(".verbatim-index")),
        "the parts' parsed pages are removed before the output is swapped in: {top:?}"
    );
}

// An archive that fits in one part keeps Pagefind's usual layout, with no vocabulary page; an
// episode longer than a part is a part of its own rather than an endless loop or an empty part.
#[cfg(feature = "search")]
#[test]
fn one_part_has_no_vocabulary_and_a_long_episode_is_a_part_alone() {
    let site = site_in_parts(20_000_000);
    site.built();
    let parts = parts_of(&site);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["path"], "pagefind/");
    assert_eq!(parts[0]["vocabulary"], serde_json::Value::Null);
    let site = site_in_parts(10);
    site.built();
    let sizes: Vec<u64> = parts_of(&site)
        .iter()
        .map(|p| p["episodes"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [1, 1, 1, 1, 1, 1]);
}
