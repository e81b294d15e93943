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
    let (url, html) = verbatim::search::record(&archive, verbatim::model::EpisodeId::new(id));
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
