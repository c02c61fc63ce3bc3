//! Call stacks of a stopped thread, for `sysgate trace -k`.
//!
//! - **Modules**: the executable mappings of the process (`/proc/PID/maps`), each tied to its ELF
//!   file; a program address becomes a file address (the ELF's own virtual address, "SVMA")
//!   through the `PT_LOAD` segment that maps it.
//! - **Unwinding**: [`framehop`] walks the stack with each module's `.eh_frame` (DWARF CFI), and
//!   falls back to frame pointers where there is none. The stack is read from the tracee once,
//!   in one piece above the stack pointer, instead of word by word.
//! - **Naming**: [`addr2line`] gives function names, `file:line` and inlined frames from DWARF
//!   where the binary has debug information, and the ELF symbol table otherwise.
//!
//! - **Separate debug files**: a stripped binary's DWARF is found by its build id in
//!   `DIR/.build-id/ab/cdef….debug` (Debian's `-dbgsym` packages install there under
//!   `/usr/lib/debug`), or as `DIR/NAME[.debug]` with the same build id, for each `--debug-dir`.
//! - **Offline**: a recorded frame keeps its module, build id and file address, so
//!   [`Stacks::rename`] names it again where the recording is read, from files of the same build.
//!
//! Everything per file (unwind tables, debug information) and per address (names) is cached:
//! a process that makes the same call from the same place a million times pays once.

#![deny(missing_docs)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use framehop::x86_64::{CacheX86_64, UnwindRegsX86_64, UnwinderX86_64};
use framehop::{ExplicitModuleSectionInfo, FrameAddress, Module, Unwinder};
use object::{Object, ObjectSection, ObjectSegment, ObjectSymbol};

use sysgate_event::StackFrame;

/// Most frames kept per stack.
pub const MAX_FRAMES: usize = 64;
/// Bytes of stack read above the stack pointer in one piece.
const STACK_WINDOW: usize = 64 * 1024;
/// Where distributions install separate debug files, searched after the `--debug-dir`s.
pub const SYSTEM_DEBUG_DIR: &str = "/usr/lib/debug";

/// The GNU build id of an ELF file, in hex.
fn build_id_hex(obj: &object::File<'_>) -> Option<Arc<str>> {
    obj.build_id().ok().flatten().map(|b| {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        Arc::<str>::from(hex)
    })
}

/// The build id of the ELF file at `path`, reading only what it takes.
fn build_id_of(path: &Path) -> Option<Arc<str>> {
    let data = std::fs::read(path).ok()?;
    build_id_hex(&object::File::parse(&*data).ok()?)
}

/// A file with DWARF for build `build_id` of `module`, in `dirs`: by build id
/// (`DIR/.build-id/ab/cdef….debug`), or by name (`DIR/NAME.debug`, `DIR/NAME`) when its build
/// id matches.
fn find_debug_file(dirs: &[PathBuf], build_id: &str, module: &str) -> Option<PathBuf> {
    if build_id.len() < 3 || !build_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let name = Path::new(module).file_name()?;
    for dir in dirs {
        let by_id = dir
            .join(".build-id")
            .join(&build_id[..2])
            .join(format!("{}.debug", &build_id[2..]));
        if by_id.is_file() {
            return Some(by_id);
        }
        let mut debug_name = name.to_os_string();
        debug_name.push(".debug");
        for candidate in [dir.join(&debug_name), dir.join(name)] {
            if candidate.is_file() && build_id_of(&candidate).as_deref() == Some(build_id) {
                return Some(candidate);
            }
        }
    }
    None
}

/// One executable mapping of a file.
#[derive(Debug, Clone)]
struct Mapping {
    start: u64,
    end: u64,
    offset: u64,
    path: Arc<str>,
}

/// The executable mappings in `/proc/PID/maps`.
fn executable_mappings(pid: u32) -> Vec<Mapping> {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let (Some(range), Some(perms), Some(offset)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let path = f.nth(2).unwrap_or_default();
        if !perms.contains('x') || !path.starts_with('/') {
            continue;
        }
        let Some((a, b)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end), Ok(offset)) = (
            u64::from_str_radix(a, 16),
            u64::from_str_radix(b, 16),
            u64::from_str_radix(offset, 16),
        ) else {
            continue;
        };
        out.push(Mapping {
            start,
            end,
            offset,
            path: path.into(),
        });
    }
    out
}

