//! `verbatim build`: the site into `public/`, with one summary line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use verbatim::error::abridge;
use verbatim::pipeline::{self, BuildOptions};
use verbatim::render::Progress;

/// Warnings of one kind printed before the rest are counted.
const WARNINGS_PER_KIND: usize = 5;

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the site (default: public/ in the site folder).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Overrides base_url in site.toml (for preview deploys).
    #[arg(long)]
    base_url: Option<String>,
    /// Include episodes marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Build everything afresh, without reading or writing the build cache
    /// (.verbatim-cache/ in the site folder).
    #[arg(long)]
    no_cache: bool,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<()> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        cache: !args.no_cache,
    };
    let bar = Bar::new();
    let report = pipeline::build(&options, &bar)?;
    bar.finish();
    for line in abridge(&report.warnings, WARNINGS_PER_KIND) {
        eprintln!("{line}");
    }
    println!(
        "Built {} episodes, {} speakers, {} shows: {} pages in {} ms → {}",
        report.episodes,
        report.speakers,
        report.shows,
        report.pages,
        report.millis,
        report.output.display()
    );
    Ok(())
}

/// A progress bar on a terminal; nothing at all in CI or a pipe.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new() -> Self {
        if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return Bar(None);
        }
        let bar = ProgressBar::hidden();
        let style =
            ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Bar(Some(bar))
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
            // Small sites finish before a bar is worth drawing.
            if total > 500 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
    }

    fn advance(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
}
