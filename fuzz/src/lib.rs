//! What each fuzz target does with one input: read it with Verbatim's own functions, check that
//! nothing panics, and check what is cheap to check of the result.
//!
//! The fuzz targets in `fuzz_targets/` call these, and so does the main crate's replay test
//! (`tests/it/fuzz_corpus.rs`, which includes this file), so that every input of
//! `corpus/<target>/` runs through exactly the same code under a plain `cargo test`. This file
//! must therefore use nothing but `verbatim` and the standard library.

use std::path::Path;

use verbatim::load::{self, SourceFile};
use verbatim::model::source::Sources;
use verbatim::model::transcript::{self, RawBlock};
use verbatim::model::{Afresh, Bodies, Classifier, Model, ModelOptions};
use verbatim::Diagnostic;

/// Where a front-matter input sits, picked by its first byte: where a file sits decides whether
/// it is read as an episode, a show or a speaker profile.
const SOURCE_PATHS: [&str; 4] = [
    "content/show/episode.md",
    "content/show/_index.md",
    "content/speakers/ann-lee.md",
    "content/show/2024/deep.md",
];

/// The file name an import input is read under, picked by its first byte: the extension breaks
/// ties between formats.
const IMPORT_NAMES: [&str; 5] = [
    "transcript.vtt",
    "transcript.srt",
    "transcript.json",
    "transcript.txt",
    "transcript",
];

/// An episode, show or profile file: split, front matter parsed, then built into a model with a
/// show for it to belong to.
pub fn front_matter(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let relative = Path::new(SOURCE_PATHS[usize::from(pick) % SOURCE_PATHS.len()]);
    let (loaded, diagnostics) = load::parse_source(relative, bytes);
    let text = String::from_utf8_lossy(bytes);
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic.path, relative, "{diagnostic}");
        assert_points_into(diagnostic, &text);
    }
    let Some(loaded) = loaded else {
        return;
    };
    let mut sources = Sources::default();
    let show = Path::new(SOURCE_PATHS[1]);
    if let (Some(SourceFile::Show(home)), _) =
        load::parse_source(show, b"---\ntitle: The Show\n---\n")
    {
        sources.shows.push(*home);
    }
    match loaded {
        SourceFile::Episode(episode) => sources.episodes.push(*episode),
        SourceFile::Show(show) => sources.shows = vec![*show],
        SourceFile::Profile(profile) => sources.profiles.push(*profile),
    }
    let classifier = Classifier::new(&[], &[]);
    let options = ModelOptions {
        drafts: true,
        classifier: &classifier,
        reserved: &[],
        infer: true,
        bodies: Bodies::Held,
    };
    let (model, _) = Model::new(sources, &Afresh, &options);
    let _ = model.archive();
}

/// A transcript body (the Markdown after the front matter) split into turns, chapters and prose.
pub fn transcript(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    const FIRST_LINE: usize = 5;
    let last_line = FIRST_LINE + body.matches('\n').count();
    // Plain `Name:` labels count only for declared names: declare some, so both ways are taken.
    let is_declared = |name: &str| name.len().is_multiple_of(2);
    let parsed = transcript::read(body, FIRST_LINE, &is_declared);
    // A timestamp that is no time (`[00:00:60] **Ann:**`) stays in its turn, unescaped and
    // after the label: every word of a turn comes from the body, though not always in one run.
    let unescaped = body.replace("\\[", "[").replace("\\]", "]");
    for block in &parsed.blocks {
        let line = match block {
            RawBlock::Turn {
                label, text, line, ..
            } => {
                assert!(
                    !label.trim().is_empty(),
                    "a turn without a speaker: {block:?}"
                );
                for piece in text.split('\n') {
                    let from_body = body.contains(piece)
                        || piece
                            .split_whitespace()
                            .all(|word| unescaped.contains(word));
                    assert!(from_body, "{piece:?} is not in the body");
                }
                *line
            }
            RawBlock::Chapter { line, .. } | RawBlock::Prose { line, .. } => *line,
        };
        assert!((FIRST_LINE..=last_line).contains(&line), "{block:?}");
    }
    for plain in &parsed.plain {
        transcript::word_count(plain);
    }
}

/// A transcript file of another format, read as `verbatim import` and an episode's
/// `transcript:` field read it.
pub fn import(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let path = Path::new(IMPORT_NAMES[usize::from(pick) % IMPORT_NAMES.len()]);
    let imported = match verbatim::import::read(path, bytes) {
        Ok(imported) => imported,
        Err(diagnostic) => {
            assert_points_into(&diagnostic, &String::from_utf8_lossy(bytes));
            return;
        }
    };
    let times = imported.cues.iter().flat_map(|cue| [cue.start, cue.end]);
    for time in times.chain([imported.duration]).flatten() {
        assert!(time.is_finite(), "a time of {time} seconds");
    }
    verbatim::import::merge(&imported.cues);
    let body = verbatim::import::transcript_body(path, bytes)
        .expect("a file read once reads again the same");
    transcript::read(&body, 1, &|_| true);
}

/// The text of a `site.toml`.
pub fn site_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match verbatim::Config::parse(text) {
        Ok(config) => {
            let base_path = config.base_path();
            assert!(
                base_path.starts_with('/') && base_path.ends_with('/'),
                "{base_path:?}"
            );
            config.origin();
            config.absolute_base();
        }
        Err(diagnostic) => assert_points_into(&diagnostic, text),
    }
}

/// A diagnostic's line is a line of the file it names: errors point where the editor can jump.
fn assert_points_into(diagnostic: &Diagnostic, text: &str) {
    if let Some(line) = diagnostic.line {
        let lines = text.matches('\n').count() + 1;
        assert!(
            (1..=lines).contains(&line),
            "{diagnostic} (the file has {lines} lines)"
        );
    }
}
