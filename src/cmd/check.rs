//! `verbatim check`: validate the whole archive without writing anything.

use std::path::Path;

use verbatim::check::summary;
use verbatim::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// Treat warnings as errors: exit 1 if there are any.
    #[arg(long)]
    strict: bool,
    /// Instead of problems, list every label of every episode: the person it resolved to and
    /// by which rule, or that it stays local to its episode; then the speaker pages by kind.
    #[arg(long)]
    speakers: bool,
    /// How `--speakers` prints: `text`, or `json` for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "speakers")]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Prints every problem, then one summary line. `Ok(false)` when the check failed.
pub fn run(root: &Path, args: Args) -> anyhow::Result<bool> {
    if args.speakers {
        return speakers(root, args.format);
    }
    let diagnostics = pipeline::check(root)?;
    for diagnostic in &diagnostics {
        println!("{diagnostic}");
    }
    println!("{}", summary(&diagnostics));
    let errors = diagnostics.iter().any(|d| d.is_error());
    let warnings = diagnostics.iter().any(|d| !d.is_error());
    Ok(!(errors || (args.strict && warnings)))
}

/// `--speakers`: the labels, one per line (or one JSON document), then the summary line.
fn speakers(root: &Path, format: Format) -> anyhow::Result<bool> {
    let report = pipeline::speaker_report(root)?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => {
            for row in &report.labels {
                println!("{row}");
            }
            println!("{}", report.summary());
        }
    }
    Ok(true)
}
