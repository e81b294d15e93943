//! Progress of a build: the stages a build reports to a progress bar, and silence where no
//! one watches (CI logs, pipes, tests).

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use verbatim::pipeline;
use verbatim::progress::{Progress, Stage};

use crate::util::{episode, Site};

/// Every stage reported, with its total, and every step counted.
#[derive(Default)]
struct Recorder {
    stages: Mutex<Vec<(Stage, usize)>>,
    steps: AtomicUsize,
}

impl Progress for Recorder {
    fn stage(&self, stage: Stage, total: usize) {
        self.stages.lock().unwrap().push((stage, total));
    }

    fn advance(&self) {
        self.steps.fetch_add(1, Ordering::Relaxed);
    }
}

fn small_site() -> Site {
    let site = Site::new();
    site.write("content/talk/_index.md", "---\ntitle: Talk\n---\n");
    for n in 1..=3 {
        site.write(
            &format!("content/talk/e{n}.md"),
            episode(
                &format!("title: Episode {n}\ndate: 2024-0{n}-01\nspeakers: [Ann Lee]"),
                "**Ann Lee:** [00:00:05] Hello there.\n",
            ),
        );
    }
    site
}

// Issue 25: a build of minutes showed only a count of pages, and nothing while it read, modelled,
// indexed or wrote. Every stage is reported now, in order, and the pages are counted to their
// total.
#[test]
fn a_build_reports_each_stage_in_order_and_counts_its_pages() {
    let site = small_site();
    let recorder = Recorder::default();
    pipeline::build(&site.options_without_cache(), &recorder).unwrap();
    let stages = recorder.stages.into_inner().unwrap();
    let mut order: Vec<Stage> = stages.iter().map(|&(stage, _)| stage).collect();
    order.dedup();
    // The index is finished beside the pages: whether the build waits for it after them
    // depends on which is done first.
    order.retain(|&stage| stage != Stage::SearchIndex);
    assert_eq!(
        order,
        [Stage::Reading, Stage::Model, Stage::Pages, Stage::Writing]
    );
    assert!(stages.contains(&(Stage::SearchIndex, 0)), "{stages:?}");
    let pages = stages
        .iter()
        .find(|(stage, _)| *stage == Stage::Pages)
        .map(|&(_, total)| total)
        .unwrap();
    assert!(pages > 3, "every page and feed: {pages}");
    assert_eq!(recorder.steps.into_inner(), pages, "each one counted once");
}

// Where stderr is no terminal (CI, a pipe, this test), a build prints what it always printed:
// one summary line, and no progress bar, with or without `--quiet`.
#[test]
fn without_a_terminal_a_build_prints_its_summary_line_only() {
    let site = small_site();
    for quiet in [false, true] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_verbatim"));
        command.arg("--root").arg(site.root()).arg("build");
        if quiet {
            command.arg("--quiet");
        }
        let output = command.output().expect("run verbatim build");
        assert!(output.status.success());
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "",
            "quiet: {quiet}"
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(stdout.starts_with("Built 3 episodes"), "{stdout}");
    }
}
