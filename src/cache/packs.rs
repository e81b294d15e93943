//! The cache's parsed transcripts, packed: each build appends the entries it works out to one
//! file of its own (a pack), and an index names where every entry lies.
//!
//! One file per entry had a cold build of 10,000 episodes create 10,000 files, each through a
//! temporary one; the file system's work for them was more than the parsing they saved. Now a
//! build creates at most a pack and the index.
//!
//! Entries are sealed (see [`super::seal`]), so a torn, damaged or misplaced one is a miss. The
//! index is written when a build ends ([`Packs::keep`]) and names only the entries that build
//! used. A pack whose used entries are under half its bytes, or that is small, has them copied
//! into the build's own pack and is deleted, so that neither dead entries nor small packs pile
//! up over builds that each change a few episodes.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::{read_sealed, seal, write_atomically};

/// An entry's name: a hash of the program and of what the entry was worked out from.
pub type Key = [u8; blake3::OUT_LEN];

const INDEX: &str = "index";
const PACK: &str = ".pack";
/// A pack this small is merged into the next build's own whatever it holds.
const SMALL: u64 = 4 << 20;

/// Where an entry lies: in which pack, from which byte, how many.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    pack: u32,
    offset: u64,
    len: u64,
}

#[derive(Serialize, Deserialize, Default)]
struct Index {
    packs: Vec<String>,
    places: Vec<(Key, Place)>,
}

pub struct Packs {
    dir: PathBuf,
    /// The packs of earlier builds, as the index names them, each opened when first read.
    earlier: Vec<(String, OnceLock<Option<File>>)>,
    places: HashMap<Key, Place>,
    /// This build's pack, numbered after the earlier ones; created at the first entry.
    own: String,
    own_file: OnceLock<Option<File>>,
    appended: Mutex<Appended>,
    used: Mutex<HashSet<Key>>,
}

/// What this build has appended to its own pack.
#[derive(Default)]
struct Appended {
    len: u64,
    places: HashMap<Key, Place>,
}

impl Packs {
    /// The packs in `dir`, as its index names them; none when it cannot be read whole.
    pub fn open(dir: PathBuf) -> Packs {
        let index: Index = read_sealed(&dir.join(INDEX), INDEX.as_bytes()).unwrap_or_default();
        let own = format!(
            "{}-{}{PACK}",
            std::process::id(),
            super::fingerprint::nanos(std::time::SystemTime::now())
        );
        let count = index.packs.len();
        Packs {
            earlier: index
                .packs
                .into_iter()
                .map(|name| (name, OnceLock::new()))
                .collect(),
            places: index
                .places
                .into_iter()
                .filter(|(_, place)| (place.pack as usize) < count)
                .collect(),
            dir,
            own,
            own_file: OnceLock::new(),
            appended: Mutex::default(),
            used: Mutex::default(),
        }
    }

