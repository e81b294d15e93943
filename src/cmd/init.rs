//! `verbatim init [DIR]`: a new site that builds and serves at once.

use std::path::{Path, PathBuf};

use verbatim::scaffold;

#[derive(clap::Args)]
pub struct Args {
    /// Where to create the site (default: the site folder, `--root`).
    dir: Option<PathBuf>,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<()> {
    let dir = args.dir.unwrap_or_else(|| root.to_path_buf());
    let files = scaffold::init(&dir, scaffold::today())?;
    for file in files {
        println!("created {}", file.display());
    }
    println!(
        "Next: `verbatim --root {} serve` to preview, `verbatim build` to publish.",
        dir.display()
    );
    Ok(())
}
