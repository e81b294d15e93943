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
