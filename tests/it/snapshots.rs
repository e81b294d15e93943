//! Rendered HTML pinned with insta: a change to the theme or the renderer shows up as a diff
//! to review (`cargo insta review`, or INSTA_UPDATE=always).

use crate::util::{episode, Site};

/// The `<main>` element of a page: the part the theme's content templates produce.
fn main_of(page: &str) -> String {
    let start = page.find("<main").expect("a <main>");
    let end = page.find("</main>").expect("a </main>") + "</main>".len();
    page[start..end].to_string()
}

#[test]
fn an_episode_page() {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: The Show\n---\n");
    site.write(
        "content/speakers/ann-lee.md",
        "---\nname: Ann Lee\naliases: [Ann]\n---\nAnn hosts the show.\n",
    );
    site.write(
        "content/show/first.md",
        episode(
            "title: The first one\ndate: 2024-05-01\nepisode: 1\nduration: \"10:00\"\nspeakers:\n  - {name: Ann Lee, role: host}\n  - {name: José Núñez, role: guest}\ntags: [radio]\nsource: https://example.org/src\nlicense: CC-BY-4.0",
            "We recorded this in the kitchen.\n\n## [00:00] Hello\n\n**Ann:** [00:00:05] Welcome, José.\n\n**José Núñez:** [00:00:09] Thanks.\n\nIt is good to be here.\n\n[00:04:00] **Break:**\n\n**Speaker 2:** A question from the floor.\n\n## Show notes\n\n```rust\nfn main() {}\n```\n",
        ),
    );
    site.built();
    insta::assert_snapshot!(main_of(&site.page("show/first/index.html")));
}

#[test]
fn a_speaker_page() {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: The Show\n---\n");
    for (n, date) in [(1, "2023-01-10"), (2, "2024-03-02"), (3, "2025-07-20")] {
        site.write(
            &format!("content/show/e{n}.md"),
            episode(
                &format!("title: Episode {n}\ndate: {date}"),
                "**Ann Lee:** [00:01:00] Something worth saying, at some length, so that the excerpt has words in it.\n\n**Bo:** Yes.\n",
            ),
        );
    }
    site.built();
    insta::assert_snapshot!(main_of(&site.page("speakers/ann-lee/index.html")));
}