/// What sysgate keeps of one ELF file.
struct ElfFile {
    /// `(p_offset, p_filesz, p_vaddr)` of each executable `PT_LOAD` segment (sysgate maps only
    /// executable mappings to files; a page can hold the end of a read-only segment and the
    /// start of the executable one, and must be read as the latter).
    loads: Vec<(u64, u64, u64)>,
    /// Sections framehop unwinds with, shared by every module made from this file.
    sections: ExplicitModuleSectionInfo<Arc<[u8]>>,
    /// Debug information and the symbol table, loaded at the first name asked for.
    names: Option<Option<addr2line::Loader>>,
    /// The GNU build id, in hex.
    build_id: Option<Arc<str>>,
    /// Where its names come from: itself when it has DWARF, else a separate debug file of the
    /// same build when one is found, else itself (symbol tables only).
    names_from: PathBuf,
    /// The dynamic symbols `(address, name)`, sorted: names for stripped libraries, as
    /// strace finds them (the nearest symbol at or below an address).
    dynsyms: Vec<(u64, Arc<str>)>,
}

impl ElfFile {
    /// Reads `path` (`module` is the name the process mapped it under), looking for a
    /// separate debug file in `debug_dirs` when it has no DWARF of its own.
    fn open(path: &Path, module: &str, debug_dirs: &[PathBuf]) -> Option<ElfFile> {
        let data = std::fs::read(path).ok()?;
        let obj = object::File::parse(&*data).ok()?;
        let loads = obj
            .segments()
            .filter(|s| match s.flags() {
                object::SegmentFlags::Elf { p_flags } => p_flags & object::elf::PF_X != 0,
                _ => true,
            })
            .map(|s| {
                let (off, size) = s.file_range();
                (off, size, s.address())
            })
            .collect();
        let section = |name: &str| {
            obj.section_by_name(name).and_then(|s| {
                let range = s.address()..s.address() + s.size();
                s.uncompressed_data()
                    .ok()
                    .map(|d| (range, Arc::<[u8]>::from(d.into_owned())))
            })
        };
        let text = section(".text");
        let eh = section(".eh_frame");
        let eh_hdr = section(".eh_frame_hdr");
        let got = obj
            .section_by_name(".got")
            .map(|s| s.address()..s.address() + s.size());
        let sections = ExplicitModuleSectionInfo {
            base_svma: 0,
            text_svma: text.as_ref().map(|t| t.0.clone()),
            text: text.map(|t| t.1),
            eh_frame_svma: eh.as_ref().map(|t| t.0.clone()),
            eh_frame: eh.map(|t| t.1),
            eh_frame_hdr_svma: eh_hdr.as_ref().map(|t| t.0.clone()),
            eh_frame_hdr: eh_hdr.map(|t| t.1),
            got_svma: got,
            ..Default::default()
        };
        let mut dynsyms: Vec<(u64, Arc<str>)> = obj
            .dynamic_symbols()
            .filter(|s| s.kind() == object::SymbolKind::Text && s.address() != 0)
            .filter_map(|s| Some((s.address(), Arc::<str>::from(s.name().ok()?))))
            .collect();
        dynsyms.sort_unstable_by_key(|s| s.0);
        let build_id = build_id_hex(&obj);
        let names_from = match &build_id {
            Some(id) if obj.section_by_name(".debug_info").is_none() => {
                find_debug_file(debug_dirs, id, module)
            }
            _ => None,
        }
        .unwrap_or_else(|| path.to_path_buf());
        Some(ElfFile {
            build_id,
            names_from,
            loads,
            sections,
            names: None,
            dynsyms,
        })
    }

    /// The file address of `pc` in a mapping of this file.
    fn svma(&self, m: &Mapping, pc: u64) -> u64 {
        self.svma_at(pc - m.start + m.offset)
    }