    /// The sealed bytes of the entry `key`, if a pack holds it; whether they are whole is for
    /// the caller's unsealing to say.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        self.read(self.place(key)?)
    }

    /// Where the entry `key` lies: in this build's pack first, since an entry is appended
    /// again when the one an earlier build left was damaged.
    fn place(&self, key: &Key) -> Option<Place> {
        let appended = self.appended.lock().ok()?.places.get(key).copied();
        appended.or_else(|| self.places.get(key).copied())
    }

    /// Appends the entry `key` to this build's pack; whether it could.
    pub fn put(&self, key: Key, sealed: &[u8]) -> bool {
        let Some(place) = self.append(sealed) else {
            return false;
        };
        let Ok(mut appended) = self.appended.lock() else {
            return false;
        };
        appended.places.insert(key, place);
        self.mark_used(key);
        true
    }

    /// How many entries this build has appended: those it did not find.
    #[cfg(test)]
    pub fn appended(&self) -> usize {
        self.appended.lock().map_or(0, |a| a.places.len())
    }

    /// Keeps `key` past this build.
    pub fn mark_used(&self, key: Key) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
    }

    /// Writes the index of the entries this build used, moving those of packs mostly dead or
    /// small into this build's own, then deletes every other file of the folder: packs left
    /// with nothing in use, the entries of older versions, and what a build stopped half-way
    /// left.
    pub fn keep(&self) {
        let Some(used) = self.used.lock().ok().map(|used| used.clone()) else {
            return;
        };
        let moving = self.packs_to_move(&used);
        let mut used: Vec<Key> = used.into_iter().collect();
        used.sort_unstable();
        let mut kept: Vec<(Key, Place)> = Vec::with_capacity(used.len());
        for key in used {
            let place = match self.place(&key) {
                Some(place) if moving.get(place.pack as usize) == Some(&true) => {
                    self.read(place).and_then(|bytes| self.append(&bytes))
                }
                place => place,
            };
            kept.extend(place.map(|place| (key, place)));
        }
        let index = self.index_of(kept);
        let named: HashSet<&str> = index.packs.iter().map(String::as_str).collect();
        let Ok(bytes) = postcard::to_stdvec(&index) else {
            return;
        };
        if !write_atomically(&self.dir.join(INDEX), &seal(INDEX.as_bytes(), bytes)) {
            return;
        }
        let Ok(files) = fs::read_dir(&self.dir) else {
            return;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name != INDEX && !named.contains(name.as_str()) {
                let _ = fs::remove_file(file.path());
            }
        }
    }

    /// For each earlier pack, whether its used entries are to be copied into this build's.
    fn packs_to_move(&self, used: &HashSet<Key>) -> Vec<bool> {
        let mut live = vec![0; self.earlier.len()];
        for place in used.iter().filter_map(|key| self.place(key)) {
            if let Some(live) = live.get_mut(place.pack as usize) {
                *live += place.len;
            }
        }
        self.earlier
            .iter()
            .zip(live)
            .map(|((name, _), live)| {
                let size = fs::metadata(self.dir.join(name)).map_or(0, |m| m.len());
                is_worth_moving(live, size)
            })
            .collect()
    }

    /// The index of `places`, naming only the packs they lie in, numbered afresh.
    fn index_of(&self, places: Vec<(Key, Place)>) -> Index {
        let mut index = Index::default();
        let mut numbers: HashMap<u32, u32> = HashMap::new();
        for (key, mut place) in places {
            let number = *numbers.entry(place.pack).or_insert_with(|| {
                index.packs.push(self.name(place.pack).to_string());
                index.packs.len() as u32 - 1
            });
            place.pack = number;
            index.places.push((key, place));
        }
        index
    }

    fn name(&self, pack: u32) -> &str {
        match self.earlier.get(pack as usize) {
            Some((name, _)) => name,
            None => &self.own,
        }
    }

    fn read(&self, place: Place) -> Option<Vec<u8>> {
        let file = match self.earlier.get(place.pack as usize) {
            Some((name, file)) => file.get_or_init(|| File::open(self.dir.join(name)).ok()),
            None => self.own_file.get()?,
        };
        let mut bytes = vec![0; usize::try_from(place.len).ok()?];
        read_at(file.as_ref()?, &mut bytes, place.offset).ok()?;
        Some(bytes)
    }

    /// Writes `bytes` at the end of this build's pack, creating it first if need be. Many
    /// threads append at once: each takes its range, then writes it.
    fn append(&self, bytes: &[u8]) -> Option<Place> {
        let file = self.own_file.get_or_init(|| {
            fs::create_dir_all(&self.dir).ok()?;
            File::options()
                .read(true)
                .write(true)
                .create_new(true)
                .open(self.dir.join(&self.own))
                .ok()
        });
        let file = file.as_ref()?;
        let len = bytes.len() as u64;
        let offset = {
            let mut appended = self.appended.lock().ok()?;
            appended.len += len;
            appended.len - len
        };
        write_at(file, bytes, offset).ok()?;
        Some(Place {
            pack: self.earlier.len() as u32,
            offset,
            len,
        })
    }
}

