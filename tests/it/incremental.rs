//! `serve` rebuilds only what an edit touches; the pages must still be exactly those of a
//! full build of the same files. Each test edits the example archive one way, applies the
//! change to a running session, and compares every page with a fresh build.

use std::path::PathBuf;

use verbatim::pipeline::BuildOptions;
use verbatim::serve::session::Session;

use crate::util::Site;

fn options(site: &Site) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
        cache: false,
    }
}

/// Applies `edit` to a running session and checks the result against a full build.
fn same_as_full_build(edit: impl FnOnce(&Site) -> Vec<&'static str>, expected_kind: &str) {
    let site = Site::example();
    let mut session = Session::start(options(&site)).expect("first build");
    let changed: Vec<PathBuf> = edit(&site).into_iter().map(PathBuf::from).collect();
    let rebuilt = session
        .apply(&changed)
        .expect("rebuild")
        .expect("something to rebuild");
    assert_eq!(rebuilt.kind, expected_kind);
    session.reindex().expect("search index");
    let fresh = Session::start(options(&site)).expect("full build");
    let (incremental, full) = (session.pages(), fresh.pages());
    let mut missing: Vec<&String> = full
        .keys()
        .filter(|k| !incremental.contains_key(*k))
        .collect();
    // Beside the new index, the one it replaced is served until the next edit.
    let mut extra: Vec<&String> = incremental
        .keys()
        .filter(|k| !full.contains_key(*k) && !session.replaced_index().contains(*k))
        .collect();
    missing.sort();
    extra.sort();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, stale {extra:?}"
    );
    let mut differ: Vec<&String> = full
        .keys()
        .filter(|k| full[*k] != incremental[*k])
        .collect();
    differ.sort();
    assert!(
        differ.is_empty(),
        "pages differ from a full build: {differ:?}"
    );
}

const EPISODE: &str = "content/the-long-memory/hot-metal.md";

fn rewrite(site: &Site, path: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    site.write(path, text.replacen(from, to, 1));
}

#[test]
fn editing_what_someone_said() {
    same_as_full_build(
        |site| {
            rewrite(
                site,
                EPISODE,
                "Twelve machines in one room",
                "Thirteen machines in one room",
            );
            vec![EPISODE]
        },
        "episodes",
    );
}

#[test]
fn retitling_an_episode_changes_its_neighbours_links() {
    same_as_full_build(
        |site| {
            rewrite(site, EPISODE, "title: \"Hot Metal", "title: \"Cold Metal");
            vec![EPISODE]
        },
        "episodes",
    );
}

#[test]
fn redating_an_episode_reorders_its_show() {
    same_as_full_build(
        |site| {
            rewrite(site, EPISODE, "date: 2021-06-02", "date: 2025-12-24");
            vec![EPISODE]
        },
        "episodes",
    );
}

#[test]
fn a_new_voice_in_an_episode() {
    same_as_full_build(
        |site| {
            let text = std::fs::read_to_string(site.root().join(EPISODE)).unwrap();
            site.write(EPISODE, format!("{text}\n**Nadia Brook:** A new voice.\n"));
            vec![EPISODE]
        },
        "episodes",
    );
}

#[test]
fn a_new_and_a_deleted_episode() {
    same_as_full_build(
        |site| {
            std::fs::remove_file(
                site.root()
                    .join("content/the-long-memory/magnetic-decay.md"),
            )
            .unwrap();
            site.write(
                "content/the-long-memory/new-one.md",
                "---\ntitle: A new one\ndate: 2025-01-01\ntags: [archives]\nspeakers: [Søren Åberg]\n---\n**Søren Åberg:** Hello again.\n",
            );
            vec![
                "content/the-long-memory/magnetic-decay.md",
                "content/the-long-memory/new-one.md",
            ]
        },
        "episodes",
    );
}

#[test]
fn a_template_edit() {
    same_as_full_build(
        |site| {
            site.write(
                "templates/tags.html",
                "{% extends \"base.html\" %}{% block content %}<p>topics</p>{% endblock content %}",
            );
            vec!["templates/tags.html"]
        },
        "templates",
    );
}

