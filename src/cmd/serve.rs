//! `verbatim serve`: preview the site with live reload.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use verbatim::pipeline::BuildOptions;
use verbatim::serve::session::Rebuilt;
use verbatim::serve::{self, Reporter, ServeOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The port to serve on; the next free one is taken when it is busy.
    #[arg(long, short, default_value_t = 1414)]
    port: u16,
    /// The address to listen on. Loopback unless you ask: the preview is for you.
    #[arg(long, default_value = "127.0.0.1")]
    interface: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include episodes marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Overrides base_url in site.toml; the site is served under its path.
    #[arg(long)]
    base_url: Option<String>,
    /// Poll files for changes instead of using the operating system's notifications.
    #[arg(long)]
    poll: bool,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<()> {
    let options = ServeOptions {
        build: BuildOptions {
            root: root.to_path_buf(),
            output: None,
            base_url: args.base_url,
            drafts: args.drafts,
            // `serve` keeps the site in memory and never writes `public/`.
            cache: false,
        },
        interface: args.interface,
        port: args.port,
        poll: args.poll,
    };
    serve::serve(options, Arc::new(Terminal { open: args.open }))?;
    Ok(())
}

/// Prints what the server does.
struct Terminal {
    open: bool,
}

impl Reporter for Terminal {
    fn listening(&self, url: &str, polling: bool) {
        let how = if polling {
            " (polling for changes)"
        } else {
            ""
        };
        println!("Serving on {url}{how}; press Ctrl+C to stop.");
        if self.open {
            if let Err(e) = opener::open(url) {
                eprintln!("warning: could not open a browser: {e}");
            }
        }
    }

    fn rebuilt(&self, rebuilt: &Rebuilt) {
        println!(
            "Rebuilt ({}): {} pages in {} ms",
            rebuilt.kind, rebuilt.pages, rebuilt.millis
        );
    }

    fn failed(&self, error: &verbatim::Error) {
        eprintln!("{error}");
        eprintln!("error: the rebuild failed; still serving the last good site");
    }
}
