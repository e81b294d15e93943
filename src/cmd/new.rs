//! `verbatim new "Title" [--show S]`: a new episode file, never overwriting.

use std::path::Path;

use verbatim::pipeline;
use verbatim::scaffold::{self, NewEpisode};

#[derive(clap::Args)]
pub struct Args {
    /// The episode's title; the file name is made from it.
    title: String,
    /// The show's slug (needed when the site has more than one show).
    #[arg(long)]
    show: Option<String>,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<()> {
    let archive = pipeline::load_for_editing(root)?;
    let request = NewEpisode {
        title: &args.title,
        show: args.show.as_deref(),
        today: scaffold::today(),
    };
    let path = scaffold::new_episode(root, &archive, &request)?;
    println!("{}", path.display());
    Ok(())
}
