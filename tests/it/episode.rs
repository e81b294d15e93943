//! The episode page: chapter times, the video an episode links, and who else to hear.

use crate::util::{episode, Site};

fn show(site: &Site) {
    site.write(
        "content/show/_index.md",
        "---\ntitle: The Show\n---\nA show.\n",
    );
}

// Issue 24: a chapter heading without a timestamp showed an empty time in the chapter list and
// no timestamp link, even when the first turn under it was timed (634 chapters of the
// bitcointranscripts corpus). A chapter with nothing timed under it stays without a time.
#[test]
fn a_chapter_takes_the_time_of_its_first_timed_turn() {
    let site = Site::new();
    show(&site);
    site.write(
        "content/show/chaptered.md",
        episode(
            "title: Chaptered",
            "## Opening\n\n**Ann:** Untimed.\n\n**Ann:** [00:01:05] Timed.\n\n## Untimed part\n\n**Ann:** Nothing here says when.\n",
        ),
    );
    site.built();
    let page = site.page("show/chaptered/index.html");
    assert!(
        page.contains(r##"<li><a href="#ch-opening" data-seconds="65.0"><span class="ts">01:05</span> <span class="toc-title">Opening</span></a></li>"##),
        "the chapter list gives the time:\n{page}"
    );
    assert!(
        page.contains(r##"<h2 class="chapter" id="ch-opening" data-seconds="65.0"><a class="ts" href="#ch-opening" data-seconds="65.0">01:05</a> Opening</h2>"##),
        "the heading gives it too:\n{page}"
    );
    assert!(
        page.contains(r#"<span class="ts"></span> <span class="toc-title">Untimed part</span>"#),
        "no time is made up:\n{page}"
    );
    assert!(page.contains(r#"<h2 class="chapter" id="ch-untimed-part">Untimed part</h2>"#));
}
