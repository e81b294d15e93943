//! The real transcripts in `../shared/corpus/`: every episode becomes a page, every speaker
//! with a turn gets a page, and no turn is lost between the files and the pages.

use std::path::{Path, PathBuf};

use verbatim::model::slug::slugify;
use verbatim::model::{EpisodeId, Voice};
use verbatim::pipeline::{self, BuildOptions};
use verbatim::render::{graph, transcripts, Quiet};

fn corpus(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: CI must have the shared corpus beside the repository",
        dir.display()
    );
    eprintln!("skipped: {} is not here", dir.display());
    None
}

/// `| turns | 51779 |` from the corpus's STATS.md: counted by the people who made it.
fn stated(dir: &Path, row: &str) -> usize {
    let stats = std::fs::read_to_string(dir.join("STATS.md")).unwrap();
    stats
        .lines()
        .find_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells.get(1) == Some(&row)).then(|| cells[2].parse().unwrap())
        })
        .unwrap_or_else(|| panic!("no `{row}` row in STATS.md"))
}

/// `known_extra`: labelled turns that STATS.md does not count, each one checked by hand.
fn builds_whole(name: &str, known_extra: usize) {
    let Some(dir) = corpus(name) else { return };
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        // Every transcript file of every episode, so that each is made from a real transcript.
        "title = \"Corpus\"\nbase_url = \"https://corpus.example/\"\n\
         [transcripts]\nformats = [\"vtt\", \"srt\", \"json\", \"txt\"]\nepisodes = \"all\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.join("content"), site.path().join("content")).unwrap();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        output: None,
        base_url: None,
        drafts: true,
        cache: true,
    };
    let report = pipeline::build(&options, &Quiet).unwrap_or_else(|e| panic!("{e}"));
    let public = site.path().join("public");

    let files = crate::util::episode_files(&dir.join("content"));
    assert_eq!(
        report.episodes,
        files.len(),
        "every episode file is an episode"
    );
    assert_eq!(report.episodes, stated(&dir, "episodes"));

    let config = pipeline::configure(&options).unwrap();
    let (archive, _) =
        pipeline::load_archive(site.path(), &config, true, &site.path().join("static")).unwrap();
    let turns_in: usize = archive
        .episodes
        .iter()
        .map(|e| archive.blocks(e).unwrap().turns().count())
        .sum();
    // STATS.md counts `**Name:**` labels. The contract also reads a plain `Name:` as a label
    // when the episode declares that name, and the corpora have a few of those left as
    // written (`Audience member: …`), so those are counted apart.
    let bold_turns: usize = archive
        .episodes
        .iter()
        .map(|e| {
            let text = std::fs::read_to_string(site.path().join(&e.path)).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            archive
                .blocks(e)
                .unwrap()
                .turns()
                .filter(|t| {
                    let line = lines[t.line - 1].trim_start_matches('\\');
                    line.starts_with("**") || line.starts_with('[')
                })
                .count()
        })
        .sum();
    assert_eq!(
        bold_turns,
        stated(&dir, "turns") + known_extra,
        "every labelled turn of the corpus is read"
    );
    // bitcointranscripts now declares `0xB10C`, whose 48 turns in one episode are written in
    // the plain form (`0xB10C: 00:14:27 …`); about twenty others are `Audience member:` and the
    // like.
    assert!(
        turns_in - bold_turns < 80,
        "{} plain-form turns",
        turns_in - bold_turns
    );

    let mut turns_rendered = 0;
    for (id, episode) in archive.episodes.iter().enumerate() {
        let show = &archive.shows[episode.show].slug;
        let page =
            std::fs::read_to_string(public.join(show).join(&episode.slug).join("index.html"))
                .unwrap_or_else(|e| panic!("{}: no page: {e}", episode.path.display()));
        for turn in archive.blocks(episode).unwrap().turns() {
            assert!(
                page.contains(&format!("id=\"{}\"", turn.anchor)),
                "{}:{}: turn {} is not on its page",
                episode.path.display(),
                turn.line,
                turn.anchor
            );
        }
        turns_rendered += page.matches(" id=\"t-").count();
        // Feeds and pages link the files the page graph names without writing them: it must
        // name exactly the files the build wrote.
        let folder = public.join(show).join(&episode.slug);
        let written: Vec<&str> = transcripts::FILE_NAMES
            .into_iter()
            .filter(|name| folder.join(name).is_file())
            .collect();
        assert_eq!(
            written,
            graph::transcript_files(&archive, &config, EpisodeId::new(id)),
            "{}: the transcript files feeds link to",
            episode.path.display()
        );
    }
    assert_eq!(turns_rendered, turns_in, "turns rendered = turns read");

    let mut speakers_with_turns = 0;
    for speaker in &archive.speakers {
        if speaker.turns > 0 {
            speakers_with_turns += 1;
            assert!(public
                .join("speakers")
                .join(&speaker.slug)
                .join("index.html")
                .is_file());
        }
    }
    let transcripts: Vec<_> = archive
        .episodes
        .iter()
        .map(|e| archive.blocks(e).unwrap())
        .collect();
    let heard: std::collections::BTreeSet<&str> = transcripts
        .iter()
        .flat_map(|blocks| blocks.turns())
        .filter_map(|t| match &t.voice {
            Voice::Person(slug) => Some(&**slug),
            _ => None,
        })
        .collect();
    assert_eq!(heard.len(), speakers_with_turns);
    assert!(
        speakers_with_turns > 100,
        "{name}: only {speakers_with_turns} speakers"
    );
    assert!(
        !public.join("speakers").join(slugify("Break")).exists(),
        "markers get no page"
    );
    speaker_pages_are_people(&archive);
    every_full_name_keeps_its_own_page(&archive, site.path());
    if name == "bitcointranscripts" {
        stephan_livera_has_one_page(&archive, &public);
    }
}

