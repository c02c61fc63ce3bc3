//! Syscall families that the summary, the cost model, the shared context and the rules all
//! match on, named once. Each is a pattern macro, usable in `match` arms and `matches!`:
//! `matches!(name, file_write!())`, `file_read!() | "recvfrom" => …`.

/// Calls that open a file by path.
macro_rules! opens {
    () => {
        "open" | "openat" | "openat2" | "creat"
    };
}

/// Reads from a file descriptor into memory (not sockets' own calls).
macro_rules! file_read {
    () => {
        "read" | "pread64" | "readv" | "preadv" | "preadv2"
    };
}

/// Writes from memory to a file descriptor (not sockets' own calls).
macro_rules! file_write {
    () => {
        "write" | "pwrite64" | "writev" | "pwritev" | "pwritev2"
    };
}

pub(crate) use {file_read, file_write, opens};
