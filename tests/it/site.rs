//! The site around the pages: the header's shows, the page of every show, the topics link,
//! card descriptions, the speakers' letters and how counts are written.

use crate::util::{episode, Site};

/// A site of shows with `sizes[i]` episodes each; show `i` is `show-<letter>` titled
/// `Show <letter>`, so slug order and size order differ.
fn shows_of_sizes(sizes: &[usize]) -> Site {
    let site = Site::new();
    for (i, &size) in sizes.iter().enumerate() {
        let letter = (b'a' + i as u8) as char;
        site.write(
            &format!("content/show-{letter}/_index.md"),
            format!("---\ntitle: Show {}\n---\n", letter.to_ascii_uppercase()),
        );
        for n in 0..size {
            site.write(
                &format!("content/show-{letter}/e{n}.md"),
                episode(&format!("title: E{n}"), "**Ann:** Hi.\n"),
            );
        }
    }
    site
}

/// The header's navigation of a page.
fn header_nav(page: &str) -> &str {
    let start = page.find("<nav class=\"site-nav\"").expect("a site nav");
    let end = start + page[start..].find("</nav>").expect("the nav ends");
    &page[start..end]
}

// Issue 24: the header listed the first six shows by slug, so a flagship show of 70 episodes
// was left out while one of 2 was in. It lists the largest now, title as the tie-break.
#[test]
fn the_header_names_the_largest_shows_first() {
    let site = shows_of_sizes(&[1, 3, 2, 3, 1, 5]);
    site.built();
    let home = site.page("index.html");
    let nav = header_nav(&home);
    let named: Vec<&str> = ["Show F", "Show B", "Show D", "Show C", "Show A", "Show E"]
        .into_iter()
        .filter(|title| nav.contains(&format!(">{title}<")))
        .collect();
    assert_eq!(named, ["Show F", "Show B", "Show D", "Show C"], "{nav}");
    let positions: Vec<usize> = named.iter().map(|t| nav.find(t).unwrap()).collect();
    assert!(positions.is_sorted(), "largest first: {nav}");
    assert!(
        nav.contains("href=\"./shows/\">All shows</a>"),
        "the rest are a link away: {nav}"
    );
}

// Issue 24: "All shows" led to `#shows` on the home page. With more shows than the header
// names, every show has a card on `shows/`, with its episode count and newest date.
#[test]
fn the_shows_page_lists_every_show_when_the_header_cannot() {
    let site = shows_of_sizes(&[1, 3, 2, 3, 1, 5]);
    site.write(
        "content/show-a/e0.md",
        episode("title: E0\ndate: 2024-05-01", "**Ann:** Hi.\n"),
    );
    site.built();
    let page = site.page("shows/index.html");
    for title in ["Show A", "Show B", "Show C", "Show D", "Show E", "Show F"] {
        assert!(
            page.contains(&format!(">{title}</a>")),
            "{title} is missing"
        );
    }
    assert!(page.contains("5 episodes"), "counts are shown");
    assert!(
        page.contains("Latest <time datetime=\"2024-05-01\">1 May 2024</time>"),
        "the newest episode's date is shown"
    );
    let main = &page[page.find("<main").unwrap()..];
    assert!(main.find(">Show A<") < main.find(">Show B<"), "by title");
    assert!(site
        .page("sitemap.xml")
        .contains("<loc>https://test.example/shows/</loc>"));
    assert!(header_nav(&page).contains("aria-current=\"page\">All shows"));
}

#[test]
fn a_site_whose_header_names_every_show_has_no_shows_page() {
    let site = shows_of_sizes(&[1, 2]);
    site.built();
    assert!(!site.exists("shows/index.html"));
    let home = site.page("index.html");
    assert!(
        !home.contains("All shows"),
        "no link to a page that is not there"
    );
    assert!(!site.page("sitemap.xml").contains("/shows/"));
}

// Issue 24: with no tags anywhere, the header and footer still linked "Topics" to an empty
// page. Without tags there is no topics page and nothing links to one.
#[test]
fn a_site_without_tags_has_no_topics_page_and_no_link_to_it() {
    let site = shows_of_sizes(&[2]);
    site.built();
    assert!(!site.exists("tags/index.html"));
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let page = site.page(file);
        assert!(!page.contains("tags/\""), "{file} links to the topics page");
        assert!(!page.contains(">Topics<"), "{file} names the topics page");
    }
    assert!(!site.page("sitemap.xml").contains("/tags/"));

    site.write(
        "content/show-a/e0.md",
        episode("title: E0\ntags: [archives]", "**Ann:** Hi.\n"),
    );
    site.built();
    assert!(site.exists("tags/index.html"));
    assert!(header_nav(&site.page("index.html")).contains("href=\"./tags/\""));
}

