//! A speaker page as a reader meets it: what each appearance quotes, the order of the years, and
//! what the speaker's feed quotes (issue 24).

use crate::util::{episode, Site};

/// A host who opens with filler and a question, then says something of substance.
const CHATTY: &str =
    "**Ann Lee:** Yeah, like you said, I think that's really the thing, you know, so, \
yeah, it's good to be back and we're just happy to be here today.\n\n\
**Bo:** Thanks.\n\n\
**Ann Lee:** So Bo, tell us about yourself?\n\n\
**Bo:** I build boats.\n\n\
**Ann Lee:** Right. Wooden hulls swell when soaked, sealing seams that leaked during storage; \
carpenters therefore launch traditional dinghies days before regattas.\n";

fn site() -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"Test archive\"\nbase_url = \"https://test.example/\"\nsearch = false\n",
    );
    site.write("content/show/_index.md", "---\ntitle: The Show\n---\n");
    site.write(
        "content/show/boats.md",
        episode(
            "title: Boats\ndate: 2024-01-02\ndescription: All about boats.\nspeakers: [{name: Ann Lee, role: host}, {name: Bo, role: guest}]",
            CHATTY,
        ),
    );
    site.write(
        "content/show/older.md",
        episode(
            "title: Older\ndate: 2021-05-06\nspeakers: [Ann Lee]",
            "**Ann Lee:** Hello there.\n",
        ),
    );
    site.write(
        "content/show/lost.md",
        episode(
            "title: Lost\nspeakers: [Ann Lee]",
            "**Ann Lee:** No date on this one.\n",
        ),
    );
    site.build().expect("the site builds");
    site
}

// Issue 24: the excerpt was the first turn of 15 words or more, here "Yeah, like you said…". It
// is the turn with the most substance now, quoted from its richest sentence, in the page and the
// speaker's feed alike.
#[test]
fn an_appearance_quotes_substance_not_filler() {
    let site = site();
    let page = site.page("speakers/ann-lee/index.html");
    assert!(
        page.contains("<p>…Wooden hulls swell when soaked"),
        "excerpt: {}",
        &page[page.find("class=\"excerpt\"").unwrap_or(0)..][..300.min(page.len())]
    );
    assert!(!page.contains("<p>Yeah, like you said"));
    let feed = site.page("speakers/ann-lee/atom.xml");
    assert!(feed.contains("…Wooden hulls swell"), "{feed}");
}

// Issue 24: appearances said only title, role and words. They say who else spoke and what the
// episode was about now.
#[test]
fn an_appearance_names_who_else_spoke_and_the_episode() {
    let page = site().page("speakers/ann-lee/index.html");
    assert!(page.contains("With <a href=\"../../speakers/bo/\">Bo</a>"));
    assert!(page.contains("<p class=\"about\">All about boats.</p>"));
}

// Issue 24: an "Undated" group came first, and only the newest year was open.
#[test]
fn undated_appearances_come_last_and_the_newest_are_open() {
    let page = site().page("speakers/ann-lee/index.html");
    let at = |year: &str| page.find(&format!("<summary>{year} ")).expect(year);
    assert!(at("2024") < at("2021") && at("2021") < at("Undated"));
    for year in ["2024", "2021", "Undated"] {
        let id = if year == "Undated" {
            "y-undated".to_string()
        } else {
            format!("y-{year}")
        };
        assert!(
            page.contains(&format!("<details class=\"year\" id=\"{id}\" open>")),
            "{year} is not open, or not the target of its bar"
        );
    }
    assert!(page.contains("<a href=\"#y-undated\">1 undated</a>"));
}

