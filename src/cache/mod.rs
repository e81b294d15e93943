//! The build cache, in `.verbatim-cache/` beside `site.toml`: what earlier builds worked out,
//! so that a build redoes only what changed.
//!
//! It holds nothing a build cannot work out again. Deleting it costs one slower build; an
//! entry that cannot be read, is damaged (each ends in a checksum), or was written by another
//! build of Verbatim, is ignored and replaced. Three things are kept:
//!
//! - **Parsed transcripts** (`parsed/`): each body's blocks and plain text, keyed by the hash
//!   of the body and of the program, packed a build's worth to a file (`packs`). Parsing is
//!   most of the cost of reading an episode. An entry keeps its blocks' texts as where they
//!   are in the body (`entry`), which is at hand whenever the entry is read.
//! - **The last build** (`build.json`): a fingerprint of every file it read (`site.toml` and the
//!   source folders: `content/`, `themes/`, `templates/`, `static/`) and of the options
//!   it ran with, and one of the files it wrote. When neither has changed since, the output is
//!   already what a build would write, and nothing is done.
//! - **The hashes of the source files** (`inputs`), each with the size, times and identity its
//!   file had, so that the fingerprint reads again only the files that changed
//!   (`fingerprint`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::layout::SiteLayout;
use crate::model::transcript::{self, Parsed, TranscriptReader};

mod entry;
mod fingerprint;
mod packs;

use entry::Entry;
use fingerprint::{nanos, written, Hashes};
use packs::{Key, Packs};

const PARSED: &str = "parsed";
const LAST_BUILD: &str = "build.json";
/// The hashes of the source files, with what `stat` said of each (see `fingerprint`).
const INPUT_HASHES: &str = "inputs";

pub struct Cache {
    /// `None` when the cache is off: nothing is read or written.
    dir: Option<PathBuf>,
    /// Identifies this program, so that another build of Verbatim never trusts what this one
    /// wrote: parsing or rendering may have changed between them.
    program: OnceLock<String>,
    /// The parsed transcripts, opened when the first is asked for: a build with nothing to
    /// do reads none.
    packs: OnceLock<Packs>,
}

/// What the last build read and wrote, and what it reported.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug, Clone)]
pub struct LastBuild {
    inputs: String,
    output: String,
    written: String,
    pub report: Counts,
    /// Shown again by a build that is skipped, so that skipping hides no problem.
    pub warnings: Vec<Diagnostic>,
}

/// The options a build ran with, as far as they change what it writes: part of the
/// fingerprint of its inputs. Built field by field (see `pipeline::BuildOptions::cache_key`),
/// never from a printout of the options, so that renaming or adding an option cannot change
/// the key by accident, and an option that changes the output cannot be left out of it.
#[derive(Serialize, PartialEq, Eq, Debug, Clone)]
pub struct BuildKey {
    /// `--base-url`: every absolute link and feed changes with it.
    pub base_url: Option<String>,
    /// `--drafts`: which episodes there are.
    pub drafts: bool,
}

impl BuildKey {
    /// The key's format: raised whenever a field is added, removed or changes meaning, so
    /// that no record of an older format can match.
    pub const VERSION: u32 = 1;

    /// The key as bytes to hash: the format version, then the fields.
    fn bytes(&self) -> Vec<u8> {
        let mut bytes = format!("build key v{}\0", Self::VERSION).into_bytes();
        // Plain fields of known types: serialising them cannot fail.
        bytes.extend(serde_json::to_vec(self).unwrap_or_default());
        bytes
    }
}

/// What a build made.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug, Clone, Copy)]
pub struct Counts {
    pub episodes: usize,
    pub speakers: usize,
    pub shows: usize,
    pub pages: usize,
}

impl Cache {
    /// The cache of the site in `root`.
    pub fn open(root: &Path) -> Cache {
        Cache::at(Some(SiteLayout::new(root).cache()))
    }

    /// No cache: every build starts from nothing.
    pub fn off() -> Cache {
        Cache::at(None)
    }

    fn at(dir: Option<PathBuf>) -> Cache {
        Cache {
            dir,
            program: OnceLock::new(),
            packs: OnceLock::new(),
        }
    }

    /// Keeps the parsed entries this build used, and only those: bodies that changed or went
    /// away are dropped, all of them when the build read none.
    pub fn sweep(&self) {
        if let Some(packs) = self.packs() {
            packs.keep();
        }
    }

    fn packs(&self) -> Option<&Packs> {
        let dir = self.dir.as_ref()?;
        Some(self.packs.get_or_init(|| Packs::open(dir.join(PARSED))))
    }

