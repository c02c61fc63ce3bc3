//! A program to start: resolved before anything runs, with everything `execve` needs prepared
//! before `fork`. Both engines start programs with it.

use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::Error;

/// A program to run: resolved path and argv.
#[derive(Debug, Clone)]
pub struct Command {
    pub(crate) path: CString,
    pub(crate) argv: Vec<CString>,
    display: String,
}

impl Command {
    /// Resolves `program` the way a shell does (a name with no `/` is searched in `PATH`) and
    /// checks it can be executed, so that errors are reported before anything is started.
    pub fn new(program: &OsStr, args: &[OsString]) -> Result<Command, Error> {
        let display = program.to_string_lossy().into_owned();
        let path = resolve(program).ok_or_else(|| Error::NotFound(display.clone()))?;
        let meta = std::fs::metadata(&path).map_err(|_| Error::NotFound(display.clone()))?;
        if meta.is_dir() || meta.permissions().mode() & 0o111 == 0 {
            return Err(Error::NotExecutable(path.display().to_string()));
        }
        let to_c = |s: &OsStr| {
            CString::new(s.as_bytes()).map_err(|_| Error::NulInArgument(s.to_string_lossy().into()))
        };
        let mut argv = vec![to_c(program)?];
        for a in args {
            argv.push(to_c(a)?);
        }
        Ok(Command {
            path: to_c(path.as_os_str())?,
            argv,
            display,
        })
    }

    /// The program as the user named it.
    pub fn display(&self) -> &str {
        &self.display
    }
}

fn resolve(program: &OsStr) -> Option<PathBuf> {
    if program.as_bytes().contains(&b'/') {
        let p = PathBuf::from(program);
        return p.exists().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/usr/bin:/bin"));
    let mut first_non_exec = None;
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(program);
        if let Ok(meta) = std::fs::metadata(&candidate)
            && meta.is_file()
        {
            if meta.permissions().mode() & 0o111 != 0 {
                return Some(candidate);
            }
            first_non_exec.get_or_insert(candidate);
        }
    }
    first_non_exec
}

/// Everything `execve` needs, prepared before `fork`: the child of a multi-threaded process may
/// not allocate.
pub(crate) struct ExecImage<'a> {
    path: &'a CString,
    argv: Vec<*const libc::c_char>,
    /// Owns the strings `envp` points into.
    _env: Vec<CString>,
    envp: Vec<*const libc::c_char>,
    /// `sysgate: cannot execute PATH: `, written before the reason when `execve` fails.
    failure: Vec<u8>,
}

/// Why an `execve` failed, as a shell would say it (a static table: the child may not format).
fn exec_failure(errno: i32) -> &'static [u8] {
    match errno {
        libc::ENOENT => {
            b"No such file or directory (or its #! interpreter or ELF loader is missing)\n"
        }
        libc::ENOEXEC => {
            b"Exec format error (not an executable this kernel can run, and no #! line)\n"
        }
        libc::EACCES => b"Permission denied\n",
        libc::EPERM => b"Operation not permitted\n",
        libc::ETXTBSY => b"Text file busy\n",
        libc::E2BIG => b"Argument list too long\n",
        libc::ENOMEM => b"Cannot allocate memory\n",
        libc::ELOOP => b"Too many levels of symbolic links\n",
        libc::ENOTDIR => b"Not a directory\n",
        libc::ELIBBAD => b"Accessing a corrupted shared library\n",
        _ => b"execve failed\n",
    }
}

impl<'a> ExecImage<'a> {
    /// `cmd` with sysgate's environment (variables with a NUL left out).
    pub(crate) fn new(cmd: &'a Command) -> ExecImage<'a> {
        let mut argv: Vec<*const libc::c_char> = cmd.argv.iter().map(|a| a.as_ptr()).collect();
        argv.push(std::ptr::null());
        let env: Vec<CString> = std::env::vars_os()
            .filter_map(|(k, v)| {
                let mut kv = k.into_vec();
                kv.push(b'=');
                kv.extend(v.into_vec());
                CString::new(kv).ok()
            })
            .collect();
        let mut envp: Vec<*const libc::c_char> = env.iter().map(|e| e.as_ptr()).collect();
        envp.push(std::ptr::null());
        let failure =
            format!("sysgate: cannot execute {}: ", cmd.path.to_string_lossy()).into_bytes();
        ExecImage {
            path: &cmd.path,
            argv,
            _env: env,
            envp,
            failure,
        }
    }

    /// Replaces the process with the program; if that fails, says why on stderr and exits with
    /// 127 (not found) or 126, as a shell does.
    ///
    /// # Safety
    /// Only in a forked child, where nothing but async-signal-safe calls may run.
    pub(crate) unsafe fn exec(&self) -> ! {
        // SAFETY: path, argv and envp are NUL-terminated strings and NULL-terminated arrays
        // owned by `self`, alive for the call; the messages are live byte slices.
        unsafe {
            libc::execve(self.path.as_ptr(), self.argv.as_ptr(), self.envp.as_ptr());
            let err = *libc::__errno_location();
            let why = exec_failure(err);
            libc::write(2, self.failure.as_ptr().cast(), self.failure.len());
            libc::write(2, why.as_ptr().cast(), why.len());
            libc::_exit(if err == libc::ENOENT { 127 } else { 126 })
        }
    }
}