    /// The file address of the byte at `file_off` in the file.
    fn svma_at(&self, file_off: u64) -> u64 {
        // Segments are mapped from their page: the mapping may start before `p_offset`.
        for &(off, size, vaddr) in &self.loads {
            if file_off >= off & !0xfff && file_off < off + size.max(1) {
                return (file_off + vaddr).wrapping_sub(off);
            }
        }
        file_off
    }
}

/// One process's modules and unwinder.
struct Space {
    maps: Vec<Mapping>,
    unwinder: UnwinderX86_64<Arc<[u8]>>,
    cache: CacheX86_64,
}

/// A module as a recording names it: path and build id.
type Recorded = (Arc<str>, Arc<str>);

/// Unwinds and names stacks; one per tracing session.
pub struct Stacks {
    spaces: HashMap<u32, Space>,
    files: HashMap<Arc<str>, Option<ElfFile>>,
    names: HashMap<(Arc<str>, u64), Vec<Named>>,
    stack_buf: Vec<u8>,
    /// Where separate debug files are looked for, in order.
    debug_dirs: Vec<PathBuf>,
    /// Recorded modules by `(path, build id)`: the local file of that build, if any.
    recorded: HashMap<Recorded, Option<Arc<str>>>,
}

/// A name found for an address: function, offset into its symbol, source location.
#[derive(Debug, Clone)]
struct Named {
    function: Option<Arc<str>>,
    offset: Option<u64>,
    location: Option<(Arc<str>, u32)>,
    inlined: bool,
}

impl Default for Stacks {
    fn default() -> Self {
        Stacks::new()
    }
}

impl Stacks {
    /// An empty cache that finds separate debug files under [`SYSTEM_DEBUG_DIR`].
    pub fn new() -> Stacks {
        Stacks::with_debug_dirs(Vec::new())
    }

    /// An empty cache that looks for separate debug files in `dirs`, then in
    /// [`SYSTEM_DEBUG_DIR`].
    pub fn with_debug_dirs(mut dirs: Vec<PathBuf>) -> Stacks {
        dirs.push(PathBuf::from(SYSTEM_DEBUG_DIR));
        Stacks {
            spaces: HashMap::new(),
            files: HashMap::new(),
            names: HashMap::new(),
            stack_buf: Vec::new(),
            debug_dirs: dirs,
            recorded: HashMap::new(),
        }
    }

    /// Forgets what was known of process `tgid`'s address space (after an `execve`).
    pub fn forget(&mut self, tgid: u32) {
        self.spaces.remove(&tgid);
    }

    /// The file a process (`pid`, or none for a recording read here) knows as `path`.
    fn file(&mut self, path: &Arc<str>, pid: Option<u32>) -> Option<&mut ElfFile> {
        if !self.files.contains_key(path) {
            // Through the process's root first: the file it mapped, even in another mount
            // namespace.
            let dirs = &self.debug_dirs;
            let f = pid
                .and_then(|pid| {
                    ElfFile::open(Path::new(&format!("/proc/{pid}/root{path}")), path, dirs)
                })
                .or_else(|| ElfFile::open(Path::new(&**path), path, dirs));
            self.files.insert(path.clone(), f);
        }
        self.files.get_mut(path).and_then(|f| f.as_mut())
    }

    /// The local file of build `build_id` that a recording knew as `module`: the same path
    /// when its build id matches, else a separate debug file or a copy of that build found in
    /// the debug directories.
    fn recorded_file(&mut self, module: &Arc<str>, build_id: &Arc<str>) -> Option<Arc<str>> {
        let key = (module.clone(), build_id.clone());
        if let Some(found) = self.recorded.get(&key) {
            return found.clone();
        }
        let same = self
            .file(module, None)
            .is_some_and(|f| f.build_id.as_ref() == Some(build_id));
        let found = if same {
            Some(module.clone())
        } else {
            find_debug_file(&self.debug_dirs, build_id, module)
                .map(|p| Arc::<str>::from(p.to_string_lossy().as_ref()))
        };
        self.recorded.insert(key, found.clone());
        found
    }