/// A host heard in every one of `episodes` episodes of two shows over fifteen years, with one
/// of forty guests and a regular co-host; one episode in a hundred has no date.
fn one_host(episodes: usize) -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"One host\"\nbase_url = \"https://host.example/\"\nsearch = false\n\
         [transcripts]\nformats = []\n",
    );
    for show in ["daily", "weekend"] {
        site.write(
            &format!("content/{show}/_index.md"),
            format!("---\ntitle: The {show} show\n---\n"),
        );
    }
    for n in 0..episodes {
        let show = if n % 5 == 0 { "weekend" } else { "daily" };
        let date = match n % 100 {
            99 => String::new(),
            _ => format!(
                "date: {}-{:02}-{:02}\n",
                2010 + n * 15 / episodes,
                n % 12 + 1,
                n % 28 + 1
            ),
        };
        let guest = format!("Pat Visitor{:02}", n % 40);
        let front = format!(
            "title: Episode {n} on the harbour\n{date}description: The host and a guest talk \
             about wooden hulls, tides and the old harbour wall.\nspeakers: [{{name: Ann Host, \
             role: host}}, {{name: {guest}, role: guest}}, Bob Regular]"
        );
        let body = format!(
            "**Ann Host:** Welcome back. Today we walk along the harbour wall and ask what the \
             tides have taken from the town, and what carpenters still know about caulking.\n\n\
             **{guest}:** My grandfather built boats here.\n\n**Bob Regular:** Mine sailed them.\n"
        );
        site.write(
            &format!("content/{show}/e{n:05}.md"),
            episode(&front, &body),
        );
    }
    site.built();
    site
}

/// `href` as a path in the site, read from the page at `page` (`speakers/x/page/2/`), without
/// its fragment.
fn resolve(page: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    if href.is_empty() {
        return page.to_string();
    }
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            part => parts.push(part),
        }
    }
    let path = parts.join("/");
    if href.ends_with('/') {
        format!("{path}/")
    } else {
        path
    }
}

/// Every value of `attribute="…"` that follows `marker` in `html`.
fn hrefs_after<'h>(html: &'h str, marker: &str) -> Vec<&'h str> {
    html.split(marker)
        .skip(1)
        .filter_map(|rest| rest.split("href=\"").nth(1)?.split('"').next())
        .collect()
}

// Issue 25: a host heard in 5,000 episodes had one speaker page of 4.4 MB, every appearance in
// full. Their appearances go 100 to a page now, newest first, on `speakers/<slug>/page/N/`:
// every page stays small, each appearance is on exactly one of them, and each bar of the chart,
// on every page, leads to a page that has its year.
#[test]
fn a_host_of_5000_episodes_gets_pages_of_appearances_each_listing_each_once() {
    const EPISODES: usize = 5000;
    let site = one_host(EPISODES);
    let html: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    for file in &html {
        let bytes = std::fs::metadata(site.root().join("public").join(file)).map_or(0, |m| m.len());
        assert!(bytes < 300_000, "{file}: {bytes} bytes");
    }

    // The pages, first to last, by their "next" links.
    let mut pages = vec!["speakers/ann-host/".to_string()];
    while let Some(next) = hrefs_after(
        &site.page(&format!("{}index.html", pages[pages.len() - 1])),
        "class=\"page-next\" rel=\"next\"",
    )
    .first()
    .map(|href| resolve(pages.last().map_or("", |p| p.as_str()), href))
    {
        pages.push(next);
    }
    assert_eq!(pages.len(), 50);
    let written = html
        .iter()
        .filter(|f| f.starts_with("speakers/ann-host/"))
        .count();
    assert_eq!(written, pages.len(), "a page no link leads to");
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://host.example/speakers/ann-host/page/50/</loc>"));

    let mut listed = std::collections::BTreeMap::<String, usize>::new();
    let mut chart_links = 0;
    for page in &pages {
        let text = site.page(&format!("{page}index.html"));
        for href in hrefs_after(&text, "<p class=\"appearance-head\">") {
            *listed.entry(resolve(page, href)).or_default() += 1;
        }
        for href in hrefs_after(&text, "<li><a")
            .into_iter()
            .chain(hrefs_after(&text, "class=\"chart-summary\""))
            .filter(|href| href.contains("#y-"))
        {
            let (_, id) = href.split_once('#').unwrap_or_default();
            let target = site.page(&format!("{}index.html", resolve(page, href)));
            assert!(
                target.contains(&format!("id=\"{id}\"")),
                "{page}: {href} leads to no {id}"
            );
            chart_links += 1;
        }
    }
    // Fifteen years and the undated, on each of the 50 pages.
    assert_eq!(chart_links, 50 * 16);
    assert_eq!(listed.len(), EPISODES, "appearances missing");
    assert!(
        listed.values().all(|&n| n == 1),
        "an appearance listed twice"
    );
}
