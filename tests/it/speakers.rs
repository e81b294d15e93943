//! Who a label is: within one episode, a label resolves to the person that episode names.

use std::process::Command;

use crate::util::{episode, Site};

const SHOW: &str = "---\ntitle: The Show\n---\n";

/// Stephan Livera wrote as `Stephan Livera (SL)`, `SL` and `Stephan`; Michael Flaxman as `MF`;
/// and a `Moderator` listed under `speakers`.
const ONE: &str = "**Stephan Livera (SL):** Welcome.\n\n**SL:** Again.\n\n**Stephan:** Me.\n\n**MF:** Thanks.\n\n**Moderator:** Next question.\n\n**NVK:** Hi.\n";

/// Two Michaels, so neither `Michael` nor `MF` can be told apart.
const TWO: &str = "**Michael:** One.\n\n**MF:** Two.\n\n**Michael Folkson:** Three.\n";

fn site(settings: &str) -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        format!("title = \"Test archive\"\nbase_url = \"https://test.example/\"\n{settings}"),
    );
    site.write("content/show/_index.md", SHOW);
    site.write(
        "content/show/one.md",
        episode(
            "title: One\ndate: 2024-01-02\nspeakers: [Stephan Livera, Michael Flaxman, Moderator, Quiet Guest]",
            ONE,
        ),
    );
    site.write(
        "content/show/two.md",
        episode(
            "title: Two\ndate: 2024-01-03\nspeakers: [Michael Flaxman, Michael Folkson]",
            TWO,
        ),
    );
    site
}

fn speaker_pages(site: &Site) -> Vec<String> {
    let mut pages: Vec<String> = site
        .output_files()
        .into_iter()
        .filter_map(|f| {
            let rest = f.strip_prefix("speakers/")?.strip_suffix("/index.html")?;
            Some(rest.to_string())
        })
        .collect();
    pages.sort();
    pages
}

fn check_speakers(site: &Site, json: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verbatim"));
    command
        .arg("--root")
        .arg(site.root())
        .arg("check")
        .arg("--speakers");
    if json {
        command.args(["--format", "json"]);
    }
    let output = command.output().expect("run verbatim check --speakers");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A first build once gave Stephan Livera four pages (`stephan-livera`, `stephan-livera-sl`,
/// `sl`, `stephan`), `MF` a page of its own shared by two men, and `Moderator` a site-wide
/// page. Every label here is resolved within its episode, and only there.
#[test]
fn labels_resolve_to_the_person_their_episode_names() {
    let site = site("");
    site.built();
    assert_eq!(
        speaker_pages(&site),
        [
            "michael",
            "michael-flaxman",
            "michael-folkson",
            "quiet-guest",
            "stephan-livera"
        ]
    );
    let page = site.page("show/one/index.html");
    let linked = "<a class=\"speaker\" href=\"../../speakers/stephan-livera/\">Stephan Livera</a>";
    assert_eq!(page.matches(linked).count(), 3, "{page}");
    assert!(page.contains("speakers/michael-flaxman/\">Michael Flaxman</a>"));
    assert!(
        page.contains(">NVK<"),
        "local initials are shown as written"
    );
    let stephan = site.page("speakers/stephan-livera/index.html");
    assert!(
        stephan.contains("<dt>Turns</dt><dd>3</dd>"),
        "his three labels are one person's three turns: {stephan}"
    );
}

/// Rule 6: listed under `speakers`, never heard, still on their page, and marked so.
#[test]
fn a_listed_person_who_never_speaks_is_marked_listed_not_heard() {
    let site = site("");
    site.built();
    let quiet = site.page("speakers/quiet-guest/index.html");
    assert!(quiet.contains("listed, not heard"), "{quiet}");
    assert!(quiet.contains("show/one/"), "{quiet}");
    let stephan = site.page("speakers/stephan-livera/index.html");
    assert!(!stephan.contains("listed, not heard"));
}

#[test]
fn check_speakers_lists_every_label_with_its_rule() {
    let site = site("");
    insta::assert_snapshot!(check_speakers(&site, false));
    let json: serde_json::Value = serde_json::from_str(&check_speakers(&site, true)).unwrap();
    let first = &json["labels"][0];
    assert_eq!(first["label"], "Stephan Livera (SL)");
    assert_eq!(first["name"], "Stephan Livera");
    assert_eq!(first["rule"], "full-name-initials");
    assert_eq!(first["page"], "speakers/stephan-livera/");
    assert_eq!(json["pages"]["initials"], 0);
}

/// `[speakers] infer = false`: labels are taken as written; initials still stay local.
#[test]
fn infer_off_takes_labels_as_written() {
    let site = site("[speakers]\ninfer = false\nroles = [\"quiet guest\"]\n");
    site.built();
    let pages = speaker_pages(&site);
    for expected in ["stephan", "stephan-livera", "stephan-livera-sl"] {
        assert!(pages.iter().any(|p| p == expected), "{pages:?}");
    }
    assert!(!pages.iter().any(|p| p == "sl" || p == "mf"), "{pages:?}");
    assert!(
        !pages.iter().any(|p| p == "quiet-guest"),
        "a site role: {pages:?}"
    );
}