/// Whether a pack of `size` bytes, `live` of them in use, is better copied into the next
/// pack: when most of it is dead, or it is small, so that packs stay few. A pack with nothing
/// in use is deleted instead.
fn is_worth_moving(live: u64, size: u64) -> bool {
    live > 0 && (live * 2 < size || size < SMALL)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_read(bytes, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut std::mem::take(&mut bytes)[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_write(bytes, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        [n; blake3::OUT_LEN]
    }

    fn packs_in(dir: &std::path::Path) -> Vec<PathBuf> {
        let mut packs: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(PACK))
            .collect();
        packs.sort();
        packs
    }

    #[test]
    fn entries_are_read_back_in_the_same_build_and_the_next() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("parsed");
        let packs = Packs::open(dir.clone());
        assert!(packs.put(key(1), b"one"));
        assert!(packs.put(key(2), b"second entry"));
        assert_eq!(packs.get(&key(1)).unwrap(), b"one");
        assert_eq!(packs.get(&key(2)).unwrap(), b"second entry");
        assert_eq!(packs.get(&key(3)), None);
        packs.keep();

        let again = Packs::open(dir.clone());
        assert_eq!(again.get(&key(2)).unwrap(), b"second entry");
        assert_eq!(packs_in(&dir).len(), 1);
    }

    /// Build after build, each changing one entry and keeping another: one pack stays, and
    /// what it holds is what is in use.
    #[test]
    fn neither_dead_entries_nor_small_packs_pile_up() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("parsed");
        let kept = b"the entry every build uses".to_vec();
        for build in 0..6u8 {
            let packs = Packs::open(dir.clone());
            if build == 0 {
                packs.put(key(0), &kept);
            } else {
                assert_eq!(packs.get(&key(0)).unwrap(), kept, "build {build}");
                packs.mark_used(key(0));
            }
            packs.put(key(build + 1), &[build; 100]);
            packs.keep();
            let on_disk = packs_in(&dir);
            assert_eq!(on_disk.len(), 1, "build {build}");
            assert_eq!(fs::metadata(&on_disk[0]).unwrap().len(), 126);
        }
        let last = Packs::open(dir.clone());
        assert_eq!(last.get(&key(6)).unwrap(), [5; 100]);
        assert_eq!(last.get(&key(5)), None);
    }

    #[test]
    fn a_large_pack_is_moved_only_once_mostly_dead() {
        assert!(!is_worth_moving(SMALL, SMALL * 2 - 1));
        assert!(!is_worth_moving(SMALL, SMALL * 2));
        assert!(is_worth_moving(SMALL, SMALL * 2 + 1));
        assert!(is_worth_moving(1, SMALL - 1));
        assert!(!is_worth_moving(0, SMALL - 1));
        assert!(!is_worth_moving(0, SMALL * 8));
    }

    /// A build stopped half-way writes no index: what it appended is not read, and the next
    /// build to finish deletes it, with any file the index does not name.
    #[test]
    fn what_the_index_does_not_name_is_swept() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("parsed");
        let stopped = Packs::open(dir.clone());
        stopped.put(key(1), b"never indexed");
        fs::write(dir.join("0123abcd"), b"an entry of an older version").unwrap();
        let next = Packs::open(dir.clone());
        assert_eq!(next.get(&key(1)), None);
        next.put(key(2), b"indexed");
        next.keep();
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&dir.join(INDEX)));
        assert_eq!(Packs::open(dir).get(&key(2)).unwrap(), b"indexed");
    }

    /// A pack that went away, or was cut short, is a miss, never an error.
    #[test]
    fn a_missing_or_short_pack_is_a_miss() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("parsed");
        let packs = Packs::open(dir.clone());
        packs.put(key(1), b"first");
        packs.put(key(2), b"second");
        packs.keep();
        let pack = packs_in(&dir).remove(0);
        fs::write(&pack, b"firs").unwrap();
        let short = Packs::open(dir.clone());
        assert_eq!(short.get(&key(1)), None);
        assert_eq!(short.get(&key(2)), None);
        fs::remove_file(&pack).unwrap();
        let gone = Packs::open(dir.clone());
        assert_eq!(gone.get(&key(1)), None);
        gone.mark_used(key(1));
        gone.keep();
        assert_eq!(Packs::open(dir).get(&key(1)), None);
    }
}
