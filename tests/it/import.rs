//! `verbatim import`: every format into an episode file that loads and builds, word for word,
//! and the build's own transcript files back into the turns they were made from.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use verbatim::import::{self, ImportOptions, Written};
use verbatim::model::transcript::to_plain_text;
use verbatim::pipeline;
use verbatim::render::transcripts;

use crate::util::Site;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn into_show() -> ImportOptions {
    ImportOptions {
        show: "show".to_string(),
        ..ImportOptions::default()
    }
}

fn site() -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: The Show\n---\n");
    site
}

/// A site that writes transcript files for episodes without audio too, to read back what an
/// import turned into.
fn site_with_every_transcript() -> Site {
    let site = site();
    site.write(
        "site.toml",
        "title = \"Test archive\"\nbase_url = \"https://test.example/\"\n\
         [transcripts]\nepisodes = \"all\"\n",
    );
    site
}

/// Imports files into the site, every one of them expected to succeed.
fn imported(site: &Site, names: &[&str], options: &ImportOptions) -> Vec<Written> {
    let files: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    pipeline::import(site.root(), &files, options)
        .expect("a valid request")
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn episode_file(site: &Site, written: &Written) -> String {
    fs::read_to_string(site.root().join(&written.path)).expect("the episode file")
}

/// The words of an episode file's body, with the labels and timestamps the import added
/// taken out: what must equal the words of the cues.
fn body_words(episode: &str) -> usize {
    let label = Regex::new(r"^(\[[0-9:.]+\] )?\*\*[^*]+:\*\* ").expect("regex");
    let body = episode.splitn(3, "---\n").nth(2).expect("a body");
    body.split("\n\n")
        .map(|p| label.replace(p.trim(), "").split_whitespace().count())
        .sum()
}

/// The words of the cues a reader found: tags removed, repeats removed.
fn cue_words(name: &str) -> usize {
    let path = fixture(name);
    let read = import::read(&path, &fs::read(&path).expect("fixture")).expect("readable");
    read.cues
        .iter()
        .map(|c| c.text.split_whitespace().count())
        .sum()
}

/// Each fixture: its format, the words in its cues (counted by hand), and its turns.
const FORMATS: [(&str, &str, usize, usize); 11] = [
    ("voices.vtt", "WebVTT", 23, 4),
    ("prefixes.vtt", "WebVTT", 20, 2),
    ("diarized.vtt", "WebVTT", 12, 3),
    ("broadcast.vtt", "WebVTT", 23, 3),
    ("youtube.vtt", "WebVTT", 13, 1),
    ("interview.srt", "SRT", 28, 3),
    ("whisper.json", "Whisper JSON", 14, 1),
    ("whisperx.json", "WhisperX JSON", 20, 3),
    ("podcasting.json", "Podcasting 2.0 JSON", 13, 2),
    ("otter.txt", "Otter text", 23, 3),
    ("plain.txt", "plain text", 15, 3),
];

#[test]
fn every_format_imports_word_for_word_and_builds() {
    let site = site();
    let names: Vec<&str> = FORMATS.iter().map(|f| f.0).collect();
    let written = imported(&site, &names, &into_show());
    for ((name, format, words, turns), written) in FORMATS.iter().zip(&written) {
        let text = episode_file(&site, written);
        assert_eq!(cue_words(name), *words, "{name}: words in");
        assert_eq!(body_words(&text), *words, "{name}: words out\n{text}");
        assert_eq!(written.words, *words, "{name}: words reported");
        assert_eq!(written.turns, *turns, "{name}: turns\n{text}");
        assert_eq!(written.format.to_string(), *format, "{name}");
        insta::assert_snapshot!(name.replace('.', "_"), text);
    }
    let report = site.built();
    assert_eq!(report.episodes, FORMATS.len());
    assert!(site.exists("show/voices/index.html"));
    assert!(site
        .page("show/interview/index.html")
        .contains("So signal &lt; noise?"));
}

#[test]
fn the_report_line_names_the_file_its_turns_words_and_format() {
    let site = site();
    let written = imported(&site, &["voices.vtt"], &into_show());
    assert_eq!(
        written[0].to_string(),
        "content/show/voices.md: 4 turns, 23 words from voices.vtt (WebVTT)"
    );
}

#[test]
fn youtube_rolling_captions_keep_each_word_once() {
    let site = site();
    let written = imported(&site, &["youtube.vtt"], &into_show());
    let text = episode_file(&site, &written[0]);
    assert!(
        text.ends_with(
            "\n\nhello everyone and welcome to the workshop today we will build a radio\n"
        ),
        "{text}"
    );
}

#[test]
fn mapped_labels_become_a_speaker_map_and_credits() {
    let site = site();
    let options = ImportOptions {
        speakers: vec![
            ("SPEAKER_00".to_string(), "Ann Lee".to_string()),
            ("speaker_01".to_string(), "Bo Diaz".to_string()),
            ("SPEAKER_09".to_string(), "Nobody Here".to_string()),
        ],
        ..into_show()
    };
    let written = imported(&site, &["whisperx.json"], &options);
    let text = episode_file(&site, &written[0]);
    assert!(
        text.contains(
            "speakers:\n  - \"Ann Lee\"\n  - \"Bo Diaz\"\nspeaker_map:\n  \"SPEAKER_00\": \"Ann Lee\"\n  \"SPEAKER_01\": \"Bo Diaz\"\n"
        ),
        "{text}"
    );
    assert!(!text.contains("Nobody"), "{text}");
    site.built();
    let page = site.page("show/whisperx/index.html");
    assert!(
        page.contains("Ann Lee") && page.contains("Bo Diaz"),
        "{page}"
    );
    assert!(site.exists("speakers/ann-lee/index.html"));
}

#[test]
fn titles_and_dates_with_yaml_syntax_read_back_as_written() {
    let site = site();
    let title = "Part 2: \"The Mast\" # live, at 50% \\ 'off'";
    let options = ImportOptions {
        title: Some(title.to_string()),
        date: Some("2024-05-01".to_string()),
        ..into_show()
    };
    let written = imported(&site, &["plain.txt"], &options);
    assert_eq!(
        written[0].path,
        Path::new("content/show/part-2-the-mast-live-at-50-off.md")
    );
    let config = verbatim::Config::load(site.root()).expect("config");
    let (archive, warnings) =
        verbatim::pipeline::load_archive(site.root(), &config, false, &site.root().join("static"))
            .expect("the imported file loads");
    assert!(warnings.is_empty(), "{warnings:?}");
    let episode = &archive.episodes[0];
    assert_eq!(episode.title, title);
    assert_eq!(
        episode.date.map(|d| d.iso_day()).as_deref(),
        Some("2024-05-01")
    );
    let blocks = archive.blocks(episode).expect("the blocks");
    let labels: Vec<&str> = blocks.turns().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["Ann Lee", "Bo Diaz", "Ann Lee"]);
}