/// Capital initials (`MF`, `AvW`): a label, not a person.
fn is_initials(name: &str) -> bool {
    let initials = regex::Regex::new(r"^\p{Lu}(?:\p{Ll}?\p{Lu}){0,3}$").unwrap();
    name.chars().count() <= 4 && initials.is_match(name)
}

/// Roles and positions the issue names: never one person across episodes.
fn is_role(name: &str) -> bool {
    let role = regex::Regex::new(
        r"(?i)^(?:hosts?|(?:q&a )?moderator|interviewer|new speaker|unknown|unidentified|voice|man|woman|male speaker|(?:panell?ist|participant|person) ?\d*|\d+(?:st|nd|rd|th) person)$",
    )
    .unwrap();
    role.is_match(name.trim())
}

/// A first build once gave 84 pages to bare initials, 39 to `Full Name (XX)` forms and one
/// site-wide "person" each to `Host`, `Moderator` and `New Speaker`. None is left, except a
/// page a profile makes on purpose.
fn speaker_pages_are_people(archive: &verbatim::model::Archive) {
    let bracketed = regex::Regex::new(r"\s[(\[]\p{Lu}(?:\p{Ll}?\p{Lu}){0,3}[)\]]$").unwrap();
    let mut bad: Vec<(&str, &str)> = Vec::new();
    for speaker in archive.speakers.iter().filter(|s| s.profile.is_none()) {
        let name = speaker.name.as_str();
        if is_initials(name) {
            bad.push(("initials", name));
        } else if bracketed.is_match(name) {
            bad.push(("name (initials)", name));
        } else if is_role(name) {
            bad.push(("role", name));
        }
    }
    assert!(
        bad.is_empty(),
        "speaker pages that are no one person: {bad:?}"
    );
}

/// Resolving labels must not lose a real person or merge two: every full name written as a
/// label (`**Michael Flaxman:**`, or `**Michael Flaxman (MF):**`) still has a page of its own.
fn every_full_name_keeps_its_own_page(archive: &verbatim::model::Archive, root: &Path) {
    use verbatim::model::slug::name_key;
    let label =
        regex::Regex::new(r"^\*\*([^*:\n]{1,100}?)\s*(?:\([^()]*\)|\[[^\[\]]*\])?\s*:?\*\*")
            .unwrap();
    let pages: std::collections::HashSet<String> =
        archive.speakers.iter().map(|s| name_key(&s.name)).collect();
    let mut missing = std::collections::BTreeSet::new();
    for episode in &archive.episodes {
        let text = std::fs::read_to_string(root.join(&episode.path)).unwrap();
        for turn in archive.blocks(episode).unwrap().turns() {
            let line = text.lines().nth(turn.line - 1).unwrap_or_default();
            let Some(c) = label.captures(line.trim_start_matches('\\')) else {
                continue;
            };
            let name = c[1].trim();
            let words = name.split_whitespace().count();
            if words >= 2 && !is_role(name) && !name.chars().any(|c| c.is_ascii_digit()) {
                if !matches!(turn.voice, Voice::Person(_)) {
                    continue;
                }
                if !pages.contains(&name_key(name)) {
                    missing.insert(name.to_string());
                }
            }
        }
    }
    assert!(missing.is_empty(), "full names without a page: {missing:?}");
}