    /// (Re)loads the modules of process `tgid`.
    fn load_space(&mut self, tgid: u32) {
        let maps = executable_mappings(tgid);
        let mut unwinder = UnwinderX86_64::new();
        for m in &maps {
            let Some(f) = self.file(&m.path, Some(tgid)) else {
                continue;
            };
            let base_avma = m.start - (f.svma(m, m.start));
            let sections = f.sections.clone();
            unwinder.add_module(Module::new(
                m.path.to_string(),
                m.start..m.end,
                base_avma,
                sections,
            ));
        }
        self.spaces.insert(
            tgid,
            Space {
                maps,
                unwinder,
                cache: CacheX86_64::new(),
            },
        );
    }

    /// The return addresses of thread `tid` of process `tgid`, innermost first, from its
    /// registers at a stop. `read` reads tracee memory (returns the bytes read).
    pub fn unwind(
        &mut self,
        tgid: u32,
        (ip, sp, bp): (u64, u64, u64),
        read: &mut dyn FnMut(u64, &mut [u8]) -> usize,
    ) -> Vec<u64> {
        let known = self
            .spaces
            .get(&tgid)
            .is_some_and(|s| s.maps.iter().any(|m| m.start <= ip && ip < m.end));
        if !known {
            self.load_space(tgid);
        }
        // The stack above sp, in one read.
        self.stack_buf.resize(STACK_WINDOW, 0);
        let got = read(sp, &mut self.stack_buf);
        self.stack_buf.truncate(got);
        let Some(space) = self.spaces.get_mut(&tgid) else {
            return vec![ip];
        };
        let buf = &self.stack_buf;
        let mut read_word = |addr: u64| -> Result<u64, ()> {
            let off = addr.checked_sub(sp).ok_or(())? as usize;
            let b = buf.get(off..off + 8).ok_or(())?;
            Ok(u64::from_le_bytes(b.try_into().map_err(|_| ())?))
        };
        let regs = UnwindRegsX86_64::new(ip, sp, bp);
        let mut it = space
            .unwinder
            .iter_frames(ip, regs, &mut space.cache, &mut read_word);
        let mut pcs = Vec::new();
        loop {
            let frame = match it.next() {
                Ok(Some(f)) => f,
                Ok(None) => break,
                // An unreadable or undescribed frame ends the stack.
                Err(_) => break,
            };
            pcs.push(match frame {
                FrameAddress::InstructionPointer(a) => a,
                FrameAddress::ReturnAddress(a) => a.get(),
            });
            if pcs.len() >= MAX_FRAMES {
                break;
            }
        }
        if pcs.is_empty() {
            pcs.push(ip);
        }
        pcs
    }

    /// Names the frames of a stack from [`Stacks::unwind`]: module, file address, function
    /// with its offset, `file:line`, and the inlined calls at each address.
    pub fn symbolize(&mut self, tgid: u32, pcs: &[u64]) -> Vec<StackFrame> {
        let mut out = Vec::new();
        for (i, &pc) in pcs.iter().enumerate() {
            // A return address points after the call: look up the call itself.
            let probe_pc = if i == 0 { pc } else { pc.saturating_sub(1) };
            let Some(m) = self.spaces.get(&tgid).and_then(|s| {
                s.maps
                    .iter()
                    .find(|m| m.start <= probe_pc && probe_pc < m.end)
                    .cloned()
            }) else {
                out.push(StackFrame {
                    pc,
                    ..StackFrame::default()
                });
                continue;
            };
            let Some((svma, file_addr, build_id)) = self
                .file(&m.path, Some(tgid))
                .map(|f| (f.svma(&m, probe_pc), f.svma(&m, pc), f.build_id.clone()))
            else {
                out.push(StackFrame {
                    pc,
                    module: Some(m.path.clone()),
                    ..StackFrame::default()
                });
                continue;
            };
            let names = self.names_at(&m.path, svma, Some(tgid));
            // strace prints the address as an offset into the file.
            let report_svma = pc - m.start + m.offset;
            if names.is_empty() {
                out.push(StackFrame {
                    pc,
                    module: Some(m.path.clone()),
                    module_offset: report_svma,
                    file_addr,
                    build_id: build_id.clone(),
                    ..StackFrame::default()
                });
            }
            for n in names {
                out.push(StackFrame {
                    pc,
                    module: Some(m.path.clone()),
                    module_offset: report_svma,
                    file_addr,
                    build_id: build_id.clone(),
                    function: n.function,
                    function_offset: n.offset.map(|o| if i == 0 { o } else { o + 1 }),
                    location: n.location,
                    inlined: n.inlined,
                });
            }
        }
        out
    }

