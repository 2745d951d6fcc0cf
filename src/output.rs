//! Output files written front to back and made durable at the end.
//!
//! A graph or a JSON Lines file of a large corpus is hundreds of megabytes. The command writes
//! it to a temporary file, `fsync`s it and renames it into place, so that a file written over an
//! older one survives a power cut. Waiting at the end for the disk to take all those pages cost
//! 0.07 to 0.13 s of a 2 s run (BENCHMARKS.md); on Linux, [`EagerFile`] hands each stretch of
//! [`EAGER_BYTES`] to the disk as soon as it is written (`sync_file_range`, which starts the
//! write-out and does not wait for it), so the final `fsync` waits only for the last stretch.

use std::fs::File;
use std::io::{self, Write};

/// How many written bytes are handed to the disk at a time.
pub const EAGER_BYTES: u64 = 8 << 20;

/// A file whose written pages are sent to the disk as writing goes on (Linux; elsewhere a
/// plain file). Errors of the early write-out are not reported here: [`File::sync_all`] at the
/// end reports them.
pub struct EagerFile {
    file: File,
    written: u64,
    handed: u64,
}

impl EagerFile {
    /// Wraps a file opened for writing at its start.
    pub fn new(file: File) -> EagerFile {
        EagerFile {
            file,
            written: 0,
            handed: 0,
        }
    }

    /// The file, to `sync_all` and close.
    pub fn into_file(self) -> File {
        self.file
    }

    #[cfg(target_os = "linux")]
    fn hand_over(&mut self) {
        use std::os::fd::AsRawFd;
        let (Ok(from), Ok(len)) = (
            i64::try_from(self.handed),
            i64::try_from(self.written - self.handed),
        ) else {
            return;
        };
        // SAFETY: the descriptor is open for as long as `self.file` lives; the call only starts
        // the write-out of pages already written and reads no memory of ours.
        unsafe {
            libc::sync_file_range(
                self.file.as_raw_fd(),
                from,
                len,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
        self.handed = self.written;
    }

    #[cfg(not(target_os = "linux"))]
    fn hand_over(&mut self) {
        self.handed = self.written;
    }
}

impl Write for EagerFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.handed >= EAGER_BYTES {
            self.hand_over();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufWriter, Read};

    #[test]
    fn writes_every_byte_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let data: Vec<u8> = (0..3 * EAGER_BYTES as usize + 12345)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut w = BufWriter::new(EagerFile::new(File::create(&path).unwrap()));
        for piece in data.chunks(100_003) {
            w.write_all(piece).unwrap();
        }
        let f = w.into_inner().map_err(|e| e.into_error()).unwrap();
        // Handed over a stretch at a time, never past what was written.
        assert!(
            f.handed > 2 * EAGER_BYTES && f.handed <= f.written,
            "handed over {} of {}",
            f.handed,
            f.written
        );
        assert_eq!(f.written, data.len() as u64);
        f.into_file().sync_all().unwrap();
        let mut back = Vec::new();
        File::open(&path).unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    }
}
