//! The command line: one file per subcommand, and the only place clap appears.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "verbatim",
    version,
    about = "Static sites for podcast and interview transcript archives"
)]
pub struct Cli {
    /// The site folder (the one holding site.toml).
    #[arg(long, global = true, default_value = ".")]
    pub root: std::path::PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into public/.
    Build(build::Args),
    /// Validate the whole archive without writing; exit 1 on errors.
    Check(check::Args),
    /// Turn caption and speech-to-text files into episode files.
    Import(import::Args),
    /// Create a new site with one show and one example episode.
    Init(init::Args),
    /// Write a new episode file with its front matter filled in.
    New(new::Args),
    /// Build, serve on 127.0.0.1, rebuild on change and reload the browser.
    Serve(serve::Args),
}

impl Cli {
    /// Runs the command; `Ok(false)` means it ran but found the site wanting (exit code 1).
    pub fn run(self) -> anyhow::Result<bool> {
        match self.command {
            Command::Build(args) => build::run(&self.root, args).map(|()| true),
            Command::Check(args) => check::run(&self.root, args),
            Command::Import(args) => import::run(&self.root, args),
            Command::Init(args) => init::run(&self.root, args).map(|()| true),
            Command::New(args) => new::run(&self.root, args).map(|()| true),
            Command::Serve(args) => serve::run(&self.root, args).map(|()| true),
        }
    }
}