    /// Names a stack read from a recording again, on this machine: a frame without a source
    /// location whose module has a local file of the same build (the recorded path itself, or
    /// a copy or separate debug file in the debug directories) gets its function, inlined calls
    /// and `file:line` from that file. A file of another build is never used. `None` when
    /// nothing changed.
    pub fn rename(&mut self, stack: &[StackFrame]) -> Option<Vec<StackFrame>> {
        let wants =
            |f: &StackFrame| f.location.is_none() && f.build_id.is_some() && f.file_addr != 0;
        if !stack.iter().any(wants) {
            return None;
        }
        let mut out = Vec::with_capacity(stack.len());
        let mut changed = false;
        let mut rest = stack;
        let mut depth = 0usize;
        while !rest.is_empty() {
            // One address: its inlined calls, then the real frame.
            let end = rest
                .iter()
                .position(|f| !f.inlined)
                .map_or(rest.len(), |i| i + 1);
            let (group, tail) = rest.split_at(end);
            rest = tail;
            let real = &group[group.len() - 1];
            let mut names = Vec::new();
            if let (Some(module), Some(id)) = (&real.module, &real.build_id)
                && group.iter().all(wants)
                && let Some(path) = self.recorded_file(module, id)
            {
                // A return address points after the call: look up the call itself.
                let probe = if depth == 0 {
                    real.file_addr
                } else {
                    real.file_addr - 1
                };
                names = self.names_at(&path, probe, None);
            }
            let better = names.iter().any(|n| n.location.is_some())
                || (real.function.is_none() && names.iter().any(|n| n.function.is_some()));
            if better {
                changed = true;
                out.extend(names.into_iter().map(|n| StackFrame {
                    function: n.function,
                    function_offset: n.offset.map(|o| if depth == 0 { o } else { o + 1 }),
                    location: n.location,
                    inlined: n.inlined,
                    ..real.clone()
                }));
            } else {
                out.extend_from_slice(group);
            }
            depth += 1;
        }
        changed.then_some(out)
    }

    fn names_at(&mut self, path: &Arc<str>, svma: u64, pid: Option<u32>) -> Vec<Named> {
        let key = (path.clone(), svma);
        if let Some(n) = self.names.get(&key) {
            return n.clone();
        }
        let mut found = Vec::new();
        if let Some(f) = self.file(path, pid) {
            // `names_from` may be under the root of a process that has exited since.
            let loader = f.names.get_or_insert_with(|| {
                addr2line::Loader::new(&f.names_from)
                    .or_else(|_| addr2line::Loader::new(&**path))
                    .ok()
            });
            if let Some(l) = loader {
                let sym = l.find_symbol_info(svma);
                let sym_name = sym.as_ref().map(|s| {
                    let d = addr2line::demangle_auto(s.name().into(), None);
                    (Arc::<str>::from(d.as_ref()), s.address())
                });
                if let Ok(mut frames) = l.find_frames(svma) {
                    while let Ok(Some(fr)) = frames.next() {
                        let function = fr
                            .function
                            .as_ref()
                            .and_then(|f| f.demangle().ok())
                            .map(|d| Arc::<str>::from(d.as_ref()));
                        let location = fr
                            .location
                            .as_ref()
                            .and_then(|loc| Some((Arc::<str>::from(loc.file?), loc.line?)));
                        found.push(Named {
                            function,
                            offset: None,
                            location,
                            inlined: true,
                        });
                    }
                }
                // The outermost frame is the real one: it gets the symbol's offset (and its
                // name when DWARF has none).
                match found.last_mut() {
                    Some(last) => {
                        last.inlined = false;
                        if let Some((name, addr)) = &sym_name {
                            last.offset = Some(svma - addr);
                            if last.function.is_none() {
                                last.function = Some(name.clone());
                            }
                        }
                    }
                    None => {
                        let nearest = || {
                            let i = f.dynsyms.partition_point(|s| s.0 <= svma);
                            i.checked_sub(1)
                                .map(|i| (f.dynsyms[i].1.clone(), f.dynsyms[i].0))
                        };
                        if let Some((name, addr)) = sym_name.or_else(nearest) {
                            found.push(Named {
                                function: Some(name),
                                offset: Some(svma - addr),
                                location: None,
                                inlined: false,
                            });
                        }
                    }
                }
            }
        }
        self.names.insert(key, found.clone());
        found
    }
}