    /// What the last build into `output` recorded, if its inputs were `inputs` and the output
    /// is still exactly what it wrote.
    pub fn unchanged(&self, inputs: &str, output: &Path) -> Option<LastBuild> {
        let dir = self.dir.as_ref()?;
        let path = dir.join(LAST_BUILD);
        if !fs::metadata(&path).ok()?.is_file() {
            return None;
        }
        let last: LastBuild = serde_json::from_slice(&fs::read(&path).ok()?).ok()?;
        let same = last.inputs == inputs
            && last.output == output.to_string_lossy()
            && written(output).as_deref() == Some(last.written.as_str());
        same.then_some(last)
    }

    /// Records a finished build: its inputs' fingerprint and what is now in `output`.
    pub fn record(&self, inputs: String, output: &Path, report: Counts, warnings: &[Diagnostic]) {
        let Some(dir) = &self.dir else { return };
        let Some(written) = written(output) else {
            return;
        };
        let last = LastBuild {
            inputs,
            output: output.to_string_lossy().into_owned(),
            written,
            report,
            warnings: warnings.to_vec(),
        };
        if let Ok(json) = serde_json::to_vec(&last) {
            write_atomically(&dir.join(LAST_BUILD), &json);
        }
    }

    /// A fingerprint of everything a build of the site in `root` reads: the program, the
    /// options it was given (`key`), `site.toml` and every file in the site's source folders.
    pub fn fingerprint_inputs(&self, root: &Path, key: &BuildKey) -> String {
        let layout = SiteLayout::new(root);
        let mut files: Vec<PathBuf> = layout
            .source_folders()
            .flat_map(|dir| walkdir::WalkDir::new(dir).sort_by_file_name())
            .flatten()
            .filter(is_read_as_file)
            .map(|entry| entry.into_path())
            .collect();
        files.push(layout.config_file());
        let known = self.known_hashes();
        let hashed = known.of(&files);
        if hashed.read > 0 || hashed.known.len() != known.len() {
            self.keep_hashes(&hashed.known);
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.program().as_bytes());
        hasher.update(&key.bytes());
        for (path, hash) in files.iter().zip(hashed.hashes) {
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(&[0]);
            hasher.update(hash.to_hex().as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    /// The hashes of the source files as the last build found them; none without a cache, or
    /// when they cannot be read whole.
    fn known_hashes(&self) -> Hashes {
        self.dir
            .as_ref()
            .and_then(|dir| read_sealed(&dir.join(INPUT_HASHES), INPUT_HASHES.as_bytes()))
            .unwrap_or_default()
    }

    fn keep_hashes(&self, hashes: &Hashes) {
        let Some(dir) = &self.dir else { return };
        if let Ok(bytes) = postcard::to_stdvec(hashes) {
            write_atomically(
                &dir.join(INPUT_HASHES),
                &seal(INPUT_HASHES.as_bytes(), bytes),
            );
        }
    }

    /// An entry's name: the hash of this program and of what the entry was worked out from.
    fn key(&self, parts: &[&[u8]]) -> Key {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.program().as_bytes());
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        *hasher.finalize().as_bytes()
    }

    /// The version, and the size and modification time of the executable: a rebuilt binary
    /// changes them, and reading them costs nothing, where hashing 20 MB of binary was most
    /// of the time of a build with nothing to do on a small site.
    fn program(&self) -> &str {
        self.program.get_or_init(|| {
            let binary = std::env::current_exe()
                .and_then(fs::metadata)
                .map(|m| format!("{} {}", m.len(), m.modified().map_or(0, nanos)))
                .unwrap_or_default();
            format!("verbatim {} {binary}", env!("CARGO_PKG_VERSION"))
        })
    }
}

/// The model's transcripts, through the cache.
impl TranscriptReader for Cache {
    /// `body` read into blocks: from the cache when an earlier build read the same body and
    /// every label it asked about is known the same way now, else read afresh and kept.
    fn read_transcript(
        &self,
        body: &str,
        first_line: usize,
        is_declared: &dyn Fn(&str) -> bool,
    ) -> Parsed {
        let Some(packs) = self.packs() else {
            return transcript::read(body, first_line, is_declared);
        };
        let key = self.key(&[&first_line.to_le_bytes(), body.as_bytes()]);
        let cached = packs
            .get(&key)
            .and_then(|bytes| unsealed::<Entry>(&key, &bytes))
            .filter(|entry| {
                entry
                    .asked
                    .iter()
                    .all(|(label, was)| is_declared(label) == *was)
            })
            .and_then(|entry| entry.parsed(body));
        if let Some(parsed) = cached {
            packs.mark_used(key);
            return parsed;
        }
        let asked = RefCell::new(BTreeMap::new());
        let recording = |label: &str| {
            let answer = is_declared(label);
            asked.borrow_mut().insert(label.to_string(), answer);
            answer
        };
        let mut parsed = transcript::read(body, first_line, &recording);
        let asked = asked.into_inner().into_iter().collect();
        if let Ok(bytes) = entry::encode(asked, &mut parsed, body) {
            packs.put(key, &seal(&key, bytes));
        }
        parsed
    }
}

/// What `path` holds, if it is whole and was written under `key`. Postcard decodes almost
/// any bytes into something (zeros are an entry with no blocks), so a damaged file once gave
/// every episode an empty transcript: the checksum that ends each entry is what tells a
/// damaged or misplaced file from a real one.
fn read_sealed<T: DeserializeOwned>(path: &Path, key: &[u8]) -> Option<T> {
    if !fs::metadata(path).ok()?.is_file() {
        return None;
    }
    unsealed(key, &fs::read(path).ok()?)
}

/// What `sealed` holds, if it is whole and was sealed under `key`.
fn unsealed<T: DeserializeOwned>(key: &[u8], sealed: &[u8]) -> Option<T> {
    let (value, rest) = postcard::take_from_bytes::<T>(unseal(key, sealed)?).ok()?;
    rest.is_empty().then_some(value)
}

/// `bytes` followed by the checksum of the key and the bytes.
fn seal(key: &[u8], mut bytes: Vec<u8>) -> Vec<u8> {
    let checksum = checksum(key, &bytes);
    bytes.extend_from_slice(&checksum);
    bytes
}

/// The bytes [`seal`] was given, if the checksum at the end still matches them and `key`.
fn unseal<'a>(key: &[u8], sealed: &'a [u8]) -> Option<&'a [u8]> {
    let split = sealed.len().checked_sub(CHECKSUM_LEN)?;
    let (bytes, checksum) = sealed.split_at(split);
    (self::checksum(key, bytes) == checksum).then_some(bytes)
}

