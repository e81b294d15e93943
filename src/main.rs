//! The `verbatim` binary: parse the command line, run the command, report errors, exit.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

// A build allocates millions of small strings on every core, and Pagefind more; glibc's
// allocator spent a fifth of a search build's time there and held more memory at the peak.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cli.run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}

/// Prints an error and its causes; a list of problems in files prints one per line.
fn report(error: &anyhow::Error) {
    if let Some(verbatim::Error::Content(list)) = error.downcast_ref::<verbatim::Error>() {
        for diagnostic in list {
            eprintln!("{diagnostic}");
        }
        let errors = list.iter().filter(|d| d.is_error()).count();
        if errors > 1 {
            eprintln!("error: stopped by {errors} errors");
        }
        return;
    }
    if let Some(verbatim::Error::Theme(message)) = error.downcast_ref::<verbatim::Error>() {
        eprintln!("{message}");
        return;
    }
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}