#[test]
fn a_profile_edit_rebuilds_everything() {
    same_as_full_build(
        |site| {
            rewrite(
                site,
                "content/speakers/soren-aberg.md",
                "name: Søren Åberg",
                "name: Søren Å. Åberg",
            );
            vec!["content/speakers/soren-aberg.md"]
        },
        "full",
    );
}

#[test]
fn editing_a_caption_file_rebuilds_the_episode_that_reads_it() {
    let site = Site::example();
    let caption = "content/signal-and-noise/captioned.vtt";
    let said = |words: &str| format!("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann Lee>{words}\n");
    site.write(caption, said("First words."));
    site.write(
        "content/signal-and-noise/captioned.md",
        "---\ntitle: Captioned\ntranscript: captioned.vtt\n---\n",
    );
    let mut session = Session::start(options(&site)).expect("first build");
    site.write(caption, said("Second words."));
    let rebuilt = session
        .apply(&[PathBuf::from(caption)])
        .expect("rebuild")
        .expect("something to rebuild");
    assert_eq!(rebuilt.kind, "full");
    let pages = session.pages();
    let page = String::from_utf8_lossy(&pages["signal-and-noise/captioned/index.html"]);
    assert!(page.contains("Second words."), "{page}");
}

/// `serve` builds the search index on another thread while edits go on: an index built from
/// an older edit must never replace one built from a newer edit.
#[test]
fn a_search_index_from_an_older_edit_never_replaces_a_newer_one() {
    let site = Site::example();
    let mut session = Session::start(options(&site)).expect("first build");
    assert!(session.stale_index().is_none(), "the first build made it");
    let edit = |session: &mut Session, from: &str, to: &str| {
        rewrite(&site, EPISODE, from, to);
        session.apply(&[PathBuf::from(EPISODE)]).unwrap().unwrap();
    };
    edit(&mut session, "in one room", "in one big room");
    let older = session.stale_index().expect("the edit made it stale");
    edit(&mut session, "in one big room", "in one bigger room");
    let newer = session.stale_index().expect("stale again");

    session.install_index(&newer, newer.build().unwrap());
    assert!(session.stale_index().is_none());
    let served = session.pages();
    session.install_index(&older, older.build().unwrap());
    assert!(
        std::sync::Arc::ptr_eq(&served, &session.pages()),
        "the older index replaced the newer one"
    );
}

/// A search page opened before `serve` swapped in a new index asks for the files that its copy
/// of Pagefind's entry file names: they stay served until the next edit reloads the page.
#[test]
fn a_replaced_search_index_is_served_until_the_next_edit() {
    let site = Site::example();
    let mut session = Session::start(options(&site)).expect("first build");
    let before = session.pages();
    rewrite(&site, EPISODE, "in one room", "in one big room");
    session.apply(&[PathBuf::from(EPISODE)]).unwrap().unwrap();
    session.reindex().expect("search index");

    let replaced = session.replaced_index().clone();
    assert!(
        !replaced.is_empty(),
        "the edit changed no file of the index"
    );
    let served = session.pages();
    for file in &replaced {
        assert!(
            before.contains_key(file),
            "{file} is not of the first index"
        );
        assert_eq!(
            served.get(file),
            before.get(file),
            "{file} not served as it was"
        );
    }
    let entry = "pagefind/pagefind-entry.json";
    assert_ne!(served[entry], before[entry], "the new index is not served");

    rewrite(&site, EPISODE, "in one big room", "in one bigger room");
    session.apply(&[PathBuf::from(EPISODE)]).unwrap().unwrap();
    assert!(session.replaced_index().is_empty());
    let served = session.pages();
    let kept: Vec<&String> = replaced
        .iter()
        .filter(|f| served.contains_key(*f))
        .collect();
    assert!(
        kept.is_empty(),
        "files of the replaced index still served: {kept:?}"
    );
    assert!(served.contains_key(entry));
}