/// A [`Sink`](sysgate_event::Sink) in front of another that names recorded stacks again with
/// [`Stacks::rename`] before passing each call on: what every command reading a recording
/// puts between the recording and its analysis.
pub struct Renaming<'a> {
    inner: &'a mut dyn sysgate_event::Sink,
    stacks: Stacks,
    /// Each distinct recorded stack, renamed once.
    seen: HashMap<Vec<StackFrame>, Option<Vec<StackFrame>>>,
    ev: sysgate_event::SyscallEvent,
}

impl<'a> Renaming<'a> {
    /// Renames in front of `inner`, with separate debug files from `debug_dirs` (then
    /// [`SYSTEM_DEBUG_DIR`]).
    pub fn new(inner: &'a mut dyn sysgate_event::Sink, debug_dirs: Vec<PathBuf>) -> Renaming<'a> {
        Renaming {
            inner,
            stacks: Stacks::with_debug_dirs(debug_dirs),
            seen: HashMap::new(),
            ev: sysgate_event::SyscallEvent::new(),
        }
    }

    /// `ev` with its stack renamed, or `None` when the recording's names stand.
    fn renamed(
        &mut self,
        ev: &sysgate_event::SyscallEvent,
    ) -> Option<&sysgate_event::SyscallEvent> {
        if ev.stack.is_empty() {
            return None;
        }
        // Looked up before inserting: a stack seen before is not copied again.
        if !self.seen.contains_key(&ev.stack) {
            let renamed = self.stacks.rename(&ev.stack);
            self.seen.insert(ev.stack.clone(), renamed);
        }
        let new = self.seen.get(&ev.stack)?.as_ref()?;
        self.ev.clone_from(ev);
        self.ev.stack.clone_from(new);
        Some(&self.ev)
    }
}

impl sysgate_event::Sink for Renaming<'_> {
    fn values_read(&self) -> sysgate_event::ValuesReadFn {
        self.inner.values_read()
    }
    fn syscall_entry(&mut self, ev: &sysgate_event::SyscallEvent) -> std::io::Result<()> {
        self.inner.syscall_entry(ev)
    }
    fn syscall_exit(&mut self, ev: &sysgate_event::SyscallEvent) -> std::io::Result<()> {
        match self.renamed(ev) {
            Some(_) => self.inner.syscall_exit(&self.ev),
            None => self.inner.syscall_exit(ev),
        }
    }
    fn signal(&mut self, ev: &sysgate_event::SignalEvent) -> std::io::Result<()> {
        self.inner.signal(ev)
    }
    fn task(&mut self, ev: &sysgate_event::TaskEvent) -> std::io::Result<()> {
        self.inner.task(ev)
    }
    fn aggregate(&mut self, ev: &sysgate_event::AggregateEvent) -> std::io::Result<()> {
        self.inner.aggregate(ev)
    }
    fn interval_end(&mut self, end_ns: u64) -> std::io::Result<()> {
        self.inner.interval_end(end_ns)
    }
    fn violation(
        &mut self,
        ev: &sysgate_event::SyscallEvent,
        verdict: sysgate_event::Verdict,
    ) -> std::io::Result<()> {
        self.inner.violation(ev, verdict)
    }
    fn idle(&mut self) -> std::io::Result<()> {
        self.inner.idle()
    }
    fn finish(&mut self) -> std::io::Result<()> {
        self.inner.finish()
    }
}
