//! Every input the fuzz targets kept (`fuzz/corpus/<target>/`, with the inputs that once
//! crashed), run through the very code of the targets (`fuzz/src/lib.rs`, included here) under
//! a plain `cargo test`: a crash fuzzing found stays fixed without a fuzzer at hand.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/lib.rs"]
mod targets;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    let failed: Vec<String> = corpus(target)
        .into_iter()
        .filter(|file| {
            let data = fs::read(file).expect("read a corpus file");
            panic::catch_unwind(AssertUnwindSafe(|| run(&data))).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target} panics on {failed:#?}");
}

#[test]
fn the_front_matter_corpus_reads_without_a_panic() {
    replay("front_matter", targets::front_matter);
}

#[test]
fn the_transcript_corpus_reads_without_a_panic() {
    replay("transcript", targets::transcript);
}

#[test]
fn the_import_corpus_reads_without_a_panic() {
    replay("import", targets::import);
}

#[test]
fn the_site_toml_corpus_reads_without_a_panic() {
    replay("site_toml", targets::site_toml);
}
