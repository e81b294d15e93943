//! The `verbatim` binary: parse the command line, run the command, report errors, exit.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

// A build allocates millions of small strings on every core, and Pagefind more; glibc's
// allocator spent a fifth of a search build's time there and held more memory at the peak.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` (mimalloc.h), which
/// libmimalloc-sys does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the memory the allocator frees for its own reuse, instead of giving it back to the
/// system a second later. A build frees and allocates gigabytes in waves (a page's words, an
/// index part); memory given back comes back as fresh pages the kernel must zero. Keeping it
/// made a 10,000-episode build with search 5-8 % faster, for about 5 % more memory at the peak;
/// a build is one process that ends. `MIMALLOC_PURGE_DELAY` in the environment still decides.
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which it reads at each purge.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The option's number comes from mimalloc's header, not from the bindings: a mimalloc
    /// that renumbered its options would have `keep_freed_memory` set another one. Among
    /// mimalloc's options, only the purge delay starts at 1,000 (milliseconds).
    #[test]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reads one of mimalloc's options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
