//! Whole sites, built for real: one test binary, one small site per behaviour.

mod cache;
mod check;
mod corpus;
mod episode;
mod errors;
mod example;
mod feeds;
mod fuzz_corpus;
mod generative;
mod import;
mod incremental;
mod layers;
mod names;
mod output;
mod pages;
mod progress;
mod scaffold;
mod search;
mod serve;
mod site;
mod snapshots;
mod speaker_page;
mod speakers;
mod transcript_files;
mod urls;
mod util;