// Issue 24: descriptions went onto cards as written, 300-word blurbs full of URLs and all,
// so the home page of a phone was 15,000 px tall. Cards get some 40 words of plain text; the
// episode's own page keeps every word.
#[test]
fn card_descriptions_are_shortened_and_the_episode_page_keeps_the_whole() {
    let site = shows_of_sizes(&[1]);
    let blurb: Vec<String> = (1..=300)
        .map(|i| match i % 25 {
            0 => format!("https://example.org/links/{i}"),
            _ => format!("word{i}"),
        })
        .collect();
    site.write(
        "content/show-a/e0.md",
        episode(
            &format!("title: E0\ndescription: \"{}\"", blurb.join(" ")),
            "**Ann:** Hi.\n",
        ),
    );
    site.built();
    for file in ["index.html", "show-a/index.html"] {
        let page = site.page(file);
        let start = page
            .find("<p class=\"card-desc\">")
            .expect("a card description")
            + 21;
        let text = &page[start..start + page[start..].find("</p>").unwrap()];
        assert_eq!(text.split_whitespace().count(), 40, "{file}: {text}");
        assert!(text.ends_with("word40…"), "{file}: {text}");
        assert!(
            text.contains(" example.org "),
            "{file}: a URL is its host: {text}"
        );
        assert!(!text.contains("https://"), "{file}: {text}");
    }
    let page = site.page("show-a/e0/index.html");
    assert!(
        page.contains("word299"),
        "the episode page has the whole description"
    );
}

#[test]
fn a_show_called_shows_is_refused_like_the_other_site_sections() {
    let site = shows_of_sizes(&[1]);
    site.write("content/shows/_index.md", "---\ntitle: Shows\n---\n");
    let error = site
        .build()
        .expect_err("a show cannot take the shows page's name");
    let message = error.to_string();
    assert!(message.contains("content/shows/_index.md"), "{message}");
    assert!(message.contains("cannot be called `shows`"), "{message}");
}

// Issue 24: the speakers index of 401 people had no way to jump by letter. Each letter with
// people links to the first of them in name order; the others are not links.
#[test]
fn the_speakers_index_jumps_to_the_first_name_of_each_letter() {
    let site = shows_of_sizes(&[1]);
    site.write(
        "content/show-a/e0.md",
        episode(
            "title: E0",
            "**Zoe Adams:** Hi.\n\n**Mina Lee:** Hi.\n\n**Ñuño Díaz:** Hi.\n\n\
             **Mark Bell:** Hi.\n\n**李明:** Hi.\n\n**Mina Lee:** Again.\n",
        ),
    );
    site.built();
    let page = site.page("speakers/index.html");
    assert!(page.contains("<a href=\"#letter-m\" data-letter=\"M\">M</a>"));
    assert!(page.contains("<a href=\"#letter-other\" data-letter=\"#\">"));
    assert!(page.contains("<span class=\"letter-empty\" aria-hidden=\"true\">B</span>"));
    let row = |name: &str| {
        let at = page.find(&format!(">{name}</a></th>")).expect(name);
        let start = page[..at].rfind("<tr").unwrap();
        page[start..at].to_string()
    };
    assert!(
        row("Mark Bell").contains("id=\"letter-m\""),
        "Mark before Mina"
    );
    assert!(!row("Mina Lee").contains("id="));
    assert!(
        row("Ñuño Díaz").contains("id=\"letter-n\""),
        "Ñ is filed under N"
    );
    assert!(row("李明").contains("id=\"letter-other\""));
    assert!(row("Zoe Adams").contains("data-letter=\"Z\""));
}

// Issue 24: some counts had thousands separators and others not (`1000 turns` beside
// `12,000 words`). Every count a template prints goes through `thousands`; numbers in
// attributes stay plain for scripts.
#[test]
fn every_count_in_the_default_theme_is_written_with_separators() {
    let templates =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let count =
        regex::Regex::new(r"\b(count|appearances|turns|words|episodes|episode_count|length)\b")
            .unwrap();
    let mut plain = Vec::new();
    for entry in walkdir::WalkDir::new(&templates).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (at, _) in text.match_indices("{{") {
            let end = at + text[at..].find("}}").unwrap();
            let expression = &text[at + 2..end];
            let in_attribute = text[..at].ends_with("=\"");
            // A count used in a condition (`"person" if n == 1`) is not printed.
            let formatted = ["thousands", "pluralize", "round", "join", " if "]
                .iter()
                .any(|f| expression.contains(f));
            if count.is_match(expression) && !in_attribute && !formatted {
                plain.push(format!("{}: {{{{{expression}}}}}", entry.path().display()));
            }
        }
    }
    assert!(
        plain.is_empty(),
        "counts without `thousands`:\n{}",
        plain.join("\n")
    );
}

#[test]
fn a_thousand_turns_read_as_1_000() {
    let site = shows_of_sizes(&[1]);
    site.write(
        "content/show-a/e0.md",
        episode("title: E0", &"**Ann:** Hi there.\n\n".repeat(1000)),
    );
    site.built();
    let page = site.page("speakers/ann/index.html");
    assert!(page.contains("<dd>2,000</dd>"), "words");
    assert!(page.contains("<dd>1,000</dd>"), "turns");
}
