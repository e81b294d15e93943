//! Fingerprints of the files a build reads and of the files it wrote: how a build tells that
//! nothing changed since the last one.
//!
//! Hashing every source file read the whole archive again on every build, gigabytes at
//! 100,000 episodes, and was most of the time of a build with nothing to do. So, as git's
//! index does, the hash of each source file is kept with what `stat` said of it then, and a
//! file whose size, times and identity are still the same is not read again. A file written
//! twice within one tick of its file system's clock keeps the same times, so a hash is only
//! kept for a file that had last changed well before the hash was taken.

use std::collections::HashMap;
use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How long before a hash is taken its file must have last changed for the hash to be kept:
/// more than the coarsest file system clock (two seconds, on FAT), with room for a network
/// file system whose clock runs a little apart from ours.
const SETTLED: Duration = Duration::from_secs(5);

/// The hashes of the source files as the last build found them.
#[derive(Serialize, Deserialize, Default, Debug)]
pub(super) struct Hashes {
    files: HashMap<String, Known>,
}

/// A file's hash, with what `stat` said of the file when it was taken.
#[derive(Serialize, Deserialize, Clone, Copy, Debug)]
struct Known {
    stat: Stat,
    hash: [u8; blake3::OUT_LEN],
}

/// What `stat` says of a file that changes whenever its content is written. The status
/// change time is there because no program can set it back, where `touch` or a copy that
/// keeps times can put any modification time on new content.
#[derive(Serialize, Deserialize, PartialEq, Eq, Clone, Copy, Debug)]
struct Stat {
    len: u64,
    modified: u128,
    changed: u128,
    device: u64,
    inode: u64,
}

/// The hashes of a list of files, and what to keep of them for the next build.
pub(super) struct Hashed {
    pub hashes: Vec<blake3::Hash>,
    pub known: Hashes,
    /// How many files were read: none when every one was known and unchanged.
    pub read: usize,
}

impl Hashes {
    /// The hash of every file of `files`, in order: the known one when the file is unchanged
    /// since, else read afresh. A file that cannot be read hashes as empty, so that it still
    /// changes the fingerprint when it becomes readable.
    pub(super) fn of(&self, files: &[PathBuf]) -> Hashed {
        let settled = nanos(SystemTime::now()).saturating_sub(SETTLED.as_nanos());
        let each: Vec<(blake3::Hash, Option<Known>, bool)> = with_reads_in_flight(|| {
            files
                .par_iter()
                .map(|path| self.hash(path, settled))
                .collect()
        });
        let read = each.iter().filter(|(_, _, read)| *read).count();
        let known = files
            .iter()
            .zip(&each)
            .filter_map(|(path, (_, known, _))| Some((key(path), (*known)?)))
            .collect();
        Hashed {
            hashes: each.into_iter().map(|(hash, _, _)| hash).collect(),
            known: Hashes { files: known },
            read,
        }
    }

    /// How many files have a known hash.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }

    /// `path`'s hash; what to keep of it, if its file had settled by `settled` and did not
    /// change while it was read; and whether it was read.
    fn hash(&self, path: &Path, settled: u128) -> (blake3::Hash, Option<Known>, bool) {
        let before = stat(path);
        if let (Some(now), Some(known)) = (before, self.files.get(&key(path))) {
            if now == known.stat {
                return (blake3::Hash::from(known.hash), Some(*known), false);
            }
        }
        let hash = blake3::hash(&fs::read(path).unwrap_or_default());
        let keep = before
            .filter(|stat| stat.modified < settled && stat.changed < settled)
            .filter(|stat| self::stat(path) == Some(*stat))
            .map(|stat| Known {
                stat,
                hash: *hash.as_bytes(),
            });
        (hash, keep, true)
    }
}

/// How many files the fingerprints read or `stat` at once. Both wait on the storage far more
/// than they compute, and a cold build reads the whole archive: a disk, and more so a network
/// file system, serves many requests in flight faster than one per core. Reading a
/// 10,000-episode archive (573 MB) not in the page cache took 0.6-0.7 s with 16 readers and
/// 1.3-1.6 s with 2 (`xargs -P`, after dropping the page cache).
///
/// So this read is also what brings an archive that is not in memory into it, before loading
/// parses it on one thread a core. Skipping it where no fingerprint is needed (`--no-cache`)
/// made a 100,000-episode build reach its model later, 48-53 s against 34 s with the page
/// cache dropped before each, as did parsing while reading ahead with the hash taken from the
/// parsing read: loading reads from the page cache faster than it waits on the disk.
const READS_IN_FLIGHT: usize = 16;

/// `work`, its parallel iterators run on [`READS_IN_FLIGHT`] threads of their own; on rayon's
/// threads, one per core, if those cannot be started.
fn with_reads_in_flight<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(READS_IN_FLIGHT)
        .thread_name(|i| format!("verbatim-read-{i}"))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// What `stat` says of the file `path` names, following links: a link is read as the file it
