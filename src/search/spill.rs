//! The parsed pages of an index's parts, kept on disk from when they are weighed until each
//! part is built (see `build_parts`).

use crate::error::{Error, Result};

/// The parsed pages of each part of an index, from when they are weighed until the part is
/// built, in a folder of their own that is removed when this is dropped. One file per part,
/// of frames: each frame's length (8 bytes, little-endian) and then its bytes.
pub(super) struct Spill {
    dir: tempfile::TempDir,
}

impl Spill {
    pub(super) fn new(scratch: &std::path::Path) -> Result<Spill> {
        let dir = tempfile::Builder::new()
            .prefix(".verbatim-index-")
            .tempdir_in(scratch)
            .map_err(|e| Error::io(scratch, e))?;
        Ok(Spill { dir })
    }

    fn file(&self, part: usize) -> std::path::PathBuf {
        self.dir.path().join(format!("part-{part}"))
    }

    /// A new file for part `part`, to write its frames to.
    pub(super) fn create(&self, part: usize) -> Result<SpillFile> {
        let path = self.file(part);
        let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok(SpillFile {
            out: std::io::BufWriter::with_capacity(1 << 20, file),
            path,
        })
    }

    /// Part `part`'s file, to read its frames from.
    pub(super) fn open(&self, part: usize) -> Result<SpillReader> {
        let path = self.file(part);
        let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        Ok(SpillReader {
            input: std::io::BufReader::with_capacity(1 << 20, file),
            path,
        })
    }

    pub(super) fn remove(&self, part: usize) -> Result<()> {
        let path = self.file(part);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))
    }
}

/// How many pages of a part are encoded, or decoded, at once on their way to or from disk:
/// enough to keep every core busy, few enough to take little memory.
pub(super) const SPILLED_AT_ONCE: usize = 256;

pub(super) struct SpillFile {
    out: std::io::BufWriter<std::fs::File>,
    path: std::path::PathBuf,
}

impl SpillFile {
    pub(super) fn frame(&mut self, frame: &[u8]) -> Result<()> {
        use std::io::Write;
        self.out
            .write_all(&(frame.len() as u64).to_le_bytes())
            .and_then(|()| self.out.write_all(frame))
            .map_err(|e| Error::io(&self.path, e))
    }

    pub(super) fn finish(mut self) -> Result<()> {
        use std::io::Write;
        self.out.flush().map_err(|e| Error::io(&self.path, e))
    }
}

pub(super) struct SpillReader {
    input: std::io::BufReader<std::fs::File>,
    path: std::path::PathBuf,
}

impl SpillReader {
    /// The next frames, at most `at_most` of them; none at the end of the file.
    pub(super) fn frames(&mut self, at_most: usize) -> Result<Vec<Vec<u8>>> {
        use std::io::{BufRead, Read};
        let cut_short = || Error::Search(format!("{} was cut short", self.path.display()));
        let mut frames = Vec::new();
        while frames.len() < at_most {
            let at_end = self
                .input
                .fill_buf()
                .map_err(|e| Error::io(&self.path, e))?;
            if at_end.is_empty() {
                break;
            }
            let mut length = [0; 8];
            self.input
                .read_exact(&mut length)
                .map_err(|_| cut_short())?;
            let length = u64::from_le_bytes(length);
            let mut frame = Vec::new();
            (&mut self.input)
                .take(length)
                .read_to_end(&mut frame)
                .map_err(|e| Error::io(&self.path, e))?;
            if frame.len() as u64 != length {
                return Err(cut_short());
            }
            frames.push(frame);
        }
        Ok(frames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spilled_part_reads_back_frame_by_frame_and_is_removed() {
        let scratch = tempfile::tempdir().unwrap();
        let spill = Spill::new(scratch.path()).unwrap();
        let mut out = spill.create(3).unwrap();
        for frame in [&b"first"[..], b"", b"third"] {
            out.frame(frame).unwrap();
        }
        out.finish().unwrap();
        let mut kept = spill.open(3).unwrap();
        assert_eq!(kept.frames(2).unwrap(), [b"first".to_vec(), Vec::new()]);
        assert_eq!(kept.frames(2).unwrap(), [b"third".to_vec()]);
        assert!(kept.frames(2).unwrap().is_empty());
        spill.remove(3).unwrap();
        let folder = spill.dir.path().to_path_buf();
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
        drop(spill);
        assert!(!folder.exists());
    }

    #[test]
    fn a_spilled_part_cut_short_is_an_error() {
        let scratch = tempfile::tempdir().unwrap();
        let spill = Spill::new(scratch.path()).unwrap();
        let mut out = spill.create(0).unwrap();
        out.frame(b"whole").unwrap();
        out.finish().unwrap();
        let file = spill.file(0);
        let bytes = std::fs::read(&file).unwrap();
        for cut in [bytes.len() - 1, 4] {
            std::fs::write(&file, &bytes[..cut]).unwrap();
            let error = spill.open(0).unwrap().frames(8).unwrap_err();
            assert!(error.to_string().contains("cut short"), "{error}");
        }
    }
}
