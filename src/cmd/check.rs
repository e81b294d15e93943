//! `verbatim check`: validate the whole archive without writing anything.

use std::path::Path;

use verbatim::check::summary;
use verbatim::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// Treat warnings as errors: exit 1 if there are any.
    #[arg(long)]
    strict: bool,
}

/// Prints every problem, then one summary line. `Ok(false)` when the check failed.
pub fn run(root: &Path, args: Args) -> anyhow::Result<bool> {
    let diagnostics = pipeline::check(root)?;
    for diagnostic in &diagnostics {
        println!("{diagnostic}");
    }
    println!("{}", summary(&diagnostics));
    let errors = diagnostics.iter().any(|d| d.is_error());
    let warnings = diagnostics.iter().any(|d| !d.is_error());
    Ok(!(errors || (args.strict && warnings)))
}