/// `Stephan Livera` had four pages: `Stephan Livera`, `Stephan Livera (SL)`, `SL` and
/// `Stephan`. In every episode that names him, each of those labels is him, on one page.
fn stephan_livera_has_one_page(archive: &verbatim::model::Archive, public: &Path) {
    const HIS: [&str; 4] = ["Stephan Livera", "Stephan Livera (SL)", "SL", "Stephan"];
    let page = std::fs::read_to_string(public.join("speakers/stephan-livera/index.html"))
        .expect("his page");
    let mut checked = 0;
    for episode in &archive.episodes {
        let blocks = archive.blocks(episode).unwrap();
        let names_him = episode
            .credits
            .iter()
            .any(|c| c.name.starts_with("Stephan Livera"))
            || blocks
                .turns()
                .any(|t| t.label.starts_with("Stephan Livera"));
        let he_speaks = blocks.turns().any(|t| {
            HIS.contains(&t.label.as_str())
                || archive
                    .speaker(&t.voice)
                    .is_some_and(|(_, s)| HIS.contains(&s.name.as_str()))
        });
        if !(names_him && he_speaks) {
            continue;
        }
        let show = &archive.shows[episode.show].slug;
        let link = format!("{show}/{}/\"", episode.slug);
        assert!(
            page.contains(&link),
            "{}: he speaks there but his page does not list it",
            episode.path.display()
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} of his episodes");
    for other in ["stephan-livera-sl", "sl"] {
        assert!(
            !public.join("speakers").join(other).exists(),
            "/speakers/{other}/ is still a page"
        );
    }
}

#[test]
fn the_changelog_corpus_builds_whole() {
    builds_whole("changelog", 0);
}

#[test]
fn the_bitcoin_transcripts_corpus_builds_whole() {
    // tabconf/2022/how-to-become-signet-rich…md:102 `**Previous asker**: Who wants the
    // microphone?` is a turn in the `**Name**:` form, but its label is missing from the
    // converter's speaker list and so from STATS.md's count.
    builds_whole("bitcointranscripts", 1);
}

/// Every Markdown file of corpus `name`, its path and text, if the corpus is here.
fn transcripts(name: &str) -> Option<Vec<(PathBuf, String)>> {
    let dir = corpus(name)?;
    let files = walkdir::WalkDir::new(dir.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "md"))
        .map(|entry| {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            (entry.into_path(), text)
        });
    Some(files.collect())
}

/// A turn's HTML is what the parser writes, whether or not it took the shortcut for plain
/// paragraphs: held on every turn of the corpora, most of which take it.
#[test]
fn every_turns_html_is_the_parsers() {
    use verbatim::model::transcript::{read, RawBlock};
    use verbatim::render::markdown::{parsed_to_html, to_html, MarkdownOptions};
    for name in ["changelog", "bitcointranscripts"] {
        let (mut turns, mut plain) = (0, 0);
        let Some(files) = transcripts(name) else {
            continue;
        };
        for (path, text) in files {
            let parsed = read(&text, 1, &|_| true);
            for block in &parsed.blocks {
                let RawBlock::Turn { text, .. } = block else {
                    continue;
                };
                for options in [false, true].map(|allow_html| MarkdownOptions { allow_html }) {
                    let html = to_html(text, options);
                    assert_eq!(html, parsed_to_html(text, options), "{}", path.display());
                    turns += 1;
                    plain += usize::from(html == format!("<p>{}</p>\n", text));
                }
            }
        }
        assert!(turns > 1000, "{name}: only {turns} turns read");
        assert!(plain > turns / 4, "{name}: {plain} of {turns} plain");
    }
}

/// A turn's plain text comes from the parse of its whole transcript where that parse gives
/// what its words parsed alone would: held to the second on every transcript of the corpora.
#[test]
fn every_turns_plain_text_is_its_words_parsed_alone() {
    use verbatim::model::transcript::{read, to_plain_text, RawBlock};
    for name in ["changelog", "bitcointranscripts"] {
        let mut turns = 0;
        let Some(files) = transcripts(name) else {
            continue;
        };
        for (path, text) in files {
            // Labels read as people's, and as no one's: the two cut turns differently.
            for declared in [true, false] {
                let parsed = read(&text, 1, &|_| declared);
                let texts = parsed.blocks.iter().filter_map(|block| match block {
                    RawBlock::Turn { text, .. } => Some(text),
                    _ => None,
                });
                for (words, plain) in texts.zip(&parsed.plain) {
                    assert_eq!(plain, &to_plain_text(words), "{}", path.display());
                    turns += 1;
                }
            }
        }
        assert!(turns > 1000, "{name}: only {turns} turns read");
    }
}
