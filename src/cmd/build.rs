//! `verbatim build`: the site into `public/`, with one summary line, and a progress bar on a
//! terminal. The only user of indicatif.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use verbatim::error::abridge;
use verbatim::pipeline::{self, BuildOptions};
use verbatim::progress::{Progress, Stage};

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
    /// No progress bar: only warnings and the summary line, as in CI or a pipe.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<()> {
    crate::keep_freed_memory();
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        cache: !args.no_cache,
    };
    let bar = Bar::new(args.quiet);
    let report = pipeline::build(&options, &bar);
    bar.finish();
    let report = report?;
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

/// A progress bar on a terminal: the build's stage and how far it has got. Nothing at all in
/// CI, in a pipe or with `--quiet`, and nothing for a build done within [`BAR_DELAY`].
struct Bar(Option<Shown>);

/// What a shown bar shares with the thread that draws it.
struct Shown {
    bar: ProgressBar,
    /// Steps done in the current stage: rendering threads count here, and only the drawing
    /// thread touches the bar, so a page costs one atomic add.
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    drawer: Option<std::thread::JoinHandle<()>>,
}

/// How often the bar is drawn.
const DRAW_EVERY: Duration = Duration::from_millis(100);
/// A build done sooner than this shows no bar: it would only flicker.
const BAR_DELAY: Duration = Duration::from_secs(1);

impl Bar {
    fn new(quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return Bar(None);
        }
        let bar = ProgressBar::hidden();
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let drawer = {
            let (bar, done, stop) = (bar.clone(), done.clone(), stop.clone());
            std::thread::spawn(move || draw(&bar, &done, &stop))
        };
        Bar(Some(Shown {
            bar,
            done,
            stop,
            drawer: Some(drawer),
        }))
    }

    fn finish(mut self) {
        if let Some(shown) = &mut self.0 {
            shown.stop.store(true, Ordering::Relaxed);
            if let Some(drawer) = shown.drawer.take() {
                let _ = drawer.join();
            }
            shown.bar.finish_and_clear();
        }
    }
}

/// Draws the bar every [`DRAW_EVERY`] once [`BAR_DELAY`] has passed, until told to stop.
fn draw(bar: &ProgressBar, done: &AtomicU64, stop: &AtomicBool) {
    let started = std::time::Instant::now();
    let mut shown = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(DRAW_EVERY);
        if !shown && started.elapsed() >= BAR_DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
            shown = true;
        }
        bar.set_position(done.load(Ordering::Relaxed));
        bar.tick();
    }
}

/// `  pages 120/1407 [=====>     ] 4s`, or a spinner for a stage whose steps nobody counts.
fn style(counted: bool) -> ProgressStyle {
    let template = match counted {
        true => "{spinner} {prefix:>12} {pos}/{len} {wide_bar} {elapsed}",
        false => "{spinner} {prefix:>12} {elapsed}",
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Progress for Bar {
    fn stage(&self, stage: Stage, total: usize) {
        if let Some(shown) = &self.0 {
            shown.done.store(0, Ordering::Relaxed);
            shown.bar.set_style(style(total > 0));
            shown.bar.set_length(total as u64);
            shown.bar.set_position(0);
            shown.bar.set_prefix(stage.name());
        }
    }

    fn advance(&self) {
        if let Some(shown) = &self.0 {
            shown.done.fetch_add(1, Ordering::Relaxed);
        }
    }
}
