//! Feeds arbitrary bytes to the `.sgt` reader: it must return an error or events, never panic,
//! hang or allocate without bound.
#![no_main]

use std::io;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sysgate_event::sgt::Reader;
use sysgate_event::{SignalEvent, Sink, SyscallEvent, TaskEvent};

struct Discard;

impl Sink for Discard {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        // Touch the decoded values so rendering paths are exercised too.
        let mut s = String::new();
        sysgate_event::render::syscall_line_into(ev, &mut s);
        Ok(())
    }
    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }
    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(mut r) = Reader::new(data, Path::new("fuzz.sgt")) {
        let _ = r.replay(&mut Discard);
    }
});
