//! What pages contain, on small sites made for one behaviour each.

use crate::util::{episode, Site};

fn show(site: &Site) {
    site.write(
        "content/show/_index.md",
        "---\ntitle: The Show\n---\nA show.\n",
    );
}

#[test]
fn text_from_content_is_inert_everywhere() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/xss.md",
        episode(
            "title: \"<script>alert('title')</script>\"\ndescription: \"<img src=x onerror=alert(1)>\"\ntags: [\"<b>tag</b>\"]\nspeakers:\n  - name: \"<script>alert('name')</script>\"",
            "**<script>alert('name')</script>:** Hello <script>alert('turn')</script>\n\nNarration <iframe src=x></iframe>\n",
        ),
    );
    site.built();
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let page = site.page(file);
        assert!(
            !page.contains("<script>alert"),
            "{file} runs a script from content"
        );
        assert!(
            !page.contains("<img src=x"),
            "{file} has markup from content"
        );
        assert!(!page.contains("<iframe"), "{file} has markup from content");
        assert!(
            !page.contains("<b>tag</b>"),
            "{file} has markup from content"
        );
    }
    let page = site.page("show/xss/index.html");
    assert!(
        page.contains("&lt;script&gt;alert("),
        "the text is still shown"
    );
}

#[test]
fn script_urls_from_content_never_reach_a_link() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/urls.md",
        episode(
            "title: Urls\nlink: \"javascript:alert(1)\"\nsource: \"JavaScript://%0aalert(2)\"\naudio: \"javascript:alert(3)\"\nimage: \"data:text/html,x\"",
            "**Ann:** Hi.\n",
        ),
    );
    site.write(
        "content/speakers/ann.md",
        "---\nname: Ann\nlinks:\n  - {title: Home, url: \"javascript:alert(4)\"}\n---\n",
    );
    site.built();
    for file in ["show/urls/index.html", "speakers/ann/index.html"] {
        let page = site.page(file).to_lowercase();
        assert!(!page.contains("javascript:"), "{file} links a script URL");
        assert!(!page.contains("data:text"), "{file} links a data URL");
    }
}

#[test]
fn raw_html_in_transcripts_passes_only_when_the_site_opts_in() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/raw.md",
        episode("title: Raw", "**Ann:** This is <mark>marked</mark>.\n"),
    );
    site.built();
    assert!(site
        .page("show/raw/index.html")
        .contains("&lt;mark&gt;marked"));
    site.write(
        "site.toml",
        "title = \"T\"\n[transcripts]\nallow_html = true\n",
    );
    site.built();
    assert!(site
        .page("show/raw/index.html")
        .contains("<mark>marked</mark>"));
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    let site = Site::example();
    site.built();
    let first: Vec<(String, Vec<u8>)> = site
        .output_files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(site.root().join("public").join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    site.built();
    for (file, bytes) in &first {
        let again = std::fs::read(site.root().join("public").join(file)).unwrap();
        assert!(again == *bytes, "{file} differs between two builds");
    }
    assert_eq!(site.output_files().len(), first.len());
}

#[test]
fn a_file_removed_from_content_leaves_no_stale_page() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/gone.md",
        episode("title: Gone", "**Ann:** Bye.\n"),
    );
    site.built();
    assert!(site.exists("show/gone/index.html"));
    std::fs::remove_file(site.root().join("content/show/gone.md")).unwrap();
    site.built();
    assert!(!site.exists("show/gone/index.html"));
    assert!(!site.exists("speakers/ann/index.html"));
}

#[test]
fn a_site_overrides_a_single_template() {
    let site = Site::new();
    show(&site);
    // A site has a topics page only when an episode has tags.
    site.write(
        "content/show/tagged.md",
        episode("title: Tagged\ntags: [archives]", "**Ann:** Hi.\n"),
    );
    site.write("templates/tags.html", "{% extends \"base.html\" %}{% block content %}<p id=custom>{{ tags | length }} topics</p>{% endblock content %}");
    site.built();
    assert!(site
        .page("tags/index.html")
        .contains("<p id=custom>1 topics</p>"));
    assert!(
        site.page("index.html").contains("The Show"),
        "other templates still come from the theme"
    );
}

#[test]
fn site_static_files_are_copied_and_win_over_the_theme() {
    let site = Site::new();
    show(&site);
    site.write("static/robots.txt", "User-agent: *\n");
    site.write("static/style.css", "/* mine */");
    site.built();
    assert_eq!(site.page("robots.txt"), "User-agent: *\n");
    assert_eq!(site.page("style.css"), "/* mine */");
    assert!(site.exists("syntax.css"));
}