/// points to.
fn stat(path: &Path) -> Option<Stat> {
    let metadata = fs::metadata(path).ok()?;
    let (changed, device, inode) = identity(&metadata);
    Some(Stat {
        len: metadata.len(),
        modified: nanos(metadata.modified().ok()?),
        changed,
        device,
        inode,
    })
}

#[cfg(unix)]
fn identity(metadata: &Metadata) -> (u128, u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let changed = u128::try_from(metadata.ctime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(metadata.ctime_nsec()).unwrap_or(0);
    (changed, metadata.dev(), metadata.ino())
}

/// Without a status change time or inode numbers, size and modification time alone decide.
#[cfg(not(unix))]
fn identity(_: &Metadata) -> (u128, u64, u64) {
    (0, 0, 0)
}

/// `time` in nanoseconds since 1970; 0 for a time before.
pub(super) fn nanos(time: SystemTime) -> u128 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos())
}

/// A fingerprint of the files in `output`: their paths, sizes and modification times. Any
/// file changed, added or removed since changes it. Folders are listed in parallel: a large
/// archive writes half a million files, each to `stat`.
pub(super) fn written(output: &Path) -> Option<String> {
    let (hash, files) = with_reads_in_flight(|| listing(output))?;
    (files > 0).then(|| hash.to_hex().to_string())
}

/// The fingerprint of everything in the folder `dir`, and how many entries that is.
fn listing(dir: &Path) -> Option<(blake3::Hash, usize)> {
    let mut entries = fs::read_dir(dir)
        .ok()?
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    entries.sort_by_key(|entry| entry.file_name());
    let each = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            // Not followed: a link in the output is fingerprinted as the link.
            let metadata = entry.metadata().ok()?;
            let mut hasher = blake3::Hasher::new();
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(&[0]);
            hasher.update(&metadata.len().to_le_bytes());
            hasher.update(&nanos(metadata.modified().ok()?).to_le_bytes());
            let mut count = 1;
            if metadata.is_dir() {
                let (inside, files) = listing(&path)?;
                hasher.update(inside.as_bytes());
                count += files;
            }
            Some((hasher.finalize(), count))
        })
        .collect::<Option<Vec<_>>>()?;
    let mut hasher = blake3::Hasher::new();
    for (hash, _) in &each {
        hasher.update(hash.as_bytes());
    }
    Some((hasher.finalize(), each.iter().map(|(_, count)| count).sum()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's times, set back to long ago, as if it had been written well before.
    fn age(path: &Path) {
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(long_ago).unwrap();
    }

    #[test]
    fn a_file_is_read_again_only_when_it_changed_or_had_not_settled() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
        fs::write(&a, "one").unwrap();
        fs::write(&b, "two").unwrap();
        age(&a);
        let files = [a.clone(), b.clone()];
        let first = Hashes::default().of(&files);
        assert_eq!(first.read, 2);
        assert_eq!(first.hashes, [blake3::hash(b"one"), blake3::hash(b"two")]);

        // `b` was written just now: its times do not yet tell a later write from this one.
        // `a`'s status change time is recent too (setting its time changed it).
        assert_eq!(first.known.len(), 0);

        // A hash kept for `a` is used while `a`'s stat is the same, and only then.
        let mut known = first.known;
        let stat = stat(&a).unwrap();
        known.files.insert(
            key(&a),
            Known {
                stat,
                hash: *blake3::hash(b"kept").as_bytes(),
            },
        );
        let again = known.of(&files);
        assert_eq!(again.read, 1);
        assert_eq!(again.hashes[0], blake3::hash(b"kept"));
        fs::write(&a, "One").unwrap();
        age(&a);
        let edited = known.of(&files);
        assert_eq!(edited.read, 2);
        assert_eq!(edited.hashes[0], blake3::hash(b"One"));
    }

    #[test]
    fn a_settled_file_is_known_at_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, "one").unwrap();
        let settled = nanos(SystemTime::now()) + SETTLED.as_nanos();
        let (hash, known, read) = Hashes::default().hash(&a, settled);
        assert_eq!((hash, read), (blake3::hash(b"one"), true));
        let mut hashes = Hashes::default();
        hashes.files.insert(key(&a), known.unwrap());
        assert_eq!(hashes.of(std::slice::from_ref(&a)).read, 0);
        // A missing file is read (as empty), never taken for what was there.
        fs::remove_file(&a).unwrap();
        let gone = hashes.of(&[a]);
        assert_eq!((gone.read, gone.hashes[0]), (1, blake3::hash(b"")));
    }

    #[test]
    fn the_output_fingerprint_changes_with_any_file_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        assert_eq!(written(out), None);
        fs::create_dir_all(out.join("show/episode")).unwrap();
        fs::write(out.join("index.html"), "home").unwrap();
        fs::write(out.join("show/episode/index.html"), "page").unwrap();
        let first = written(out).unwrap();
        assert_eq!(written(out).unwrap(), first);
        fs::write(out.join("show/episode/index.html"), "page, longer").unwrap();
        let edited = written(out).unwrap();
        assert_ne!(edited, first);
        fs::write(out.join("show/extra.txt"), "").unwrap();
        assert_ne!(written(out).unwrap(), edited);
    }
}