const CHECKSUM_LEN: usize = 8;

/// What tells damage, not what guards against forgery: whoever can write the cache can write
/// the output too. So a fast hash, not a cryptographic one: it runs over every entry when it
/// is written and again whenever a page reads it back. Another version of foldhash, or
/// another machine, may sum differently: its entries are then misses, never wrong.
fn checksum(key: &[u8], bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    foldhash::fast::FixedState::default()
        .hash_one((key, bytes))
        .to_le_bytes()
}

/// Writes through a temporary file, so that a build stopped half-way, or two builds at once,
/// never leave a torn entry. A cache that cannot be written is no error: the next build
/// works it out again.
fn write_atomically(path: &Path, bytes: &[u8]) -> bool {
    let Some(parent) = path.parent() else {
        return false;
    };
    if fs::create_dir_all(parent).is_err() {
        return false;
    }
    let temporary = parent.join(format!(
        ".{}.{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    fs::write(&temporary, bytes).is_ok() && fs::rename(&temporary, path).is_ok()
}

/// Whether a build may read this entry as a file: a regular file, or a link to one (a
/// `transcript:` may be a link). A link is fingerprinted by what it points to, so that pointing
/// it elsewhere, or editing its target, is a change; pipes and devices are never read.
fn is_read_as_file(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_file()
        || (entry.path_is_symlink() && fs::metadata(entry.path()).is_ok_and(|m| m.is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::CACHE_DIR as DIR;

    const BODY: &str = "Ann Lee: Hello there.\n\n**Bo:** Hi *you*.\n";

    fn labels(parsed: &Parsed) -> Vec<String> {
        parsed
            .blocks
            .iter()
            .filter_map(|b| match b {
                transcript::RawBlock::Turn { label, .. } => Some(label.clone()),
                _ => None,
            })
            .collect()
    }

    /// How many bodies `cache` parsed rather than found.
    fn parsed(cache: &Cache) -> usize {
        cache.packs.get().map_or(0, Packs::appended)
    }

    /// The one pack a build of one body leaves.
    fn the_pack(root: &Path) -> PathBuf {
        let dir = root.join(DIR).join(PARSED);
        let mut packs = fs::read_dir(&dir).unwrap().map(|f| f.unwrap().path());
        let pack = packs.find(|p| p.file_name().unwrap() != "index").unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2, "{dir:?}");
        pack
    }

    #[test]
    fn a_body_read_again_comes_from_the_cache_unless_its_labels_mean_otherwise() {
        let root = tempfile::tempdir().unwrap();
        let known = |name: &str| name == "Ann Lee";
        let cache = Cache::open(root.path());
        let first = cache.read_transcript(BODY, 5, &known);
        assert_eq!(labels(&first), ["Ann Lee", "Bo"]);
        assert_eq!(first.plain, ["Hello there.", "Hi you."]);
        // Read again in the same build, as a page does: found, not parsed.
        cache.read_transcript(BODY, 5, &known);
        assert_eq!(parsed(&cache), 1);
        cache.sweep();
        the_pack(root.path());

        let cache = Cache::open(root.path());
        let again = cache.read_transcript(BODY, 5, &known);
        assert_eq!(labels(&again), labels(&first));
        assert_eq!(parsed(&cache), 0);

        // `Ann Lee:` is a plain label: once nobody knows the name, it is text, not a turn.
        let nobody = |_: &str| false;
        let cache = Cache::open(root.path());
        let reread = cache.read_transcript(BODY, 5, &nobody);
        assert_eq!(labels(&reread), ["Bo"]);
        assert_eq!(parsed(&cache), 1);
    }

    #[test]
    fn unused_entries_are_swept() {
        let root = tempfile::tempdir().unwrap();
        let known = |_: &str| true;
        let cache = Cache::open(root.path());
        cache.read_transcript(BODY, 1, &known);
        cache.read_transcript("Other: body.\n", 1, &known);
        cache.sweep();
        let cache = Cache::open(root.path());
        cache.read_transcript(BODY, 1, &known);
        cache.sweep();
        let cache = Cache::open(root.path());
        cache.read_transcript("Other: body.\n", 1, &known);
        cache.read_transcript(BODY, 1, &known);
        assert_eq!(parsed(&cache), 1);
        cache.sweep();

        // A build that reads no transcript keeps none.
        Cache::open(root.path()).sweep();
        let cache = Cache::open(root.path());
        cache.read_transcript(BODY, 1, &known);
        assert_eq!(parsed(&cache), 1);
    }

    /// Zeros, or an entry cut short, once decoded as a transcript with no blocks: every episode
    /// built as "No transcript yet." with exit 0. Any damage is a miss, parsed again, and the
    /// entry kept is the sound one.
    #[test]
    fn a_damaged_entry_is_a_miss_never_an_empty_transcript() {
        let root = tempfile::tempdir().unwrap();
        let known = |_: &str| true;
        let cache = Cache::open(root.path());
        cache.read_transcript(BODY, 1, &known);
        cache.sweep();
        let whole = fs::read(the_pack(root.path())).unwrap();
        let damaged: [Vec<u8>; 4] = [
            vec![0; whole.len()],
            vec![0; 3],
            whole[..whole.len() / 2].to_vec(),
            [&whole[..whole.len() - 1], b"X"].concat(),
        ];
        for bytes in damaged {
            fs::write(the_pack(root.path()), &bytes).unwrap();
            let cache = Cache::open(root.path());
            let parsed_now = cache.read_transcript(BODY, 1, &known);
            assert_eq!(labels(&parsed_now), ["Ann Lee", "Bo"], "from {bytes:?}");
            // A page reads it again: the entry appended now, not the damaged one.
            cache.read_transcript(BODY, 1, &known);
            assert_eq!(parsed(&cache), 1, "from {bytes:?}");
            cache.sweep();
            assert_eq!(fs::read(the_pack(root.path())).unwrap(), whole);
        }
    }

    #[test]
    fn a_build_is_unchanged_only_while_inputs_and_output_are() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        fs::create_dir_all(root.path().join("content/show")).unwrap();
        fs::write(root.path().join("content/show/a.md"), "one").unwrap();
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("index.html"), "page").unwrap();
        let cache = Cache::open(root.path());
        let published = BuildKey {
            base_url: None,
            drafts: false,
        };
        let inputs = cache.fingerprint_inputs(root.path(), &published);
        let counts = Counts {
            episodes: 1,
            speakers: 2,
            shows: 3,
            pages: 4,
        };
        let warning = Diagnostic::warning("content/show/a.md", "odd").kind("odd");
        cache.record(
            inputs.clone(),
            &output,
            counts,
            std::slice::from_ref(&warning),
        );
        let last = cache.unchanged(&inputs, &output).unwrap();
        assert_eq!((last.report, last.warnings), (counts, vec![warning]));

        let drafts = BuildKey {
            drafts: true,
            ..published.clone()
        };
        let other = cache.fingerprint_inputs(root.path(), &drafts);
        assert!(cache.unchanged(&other, &output).is_none());

        fs::write(root.path().join("content/show/a.md"), "two").unwrap();
        let edited = cache.fingerprint_inputs(root.path(), &published);
        assert_ne!(edited, inputs);

        fs::write(output.join("extra.html"), "x").unwrap();
        assert!(cache.unchanged(&inputs, &output).is_none());

        // A damaged record of the last build is no record.
        cache.record(inputs.clone(), &output, counts, &[]);
        assert!(cache.unchanged(&inputs, &output).is_some());
        let record = root.path().join(DIR).join(LAST_BUILD);
        let json = fs::read(&record).unwrap();
        for damaged in [&json[..json.len() / 2], b"garbage", b""] {
            fs::write(&record, damaged).unwrap();
            assert!(cache.unchanged(&inputs, &output).is_none());
        }
    }
}