#[test]
fn drafts_stay_out_unless_asked_for() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/wip.md",
        episode("title: WIP\ndraft: true", "**Ann:** Soon.\n"),
    );
    site.built();
    assert!(!site.exists("show/wip/index.html"));
    let mut options = site.options();
    options.drafts = true;
    verbatim::pipeline::build(&options, &verbatim::render::Quiet).unwrap();
    assert!(site.exists("show/wip/index.html"));
}

#[test]
fn links_are_relative_so_a_sub_path_deploy_works() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/one.md",
        episode("title: One", "**Ann Lee:** Hi.\n"),
    );
    let mut options = site.options();
    options.base_url = Some("https://host.example/archive/".to_string());
    verbatim::pipeline::build(&options, &verbatim::render::Quiet).unwrap();
    let page = site.page("show/one/index.html");
    assert!(page.contains("href=\"../../speakers/ann-lee/\""), "{page}");
    assert!(
        page.contains("https://host.example/archive/show/one/"),
        "canonical link"
    );
    assert!(!page.contains("href=\"/"), "no root-absolute links: {page}");
    let not_found = site.page("404.html");
    assert!(
        not_found.contains("href=\"/archive/"),
        "404 links from the base path"
    );
}

/// A built site of five episodes, Episode 1 to 5 by date, two a page; `front` is added to
/// each one's front matter.
fn five_episodes_two_a_page(front: &str) -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"T\"\npaginate_by = 2\n");
    show(&site);
    for n in 1..=5 {
        site.write(
            &format!("content/show/e{n}.md"),
            episode(
                &format!("title: Episode {n}\ndate: 2024-01-0{n}{front}"),
                "**Ann:** Hi.\n",
            ),
        );
    }
    site.built();
    site
}

#[test]
fn a_show_paginates_its_episodes() {
    let site = five_episodes_two_a_page("");
    let first = site.page("show/index.html");
    assert!(first.contains("Episode 5") && first.contains("Episode 4"));
    assert!(!first.contains("Episode 3"));
    assert!(site.page("show/page/3/index.html").contains("Episode 1"));
    assert!(!site.exists("show/page/4/index.html"));
}

// Issue 23: the page graph is the one list of the site's files that `build`, `serve` and
// `check` ask; it must name exactly what a build writes, static files and overrides included.
#[test]
fn the_page_graph_lists_every_file_a_build_writes() {
    use verbatim::render::graph::{self, MadeBy};
    let site = Site::example();
    site.write("static/robots.txt", "User-agent: *\n");
    site.write("static/notes/a.txt", "notes\n");
    let options = site.options();
    let session = verbatim::serve::session::Session::start(options.clone()).expect("build");
    let config = verbatim::pipeline::configure(&options).expect("settings");
    let names = verbatim::pipeline::static_names(site.root(), &config);
    let listed = graph::site_files(session.archive(), &config, &names);
    let index: Vec<&str> = listed
        .iter()
        .filter(|f| f.made_by == MadeBy::SearchIndex)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(index, [graph::SEARCH_INDEX]);
    let mut listed: Vec<&str> = listed
        .iter()
        .filter(|f| f.made_by != MadeBy::SearchIndex)
        .map(|f| f.path.as_str())
        .collect();
    let pages = session.pages();
    let mut built: Vec<&str> = pages
        .keys()
        .map(String::as_str)
        .filter(|f| !f.starts_with(graph::SEARCH_INDEX))
        .collect();
    listed.sort();
    built.sort();
    assert_eq!(listed, built);
}

#[test]
fn a_topic_paginates_its_episodes() {
    let site = five_episodes_two_a_page("\ntags: [rust]");
    let first = site.page("tags/rust/index.html");
    assert!(first.contains("Episode 5") && first.contains("Episode 4"));
    assert!(!first.contains("Episode 3"));
    assert!(
        first.contains("href=\"../../tags/rust/page/2/\""),
        "{first}"
    );
    let last = site.page("tags/rust/page/3/index.html");
    assert!(last.contains("Episode 1") && !last.contains("Episode 2"));
    assert!(last.contains("<title>Topic: rust (page 3 of 3)"), "{last}");
    assert!(!site.exists("tags/rust/page/4/index.html"));
    assert!(site.page("sitemap.xml").contains("tags/rust/page/3/"));
}
