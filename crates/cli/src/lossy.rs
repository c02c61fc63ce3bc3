//! Output that fails without stopping the program: a full disk (or any write error other than a
//! closed pipe) while writing a trace or a recording is reported at once, the rest of the
//! output is dropped and counted, and the traced program runs to its end, as under strace. A
//! closed pipe (`sysgate trace … | head`) still ends the session.

use std::io::{self, Write};

/// A writer that latches its first error.
pub struct Lossy<W: Write> {
    inner: W,
    what: String,
    written: u64,
    failed: Option<io::Error>,
    dropped: u64,
}

impl<W: Write> Lossy<W> {
    /// Wraps `inner`; `what` names it in messages (`trace.txt`).
    pub fn new(inner: W, what: impl Into<String>) -> Lossy<W> {
        Lossy {
            inner,
            what: what.into(),
            written: 0,
            failed: None,
            dropped: 0,
        }
    }

    fn fail(&mut self, e: io::Error, len: usize) {
        say!(
            "sysgate: writing {} failed after {} bytes: {e}; the program runs on, the rest of the output is lost",
            self.what,
            self.written
        );
        self.failed = Some(e);
        self.dropped += len as u64;
    }

    /// After the session: what was lost, as one line, if anything was.
    pub fn loss(&self) -> Option<String> {
        let e = self.failed.as_ref()?;
        Some(format!(
            "sysgate: {} is incomplete: {} bytes written, {} bytes lost ({e})",
            self.what, self.written, self.dropped
        ))
    }
}

impl<W: Write> Write for Lossy<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed.is_some() {
            self.dropped += buf.len() as u64;
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Ok(n) => {
                self.written += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(e),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                self.fail(e, buf.len());
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed.is_some() {
            return Ok(());
        }
        match self.inner.flush() {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(e),
            Err(e) => {
                self.fail(e, 0);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails like a full disk.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(libc::ENOSPC));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_is_counted_not_fatal() {
        let mut w = Lossy::new(Full { room: 4 }, "t.txt");
        assert!(w.loss().is_none());
        w.write_all(b"abcdef").unwrap();
        w.write_all(b"gh").unwrap();
        let loss = w.loss().unwrap();
        assert!(loss.contains("4 bytes written, 4 bytes lost"), "{loss}");
    }

    #[test]
    fn a_closed_pipe_still_ends_the_session() {
        struct Pipe;
        impl Write for Pipe {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = Lossy::new(Pipe, "stdout");
        assert_eq!(w.write(b"x").unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }
}
