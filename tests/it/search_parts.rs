//! An index in parts against one index of the same archive: every part must download and widen
//! a word typed without quotes as one index of the whole archive would, so each part must hold
//! the same words in the same index chunks.
#![cfg(feature = "search")]

use std::collections::BTreeSet;
use std::io::Read;

use crate::util::{episode, Site};

/// An archive with enough words for several index chunks: twelve episodes of 4,000 words made
/// of a few hundred words that share their beginnings, as real words do, and a few words
/// Pagefind splits into parts of their own (camel case, letters and digits).
fn archive(words_per_part: Option<usize>) -> Site {
    let site = Site::new();
    let parts = words_per_part
        .map(|words| format!("[search_index]\nwords_per_part = {words}\n"))
        .unwrap_or_default();
    site.write(
        "site.toml",
        format!("title = \"Test\"\nbase_url = \"https://example.org/\"\n{parts}"),
    );
    site.write("content/talk/_index.md", "---\ntitle: Talk\n---\n");
    let syllables = [
        "dr", "ive", "en", "er", "s", "ca", "mel", "to", "ra", "al", "ly", "st",
    ];
    let split = ["AfroTech", "SSD1306", "McAllister", "iPhone"];
    let mut state: u32 = 7;
    let mut next = |n: usize| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 16) as usize % n
    };
    for n in 1..=12 {
        let mut said = String::new();
        for _ in 0..4000 {
            let length = 1 + next(3);
            let word: String = (0..length)
                .map(|_| syllables[next(syllables.len())])
                .collect();
            said.push_str(&word);
            said.push(' ');
        }
        said.push_str(split[n % split.len()]);
        site.write(
            &format!("content/talk/e{n:02}.md"),
            episode(
                &format!("title: E{n}\ndate: 2020-{n:02}-01\nspeakers: [Ann]"),
                &format!("**Ann:** {said}\n"),
            ),
        );
    }
    site.built();
    site
}

/// Each part's folder in the site, from parts.json.
fn part_dirs(site: &Site) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&site.page("pagefind/parts.json")).unwrap();
    json["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| part["path"].as_str().unwrap().to_string())
        .collect()
}

/// A Pagefind file's CBOR: gzipped, behind a signature.
fn unpack(site: &Site, path: &str) -> Vec<u8> {
    let gzipped = std::fs::read(site.root().join("public").join(path)).unwrap();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&gzipped[..])
        .read_to_end(&mut bytes)
        .unwrap();
    bytes.strip_prefix(b"pagefind_dcd").unwrap().to_vec()
}

/// An index's chunks: the range of words each covers as the search page sees it (what decides
/// which chunks a search downloads), and the words each holds.
fn chunks(site: &Site, dir: &str) -> Vec<((String, String), BTreeSet<String>)> {
    let meta = site
        .output_files()
        .into_iter()
        .find(|f| f.starts_with(dir) && !f[dir.len()..].contains('/') && f.ends_with(".pf_meta"))
        .unwrap();
    let bytes = unpack(site, &meta);
    let mut meta = minicbor::Decoder::new(&bytes);
    meta.array().unwrap();
    meta.skip().unwrap(); // Pagefind's version
    meta.skip().unwrap(); // the pages
    let count = meta.array().unwrap().unwrap();
    (0..count)
        .map(|_| {
            meta.array().unwrap();
            let from = meta.str().unwrap().to_string();
            let to = meta.str().unwrap().to_string();
            let hash = meta.str().unwrap();
            (
                (from, to),
                words(site, &format!("{dir}index/{hash}.pf_index")),
            )
        })
        .collect()
}

/// The words an index chunk holds, as Pagefind keeps them (normalized and stemmed).
fn words(site: &Site, chunk: &str) -> BTreeSet<String> {
    let bytes = unpack(site, chunk);
    let mut chunk = minicbor::Decoder::new(&bytes);
    chunk.array().unwrap();
    let count = chunk.array().unwrap().unwrap();
    (0..count)
        .map(|_| {
            chunk.array().unwrap();
            let word = chunk.str().unwrap().to_string();
            chunk.skip().unwrap(); // its pages
            chunk.skip().unwrap(); // its diacritic variants
            word
        })
        .collect()
}

// Pagefind widens a typed word among the words of the chunks it downloads, and a part, with
// fewer pages, cut its chunks at other words than one index of the whole archive: "drive"
// found 145 episodes of an archive in one index and 206 in its parts, where "driven" and
// "driver" shared the chunk of "drive" that one index had cut after it. Each part now cuts
// its chunks after the same words as one index would.
#[test]
fn every_part_cuts_its_index_chunks_after_the_words_one_index_would() {
    let one = archive(None);
    let whole: Vec<(String, String)> = chunks(&one, "pagefind/").into_iter().map(|c| c.0).collect();
    assert!(whole.len() > 2, "few chunks to compare: {whole:?}");
    let parts = archive(Some(10_000));
    let dirs = part_dirs(&parts);
    assert!(dirs.len() > 2, "{dirs:?}");
    for dir in dirs {
        let ranges: Vec<(String, String)> = chunks(&parts, &dir).into_iter().map(|c| c.0).collect();
        assert_eq!(ranges, whole, "the chunks of {dir}");
    }
}

// Every part holds every word of the archive on its vocabulary page, so that it widens a
// word as one index does. The vocabulary was lowercased, and Pagefind splits "AfroTech" into
// "afro" and "tech" but not "afrotech": a part without that episode lacked "afro" and held
// "afrotech", which no episode has, and a misspelling fell back on other words than in one
// index. The vocabulary now keeps words as written.
#[test]
fn every_part_holds_the_words_of_one_index_even_split_ones() {
    let one = archive(None);
    let whole: BTreeSet<String> = chunks(&one, "pagefind/")
        .into_iter()
        .flat_map(|c| c.1)
        .collect();
    assert!(
        whole.contains("afro") && whole.contains("1306"),
        "{whole:?}"
    );
    let parts = archive(Some(10_000));
    for dir in part_dirs(&parts) {
        let words: BTreeSet<String> = chunks(&parts, &dir).into_iter().flat_map(|c| c.1).collect();
        let missing: Vec<&String> = whole.difference(&words).collect();
        let extra: Vec<&String> = words.difference(&whole).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{dir} lacks {missing:?} and has {extra:?}"
        );
    }
}
