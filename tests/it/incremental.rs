//! `serve` rebuilds only what an edit touches; the pages must still be exactly those of a
//! full build of the same files. Each test edits the example archive one way, applies the
//! change to a running session, and compares every page with a fresh build.

use std::path::PathBuf;
use std::sync::Arc;

use verbatim::serve::session::{Pages, Session};

use crate::util::Site;

/// Applies `edit` to a running session and checks the result against a full build.
fn same_as_full_build(edit: impl FnOnce(&Site) -> Vec<&'static str>, expected_kind: &str) {
    same_as_full_build_of(Site::example(), edit, expected_kind);
}

/// [`same_as_full_build`], on a given site.
fn same_as_full_build_of(
    site: Site,
    edit: impl FnOnce(&Site) -> Vec<&'static str>,
    expected_kind: &str,
) {
    let mut session = Session::start(site.options_without_cache()).expect("first build");
    let changed: Vec<PathBuf> = edit(&site).into_iter().map(PathBuf::from).collect();
    let rebuilt = session
        .apply(&changed)
        .expect("rebuild")
        .expect("something to rebuild");
    assert_eq!(rebuilt.kind, expected_kind);
    session.reindex().expect("search index");
    let fresh = Session::start(site.options_without_cache()).expect("full build");
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
    let mut session = Session::start(site.options_without_cache()).expect("first build");
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
    let mut session = Session::start(site.options_without_cache()).expect("first build");
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
    let mut session = Session::start(site.options_without_cache()).expect("first build");
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

// Issue 23: `serve` guessed which pages an edit touched. A turn by someone the archive knows,
// new to an episode on its show's second page, changed that show's first page too (its "Heard
// most often" counts the episodes of the whole show), which the guess left stale.
#[test]
fn a_turn_on_a_shows_second_page_updates_its_first_page() {
    let site = Site::example();
    // Hot Metal is the third newest of its show: on the second page, two episodes a page.
    rewrite(&site, "site.toml", "paginate_by = 5", "paginate_by = 2");
    same_as_full_build_of(
        site,
        |site| {
            let text = std::fs::read_to_string(site.root().join(EPISODE)).unwrap();
            site.write(EPISODE, format!("{text}\n**Priya Raghunathan:** A word.\n"));
            vec![EPISODE]
        },
        "episodes",
    );
}

/// Starts a session and applies one edit; returns the session, the kind of rebuild, and the
/// files served before the edit.
fn session_after(
    site: &Site,
    edit: impl FnOnce(&Site) -> &'static str,
) -> (Session, &'static str, Pages) {
    let mut session = Session::start(site.options_without_cache()).expect("first build");
    let before = Pages::clone(&session.pages());
    let changed = edit(site);
    let rebuilt = session
        .apply(&[PathBuf::from(changed)])
        .expect("rebuild")
        .expect("something to rebuild");
    (session, rebuilt.kind, before)
}

/// The files served as they were, not made again: same content, and the very same bytes.
fn remade(session: &Session, before: &Pages, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let after = session.pages();
    let mut remade: Vec<String> = before
        .iter()
        .filter(|(file, _)| wanted(file))
        .filter(|(file, bytes)| !after.get(*file).is_some_and(|now| Arc::ptr_eq(now, bytes)))
        .map(|(file, _)| file.clone())
        .collect();
    remade.sort();
    remade
}

// Issue 23: a template edit rebuilt the search index, which is made from the archive alone.
#[test]
fn a_template_edit_keeps_the_search_index() {
    let site = Site::example();
    let (session, kind, before) = session_after(&site, |site| {
        site.write(
            "templates/tags.html",
            "{% extends \"base.html\" %}{% block content %}<p>topics</p>{% endblock content %}",
        );
        "templates/tags.html"
    });
    assert_eq!(kind, "templates");
    assert!(
        session.stale_index().is_none(),
        "the index was left to rebuild"
    );
    let index = remade(&session, &before, |file| file.starts_with("pagefind/"));
    assert!(index.is_empty(), "index files made again: {index:?}");
}

// Issue 23: a static file's edit rebuilt everything; it needs its files copied again, no more.
#[test]
fn a_static_file_edit_copies_static_files_only() {
    let site = Site::example();
    let (session, kind, before) = session_after(&site, |site| {
        site.write("themes/default/static/style.css", "body { color: teal }\n");
        "themes/default/static/style.css"
    });
    assert_eq!(kind, "static");
    assert_eq!(&*session.pages()["style.css"], b"body { color: teal }\n");
    assert!(
        session.stale_index().is_none(),
        "the index was left to rebuild"
    );
    let statics = [
        "style.css",
        "favicon.svg",
        "find.js",
        "search.js",
        "speakers.js",
        "transcript.js",
    ];
    let others = remade(&session, &before, |file| !statics.contains(&file));
    assert!(others.is_empty(), "made again: {others:?}");
}

#[test]
fn a_new_static_file_that_replaces_a_generated_one() {
    same_as_full_build(
        |site| {
            site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
            vec!["static/robots.txt"]
        },
        "full",
    );
}