/// The build writes an episode's transcript as WebVTT, SRT and Podcasting 2.0 JSON, cutting
/// long turns into cues; importing each must give back the episode's turns: the same
/// speakers, the same number of turns, the same timestamps and the same words.
#[test]
fn the_builds_own_transcript_files_import_back_into_the_same_turns() {
    let site = Site::example();
    // Every timed format, for an episode with no audio too.
    let settings = fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    let settings = settings.replace(
        "[transcripts]\n",
        "[transcripts]\nformats = [\"vtt\", \"srt\", \"json\"]\nepisodes = \"all\"\n",
    );
    site.write("site.toml", settings);
    site.built();
    let config = verbatim::Config::load(site.root()).expect("config");
    let (archive, _) =
        verbatim::pipeline::load_archive(site.root(), &config, false, &site.root().join("static"))
            .expect("the example loads");
    let slug = "field-recording-at-the-edge-of-the-marsh";
    let episode = archive
        .episodes
        .iter()
        .find(|e| e.slug == slug)
        .expect("the episode");
    let blocks = archive.blocks(episode).expect("the blocks");
    let original: Vec<(String, Option<u64>)> = blocks
        .turns()
        .map(|t| {
            let name = archive
                .speaker(&t.voice)
                .map_or(t.label.clone(), |(_, s)| s.name.clone());
            (name, t.timestamp.map(|t| t.0))
        })
        .collect();
    assert!(
        original.iter().all(|(_, t)| t.is_some()),
        "every turn is timed"
    );
    let original_words: Vec<String> = blocks
        .turns()
        .flat_map(|t| {
            to_plain_text(&t.text)
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let folder = site.root().join("public/signal-and-noise").join(slug);
    for (name, format) in [
        ("transcript.vtt", "WebVTT"),
        ("transcript.srt", "SRT"),
        ("transcript.json", "Podcasting 2.0 JSON"),
    ] {
        let path = folder.join(name);
        let read = import::read(&path, &fs::read(&path).expect("written")).expect(name);
        assert_eq!(read.format.to_string(), format);
        let turns = import::merge(&read.cues);
        let got: Vec<(String, Option<u64>)> = turns
            .iter()
            .map(|t| {
                let speaker = t.speaker.clone().unwrap_or_default();
                (speaker, t.start.map(|s| (s * 1000.0).round() as u64))
            })
            .collect();
        assert_eq!(got, original, "{name}: speakers, turns and timestamps");
        let words: Vec<String> = turns
            .iter()
            .flat_map(|t| {
                t.text()
                    .split_whitespace()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(words, original_words, "{name}: words");
    }
    let options = ImportOptions {
        show: "signal-and-noise".to_string(),
        title: Some("The marsh, imported".to_string()),
        ..ImportOptions::default()
    };
    let written = pipeline::import(site.root(), &[folder.join("transcript.vtt")], &options)
        .expect("a valid request")
        .remove(0)
        .expect("imported");
    assert_eq!(written.turns, original.len());
    assert_eq!(written.words, original_words.len());
    site.built();
    assert!(site.exists("signal-and-noise/the-marsh-imported/transcript.vtt"));
}

/// Each bad file: the line and column the error names, and what its message says. A JSON
/// error points where serde_json noticed it: the end of the bad value.
const BAD: [(&str, Option<usize>, Option<usize>, &str); 8] = [
    (
        "bad-timing.vtt",
        Some(6),
        Some(1),
        "expected a cue timing such as `00:00:01.000 --> 00:00:04.000`",
    ),
    (
        "bad-timestamp.srt",
        Some(6),
        Some(18),
        "bad timestamp `00:01:75,000`: expected HH:MM:SS,mmm",
    ),
    (
        "wrong-shape.json",
        Some(5),
        Some(44),
        "segments[3].startTime: expected a number of seconds, found string \"00:00:03\"",
    ),
    ("empty.srt", None, None, "the file is empty"),
    (
        "binary.vtt",
        Some(4),
        Some(3),
        "not a text file: a NUL byte",
    ),
    ("latin1.srt", Some(3), Some(4), "not UTF-8 text"),
    (
        "no-header.vtt",
        Some(1),
        Some(1),
        "expected `WEBVTT` on the first line",
    ),
    (
        "not-a-transcript.txt",
        Some(1),
        Some(1),
        "not a transcript Verbatim can read",
    ),
];

#[test]
fn bad_files_are_errors_at_their_line_and_column() {
    for (name, line, column, message) in BAD {
        let path = fixture(name);
        let bytes = fs::read(&path).expect("fixture");
        let error = import::read(&path, &bytes).expect_err(name);
        assert_eq!(error.path, path, "{name}");
        assert_eq!(
            (error.line, error.column),
            (line, column),
            "{name}: {error}"
        );
        assert!(error.message.contains(message), "{name}: {error}");
        assert!(error.is_error());
    }
}

#[test]
fn a_bad_file_is_reported_and_the_others_still_imported() {
    let site = site();
    let files = [
        fixture("voices.vtt"),
        fixture("bad-timestamp.srt"),
        fixture("plain.txt"),
    ];
    let results = pipeline::import(site.root(), &files, &into_show()).expect("a valid request");
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    let error = results[1].as_ref().expect_err("the bad file");
    assert!(
        error
            .to_string()
            .contains("bad-timestamp.srt:6:18: error: bad timestamp"),
        "{error}"
    );
    assert!(!site.root().join("content/show/bad-timestamp.md").exists());
    assert!(site.root().join("content/show/plain.md").exists());
}

#[test]
fn an_existing_episode_is_replaced_only_with_force() {
    let site = site();
    site.write(
        "content/show/plain.md",
        "---\ntitle: Mine\n---\nHand-edited.\n",
    );
    let files = [fixture("plain.txt")];
    let results = pipeline::import(site.root(), &files, &into_show()).expect("a valid request");
    let error = results[0].as_ref().expect_err("exists");
    assert!(
        error.message.contains("already exists: pass --force"),
        "{error}"
    );
    let kept = fs::read_to_string(site.root().join("content/show/plain.md")).expect("kept");
    assert_eq!(kept, "---\ntitle: Mine\n---\nHand-edited.\n");

    let force = ImportOptions {
        force: true,
        ..into_show()
    };
    let results = pipeline::import(site.root(), &files, &force).expect("a valid request");
    assert!(results[0].is_ok(), "{results:?}");
    let replaced = fs::read_to_string(site.root().join("content/show/plain.md")).expect("file");
    assert!(replaced.contains("**Bo Diaz:** Thanks"), "{replaced}");
    assert!(!site.root().join("content/show/plain.md.importing").exists());
}

#[test]
fn two_files_with_one_slug_do_not_overwrite_each_other_even_with_force() {
    let site = site();
    let other = site.root().join("plain.vtt");
    fs::write(&other, "WEBVTT\n\n00:01.000 --> 00:02.000\nAnn Lee: Hi.\n").expect("write");
    let force = ImportOptions {
        force: true,
        ..into_show()
    };
    let results = pipeline::import(site.root(), &[fixture("plain.txt"), other], &force)
        .expect("a valid request");
    assert!(results[0].is_ok());
    let error = results[1].as_ref().expect_err("same slug");
    assert!(
        error.message.contains("another file of this import"),
        "{error}"
    );
}

/// `import` once wrote `content/show/plain.md` beside `content/show/2020/plain.md` with exit 0,
/// and the site then failed to build on the duplicate slug. A slug an episode of the show has,
/// in a subfolder or by its `slug:`, is refused even with `--force`, which replaces only a file
/// at the very path written; nothing is written.
#[test]
fn a_slug_the_show_already_has_in_a_subfolder_is_refused_even_with_force() {
    let site = site();
    site.write(
        "content/show/2020/plain.md",
        "---\ntitle: Plain\n---\nMine.\n",
    );
    site.write(
        "content/show/2021/older.md",
        "---\ntitle: Older\nslug: interview\n---\nMine too.\n",
    );
    let force = ImportOptions {
        force: true,
        ..into_show()
    };
    for options in [into_show(), force] {
        let files = [fixture("plain.txt"), fixture("interview.srt")];
        let results = pipeline::import(site.root(), &files, &options).expect("a valid request");
        for (result, existing) in results
            .iter()
            .zip(["content/show/2020/plain.md", "content/show/2021/older.md"])
        {
            let error = result.as_ref().expect_err("a slug taken");
            assert!(
                error
                    .message
                    .contains("already has an episode with the slug"),
                "{error}"
            );
            assert!(error.message.contains(existing), "{error}");
        }
    }
    assert!(!site.root().join("content/show/plain.md").exists());
    assert!(!site.root().join("content/show/interview.md").exists());
    site.built();
}

#[test]
fn requests_that_cannot_work_for_any_file_are_refused() {
    let site = site();
    let files = [fixture("plain.txt"), fixture("otter.txt")];
    let refused = |options: ImportOptions| {
        pipeline::import(site.root(), &files, &options)
            .expect_err("refused")
            .to_string()
    };
    let show = |s: &str| ImportOptions {
        show: s.to_string(),
        ..ImportOptions::default()
    };
    assert!(refused(show("My Show")).contains("expected a show's slug"));
    assert!(refused(show("speakers")).contains("the site's own pages"));
    let titled = ImportOptions {
        title: Some("One".to_string()),
        ..into_show()
    };
    assert!(refused(titled).contains("--title names one episode"));
    let dated = ImportOptions {
        date: Some("yesterday".to_string()),
        ..into_show()
    };
    assert!(refused(dated).contains("--date `yesterday`"));
    let nowhere = tempfile::tempdir().expect("temp dir");
    assert!(pipeline::import(nowhere.path(), &files, &into_show())
        .expect_err("no site")
        .to_string()
        .contains("no site.toml"));
}

#[test]
fn the_command_prints_each_file_and_fails_when_one_did() {
    let site = site();
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--root")
        .arg(site.root())
        .arg("import")
        .arg(fixture("interview.srt"))
        .arg(fixture("latin1.srt"))
        .arg(fixture("diarized.vtt"))
        .args(["--show", "show", "--speaker", "SPEAKER_00=Ann Lee"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert_eq!(
        stdout,
        "content/show/interview.md: 3 turns, 28 words from interview.srt (SRT)\n\
         content/show/diarized.md: 3 turns, 12 words from diarized.vtt (WebVTT)\n"
    );
    assert!(
        stderr.contains("latin1.srt:3:4: error: not UTF-8 text"),
        "{stderr}"
    );
    let diarized = fs::read_to_string(site.root().join("content/show/diarized.md")).expect("file");
    assert!(
        diarized.contains("speaker_map:\n  \"SPEAKER_00\": \"Ann Lee\"\n"),
        "{diarized}"
    );

    let again = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--root")
        .arg(site.root())
        .args(["import", "--show", "show"])
        .arg(fixture("interview.srt"))
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn an_episode_takes_its_turns_from_the_transcript_file_it_names() {
    let site = site_with_every_transcript();
    site.write(
        "content/show/kitchen.md",
        "---\ntitle: Kitchen\nspeakers: [Ann Lee, José Núñez]\ntranscript: kitchen.vtt\n---\n",
    );
    site.write(
        "content/show/kitchen.vtt",
        fs::read(fixture("voices.vtt")).expect("fixture"),
    );
    let report = site.built();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let page = site.page("show/kitchen/index.html");
    assert!(page.contains("Welcome to the kitchen table."), "{page}");
    assert!(page.contains("I brought three loaves."), "{page}");
    assert!(site.exists("speakers/jose-nunez/index.html"));
    let vtt = site.page("show/kitchen/transcript.vtt");
    assert!(vtt.contains("<v José Núñez>Thanks, Ann."), "{vtt}");
}

#[test]
fn a_body_beside_a_transcript_file_is_ignored_with_a_warning() {
    let site = site();
    site.write(
        "content/show/kitchen.md",
        "---\ntitle: Kitchen\ntranscript: kitchen.srt\n---\n\n**Ann:** Old text.\n",
    );
    site.write(
        "content/show/kitchen.srt",
        fs::read(fixture("interview.srt")).expect("fixture"),
    );
    let report = site.built();
    let warning = report
        .warnings
        .iter()
        .find(|w| w.kind == "transcript")
        .expect("a warning");
    assert_eq!(warning.path, Path::new("content/show/kitchen.md"));
    assert!(!site.page("show/kitchen/index.html").contains("Old text"));
}

#[test]
fn a_bad_or_missing_transcript_file_fails_the_build_where_it_is_wrong() {
    let site = site();
    site.write(
        "content/show/bad.md",
        "---\ntitle: Bad\ntranscript: bad.srt\n---\n",
    );
    site.write(
        "content/show/bad.srt",
        fs::read(fixture("bad-timestamp.srt")).expect("fixture"),
    );
    let error = site.build().expect_err("a bad timestamp");
    let found = first_error(&error);
    assert_eq!(found.path, Path::new("content/show/bad.srt"));
    assert_eq!((found.line, found.column), (Some(6), Some(18)), "{found}");

    site.write(
        "content/show/bad.md",
        "---\ntitle: Bad\ntranscript: gone.vtt\n---\n",
    );
    let error = site.build().expect_err("a missing file");
    let found = first_error(&error);
    assert_eq!(found.path, Path::new("content/show/bad.md"));
    assert_eq!(found.line, Some(3), "{found}");
    assert!(
        found.message.contains("cannot read content/show/gone.vtt"),
        "{found}"
    );

    site.write(
        "content/show/bad.md",
        "---\ntitle: Bad\ntranscript: ../../site.toml\n---\n",
    );
    let error = site.build().expect_err("a file outside");
    assert!(
        first_error(&error).message.contains("beside the episode"),
        "{error}"
    );
}

/// `transcript:` once followed a link out of the site and published whatever it pointed to
/// (any file the build could read). A link inside `content/` is fine; one that leads out is an
/// error on the episode's `transcript:` line, and nothing of the file reaches the site.
#[cfg(unix)]
#[test]
fn a_transcript_link_out_of_the_content_folder_is_refused() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let secret = elsewhere.path().join("secret.vtt");
    fs::write(
        &secret,
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAnn: The secret.\n",
    )
    .expect("write");
    site.write(
        "content/show/leak.md",
        "---\ntitle: Leak\ntranscript: leak.vtt\n---\n",
    );
    std::os::unix::fs::symlink(&secret, site.root().join("content/show/leak.vtt")).expect("link");
    let error = site.build().expect_err("a link out of content/");
    let found = first_error(&error);
    assert_eq!(found.path, Path::new("content/show/leak.md"));
    assert_eq!(found.line, Some(3), "{found}");
    assert!(
        found.message.contains("outside the site's content/ folder"),
        "{found}"
    );
    assert!(!site.exists("show/leak/index.html"));

    // The same file moved inside content/, behind a link, is read.
    fs::create_dir_all(site.root().join("content/show/raw")).expect("mkdir");
    fs::rename(&secret, site.root().join("content/show/raw/leak.vtt")).expect("move");
    fs::remove_file(site.root().join("content/show/leak.vtt")).expect("unlink");
    std::os::unix::fs::symlink("raw/leak.vtt", site.root().join("content/show/leak.vtt"))
        .expect("link");
    site.built();
    assert!(site.page("show/leak/index.html").contains("The secret."));
}

/// A FIFO named as a transcript once hung the build for ever, waiting for a writer: it is
/// refused from its metadata, unopened.
#[cfg(unix)]
#[test]
fn a_transcript_that_is_a_pipe_fails_the_build_at_once() {
    let site = site();
    site.write(
        "content/show/pipe.md",
        "---\ntitle: Pipe\ntranscript: pipe.vtt\n---\n",
    );
    let made = Command::new("mkfifo")
        .arg(site.root().join("content/show/pipe.vtt"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (sender, receiver) = std::sync::mpsc::channel();
    let options = site.options();
    std::thread::spawn(move || {
        let outcome = verbatim::pipeline::build(&options, &verbatim::render::Quiet);
        let _ = sender.send(outcome.map(|_| ()).map_err(|e| e.to_string()));
    });
    let outcome = receiver
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the build hung on a pipe");
    let error = outcome.expect_err("a pipe is no transcript");
    assert!(
        error.contains("content/show/pipe.md:3: error: `transcript: pipe.vtt`: content/show/pipe.vtt: not a regular file"),
        "{error}"
    );
}

/// `import` wrote a cue at 100 hours as `[100:00:01]`, which the loader did not take for a
/// timestamp: the label was not read and the words went to the speaker before. Imported and
/// built, each turn is its own speaker's, at its own time.
#[test]
fn a_cue_at_a_hundred_hours_imports_and_builds_with_its_speaker() {
    let site = site_with_every_transcript();
    let whisper = site.root().join("marathon.json");
    fs::write(
        &whisper,
        r#"{"segments":[
            {"start":0,"end":2,"text":"The start.","speaker":"Ann"},
            {"start":360001,"end":360003,"text":"A hundred hours in.","speaker":"Bo"}]}"#,
    )
    .expect("write");
    let results = pipeline::import(site.root(), &[whisper], &into_show()).expect("a valid request");
    let written = results[0].as_ref().expect("imported");
    let text = episode_file(&site, written);
    assert!(
        text.contains("[100:00:01] **Bo:** A hundred hours in."),
        "{text}"
    );
    assert!(text.contains("duration: \"100:00:03\""), "{text}");
    let report = site.built();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let json = site.page("show/marathon/transcript.json");
    let segments: serde_json::Value = serde_json::from_str(&json).expect("json");
    let last = &segments["segments"][1];
    assert_eq!(last["speaker"], "Bo", "{json}");
    assert_eq!(last["startTime"], 360001.0, "{json}");
    assert_eq!(last["body"], "A hundred hours in.", "{json}");
    assert!(site
        .page("show/marathon/index.html")
        .contains("id=\"t-100-00-01\""));
}

/// A Whisper start of 1e300 once imported with exit 0 into a file the build refused. The
/// command names the file and the segment, exits 1 and writes nothing.
#[test]
fn a_time_no_recording_has_is_refused_and_nothing_written() {
    let site = site();
    let whisper = site.root().join("forever.json");
    fs::write(
        &whisper,
        r#"{"segments":[{"start":0,"end":1,"text":"Hi."},{"start":1e300,"end":1e300,"text":"Bye."}]}"#,
    )
    .expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--root")
        .arg(site.root())
        .args(["import", "--show", "show"])
        .arg(&whisper)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("forever.json:1:60: error: segments[1].start: expected a number of seconds from 0 up to 3600000 (1,000 hours), found 1e300"),
        "{stderr}"
    );
    assert!(!site.root().join("content/show/forever.md").exists());
}

fn first_error(error: &verbatim::Error) -> &verbatim::Diagnostic {
    error
        .diagnostics()
        .iter()
        .find(|d| d.is_error())
        .expect("an error")
}

/// The real transcripts in `../shared/corpus/`, when they are there: every timed episode's
/// WebVTT, SRT and JSON, as the build writes them, import back to the same words and the same
/// succession of speakers.
///
/// SRT is the exception that proves the heuristic: it names a speaker only where a turn
/// starts, in the text, so a cue that happens to open with `Word: ` reads as a label. The
/// corpus has one such cue (`OxB10C: 00:26:16 That's…`); its words must still all be there.
#[test]
fn the_corpus_transcripts_import_back_word_for_word() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bitcointranscripts");
    if !dir.is_dir() {
        eprintln!("skipped: {} is not here", dir.display());
        return;
    }
    let site = tempfile::tempdir().expect("temp dir");
    fs::write(site.path().join("site.toml"), "title = \"Corpus\"\n").expect("site.toml");
    std::os::unix::fs::symlink(dir.join("content"), site.path().join("content")).expect("link");
    let config = verbatim::Config::load(site.path()).expect("config");
    let (archive, _) =
        verbatim::pipeline::load_archive(site.path(), &config, true, &site.path().join("static"))
            .expect("the corpus loads");
    let (mut episodes, mut srt_misread) = (0, Vec::new());
    for episode in &archive.episodes {
        let blocks = archive.blocks(episode).expect("the blocks");
        let Some(json) = transcripts::json(&archive, episode, &blocks) else {
            continue;
        };
        let want = reading_of_json(&json);
        let files = [
            (
                "transcript.vtt",
                transcripts::vtt(&archive, episode, &blocks),
            ),
            (
                "transcript.srt",
                transcripts::srt(&archive, episode, &blocks),
            ),
            ("transcript.json", Some(json.clone())),
        ];
        for (name, text) in files {
            let text = text.expect("every timed format");
            let path = episode.path.with_file_name(name);
            let read = import::read(&path, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            let got = reading_of_turns(&import::merge(&read.cues), &want.speakers);
            assert_same_words(&got.words, &want.words, &path);
            assert_eq!(got.speakers, want.speakers, "{}: speakers", path.display());
            if name == "transcript.srt" {
                srt_misread.extend(got.misread);
            } else {
                assert_eq!(got.misread, Vec::<String>::new(), "{}", path.display());
            }
        }
        episodes += 1;
    }
    assert!(episodes > 10, "only {episodes} timed episodes");
    // `OxB10C` is `0xB10C` mistyped in the corpus: an undeclared label the site keeps as text.
    assert_eq!(srt_misread, ["OxB10C"], "SRT text read as labels");
}

/// What an import of a transcript says: its words, its speakers with repeats in a row merged,
/// and the labels that name none of `known` (text read as a label), folded back into the words.
#[derive(Debug, Default)]
struct Reading {
    words: Vec<String>,
    speakers: Vec<String>,
    misread: Vec<String>,
}

fn reading_of_turns(turns: &[import::Turn], known: &[String]) -> Reading {
    let mut reading = Reading::default();
    for turn in turns {
        let speaker = turn.speaker.clone().unwrap_or_default();
        if known.contains(&speaker) {
            if reading.speakers.last() != Some(&speaker) {
                reading.speakers.push(speaker);
            }
        } else {
            let label = format!("{speaker}:");
            reading
                .words
                .extend(label.split_whitespace().map(String::from));
            reading.misread.push(speaker);
        }
        let text = turn.text();
        reading
            .words
            .extend(text.split_whitespace().map(String::from));
    }
    reading
}

fn assert_same_words(got: &[String], want: &[String], path: &Path) {
    if let Some(at) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i)) {
        let around =
            |words: &[String]| words[at.saturating_sub(8)..(at + 8).min(words.len())].join(" ");
        panic!(
            "{}: the words differ at word {at}:\n  imported: {}\n  written:  {}",
            path.display(),
            around(got),
            around(want)
        );
    }
}

/// The words of a Podcasting 2.0 transcript, and its speakers with repeats in a row merged.
fn reading_of_json(json: &str) -> Reading {
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let segments = value["segments"].as_array().expect("segments");
    let mut reading = Reading::default();
    for segment in segments {
        let body = segment["body"].as_str().unwrap_or_default();
        reading
            .words
            .extend(body.split_whitespace().map(String::from));
        let speaker = segment["speaker"].as_str().unwrap_or_default().to_string();
        if reading.speakers.last() != Some(&speaker) {
            reading.speakers.push(speaker);
        }
    }
    reading
}
