//! `verbatim import FILE… --show S`: caption and speech-to-text files into episode files.

use std::path::{Path, PathBuf};

use verbatim::import::{self, ImportOptions};
use verbatim::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// Transcript files: WebVTT, SRT, Whisper/WhisperX JSON, Podcasting 2.0 JSON, Otter or
    /// `Name: text` text.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The show's slug: episodes are written to content/<show>/.
    #[arg(long)]
    show: String,
    /// Who a label is: `--speaker SPEAKER_00="Ann Lee"`; repeat for each label.
    #[arg(long = "speaker", value_name = "LABEL=Name", value_parser = import::parse_speaker_mapping)]
    speakers: Vec<(String, String)>,
    /// The episode's title (one file only); default: the file's own, or its name.
    #[arg(long)]
    title: Option<String>,
    /// The publication date: YYYY-MM-DD or an RFC 3339 date-time.
    #[arg(long)]
    date: Option<String>,
    /// Replace episode files that already exist.
    #[arg(long)]
    force: bool,
}

/// Imports every file, printing a line for each one written and each one that failed.
/// `Ok(false)` when any file failed.
pub fn run(root: &Path, args: Args) -> anyhow::Result<bool> {
    let options = ImportOptions {
        show: args.show,
        speakers: args.speakers,
        title: args.title,
        date: args.date,
        force: args.force,
    };
    let mut all_written = true;
    for outcome in pipeline::import(root, &args.files, &options)? {
        match outcome {
            Ok(written) => println!("{written}"),
            Err(diagnostic) => {
                eprintln!("{diagnostic}");
                all_written = false;
            }
        }
    }
    Ok(all_written)
}
