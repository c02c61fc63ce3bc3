//! `sysgate export --format parquet`: recordings as three Parquet tables that DuckDB, Spark,
//! Trino or ClickHouse read as they are — `events` (one row per call), `aggregates` (one row
//! per recording, process and syscall) and `findings` (the advisor's, per recording).
//!
//! The schema is versioned ([`SCHEMA_VERSION`], also in each file's key-value metadata) and
//! documented in `docs/fleet.md`. Written with the `parquet` crate's column writers, a row
//! group at a time: memory holds one row group per open partition, whatever the recording's
//! size.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use parquet::schema::types::Type;
use sysgate_analyze::advise::{Advisor, CostModel};
use sysgate_analyze::sources::utc_date;
use sysgate_event::commands::Commands;
use sysgate_event::sgt::Header;
use sysgate_event::{AggregateEvent, SignalEvent, Sink, SyscallEvent, TaskEvent};

/// The version of the tables' schema; a change that renames or retypes a column bumps it.
pub const SCHEMA_VERSION: u32 = 1;

/// Rows per row group: large enough for scans to skip by statistics, small enough to keep a
/// partition's buffer at a few tens of MB.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

const EVENTS: &str = "message sysgate_events {
  required int64 time (TIMESTAMP(NANOS,true));
  required binary host (STRING);
  required binary boot_id (STRING);
  required binary recording (STRING);
  required binary scope (STRING);
  required int32 pid;
  required int32 tid;
  required binary comm (STRING);
  required binary syscall (STRING);
  required binary category (STRING);
  required binary abi (STRING);
  required int32 nr;
  required int64 arg0;
  required int64 arg1;
  required int64 arg2;
  required int64 arg3;
  required int64 arg4;
  required int64 arg5;
  required binary args (STRING);
  required int64 ret;
  optional binary errno (STRING);
  required int64 duration_ns;
  required boolean completed;
}";

const AGGREGATES: &str = "message sysgate_aggregates {
  required binary host (STRING);
  required binary boot_id (STRING);
  required binary recording (STRING);
  required int32 pid;
  required binary comm (STRING);
  required binary syscall (STRING);
  required binary category (STRING);
  required int64 calls;
  required int64 errors;
  required int64 total_ns;
  required int64 max_ns;
  required int64 first_time (TIMESTAMP(NANOS,true));
  required int64 last_time (TIMESTAMP(NANOS,true));
}";

const FINDINGS: &str = "message sysgate_findings {
  required binary host (STRING);
  required binary boot_id (STRING);
  required binary recording (STRING);
  required binary rule (STRING);
  required binary severity (STRING);
  required binary title (STRING);
  required binary message (STRING);
  required binary fix (STRING);
  required int64 saving_ns;
  required binary doc (STRING);
}";

/// A column's buffered values.
enum Col {
    I64(Vec<i64>),
    I32(Vec<i32>),
    Bool(Vec<bool>),
    Str(Vec<ByteArray>),
    /// Values of the present rows, and a definition level (1 present, 0 null) per row.
    OptStr(Vec<ByteArray>, Vec<i16>),
}

impl Col {
    fn clear(&mut self) {
        match self {
            Col::I64(v) => v.clear(),
            Col::I32(v) => v.clear(),
            Col::Bool(v) => v.clear(),
            Col::Str(v) => v.clear(),
            Col::OptStr(v, d) => {
                v.clear();
                d.clear();
            }
        }
    }
}

/// One value of a row.
enum Cell {
    I64(i64),
    I32(i32),
    Bool(bool),
    Str(ByteArray),
    Null,
}

/// A Parquet file being written: buffered columns flushed a row group at a time.
struct Table {
    writer: SerializedFileWriter<File>,
    cols: Vec<Col>,
    rows: usize,
    path: PathBuf,
}

fn text(s: &str) -> ByteArray {
    ByteArray::from(s.as_bytes().to_vec())
}

impl Table {
    fn create(path: &Path, schema: &str) -> Result<Table> {
        let schema: Arc<Type> = Arc::new(parse_message_type(schema).expect("the schemas parse"));
        let cols = schema
            .get_fields()
            .iter()
            .map(|f| {
                let info = f.get_basic_info();
                match f.get_physical_type() {
                    parquet::basic::Type::INT64 => Col::I64(Vec::new()),
                    parquet::basic::Type::INT32 => Col::I32(Vec::new()),
                    parquet::basic::Type::BOOLEAN => Col::Bool(Vec::new()),
                    _ if info.repetition() == parquet::basic::Repetition::OPTIONAL => {
                        Col::OptStr(Vec::new(), Vec::new())
                    }
                    _ => Col::Str(Vec::new()),
                }
            })
            .collect();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            // Min/max statistics on strings cost a third of the export (a byte comparison per
            // value and column) and prune little; they are kept on the numbers engines filter
            // by: time, process, thread, duration.
            .set_statistics_enabled(EnabledStatistics::None)
            .set_column_statistics_enabled(ColumnPath::from("time"), EnabledStatistics::Page)
            .set_column_statistics_enabled(ColumnPath::from("pid"), EnabledStatistics::Page)
            .set_column_statistics_enabled(ColumnPath::from("tid"), EnabledStatistics::Page)
            .set_column_statistics_enabled(ColumnPath::from("duration_ns"), EnabledStatistics::Page)
            .set_column_statistics_enabled(ColumnPath::from("first_time"), EnabledStatistics::Page)
            .set_created_by(format!("sysgate {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                "sysgate.schema_version".to_string(),
                SCHEMA_VERSION.to_string(),
            )]))
            .build();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create directory {}", dir.display()))?;
        }
        let file = File::create(path)
            .with_context(|| format!("cannot create output file {}", path.display()))?;
        let writer = SerializedFileWriter::new(file, schema, Arc::new(props))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Table {
            writer,
            cols,
            rows: 0,
            path: path.to_path_buf(),
        })
    }

    /// Appends a row, leaving `row` empty for the next.
    fn push(&mut self, row: &mut Vec<Cell>) -> Result<()> {
        debug_assert_eq!(row.len(), self.cols.len());
        for (col, cell) in self.cols.iter_mut().zip(row.drain(..)) {
            match (col, cell) {
                (Col::I64(v), Cell::I64(x)) => v.push(x),
                (Col::I32(v), Cell::I32(x)) => v.push(x),
                (Col::Bool(v), Cell::Bool(x)) => v.push(x),
                (Col::Str(v), Cell::Str(x)) => v.push(x),
                (Col::OptStr(v, d), Cell::Str(x)) => {
                    v.push(x);
                    d.push(1);
                }
                (Col::OptStr(_, d), Cell::Null) => d.push(0),
                _ => unreachable!("a row matches its table's schema"),
            }
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = self.path.display().to_string();
        let err = |e: parquet::errors::ParquetError| anyhow::anyhow!("cannot write {path}: {e}");
        let mut group = self.writer.next_row_group().map_err(err)?;
        for col in &mut self.cols {
            let Some(mut w) = group.next_column().map_err(err)? else {
                break;
            };
            match col {
                Col::I64(v) => w.typed::<Int64Type>().write_batch(v, None, None),
                Col::I32(v) => w.typed::<Int32Type>().write_batch(v, None, None),
                Col::Bool(v) => w.typed::<BoolType>().write_batch(v, None, None),
                Col::Str(v) => w.typed::<ByteArrayType>().write_batch(v, None, None),
                Col::OptStr(v, d) => w.typed::<ByteArrayType>().write_batch(v, Some(d), None),
            }
            .map_err(err)?;
            w.close().map_err(err)?;
            col.clear();
        }
        group.close().map_err(err)?;
        self.rows = 0;
        Ok(())
    }

    fn close(mut self) -> Result<u64> {
        self.flush()?;
        let path = self.path.display().to_string();
        self.writer
            .close()
            .map_err(|e| anyhow::anyhow!("cannot write {path}: {e}"))?;
        Ok(std::fs::metadata(&self.path).map_or(0, |m| m.len()))
    }
}

/// Where the tables go.
pub enum Output {
    /// `DIR/{events,aggregates,findings}/host=H/date=D/RECORDING.parquet`: Hive partitions.
    Directory(PathBuf),
    /// `FILE` (events), `STEM.aggregates.parquet`, `STEM.findings.parquet` beside it.
    File(PathBuf),
}

impl Output {
    /// `-o PATH`: a directory when it is one or ends in `/`, or has no `.parquet` extension;
    /// a file otherwise.
    pub fn of(path: &Path) -> Output {
        let is_file = path.extension().is_some_and(|e| e == "parquet") && !path.is_dir();
        if is_file {
            Output::File(path.to_path_buf())
        } else {
            Output::Directory(path.to_path_buf())
        }
    }

    fn path(&self, table: &str, host: &str, date: &str, recording: &str) -> PathBuf {
        match self {
            Output::Directory(dir) => dir
                .join(table)
                .join(format!("host={}", partition_value(host)))
                .join(format!("date={date}"))
                .join(format!("{}.parquet", partition_value(recording))),
            Output::File(f) if table == "events" => f.clone(),
            Output::File(f) => {
                let stem = f.file_stem().map_or_else(
                    || "sysgate".to_string(),
                    |s| s.to_string_lossy().into_owned(),
                );
                f.with_file_name(format!("{stem}.{table}.parquet"))
            }
        }
    }
}

/// A value made safe for a directory name (Hive escapes; we keep to a plain set).
fn partition_value(s: &str) -> String {
    let v: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if v.is_empty() || v.starts_with('.') {
        format!("_{v}")
    } else {
        v
    }
}

/// Per (pid, syscall): what the aggregates table holds.
#[derive(Default)]
struct Agg {
    /// The call's name as the events table writes it.
    name: String,
    category: &'static str,
    calls: i64,
    errors: i64,
    total_ns: i64,
    max_ns: i64,
    first: i64,
    last: i64,
}

/// Writes one recording's rows.
struct RecordingSink<'a> {
    out: &'a Output,
    host: ByteArray,
    host_name: String,
    boot: ByteArray,
    recording: ByteArray,
    recording_name: String,
    scope: ByteArray,
    /// Open event files by UTC date.
    events: BTreeMap<String, Table>,
    /// The date of the last event: (day since the epoch, `YYYY-MM-DD`).
    day: (u64, String),
    /// By (pid, ABI, syscall number).
    aggs: BTreeMap<(u32, &'static str, u32), Agg>,
    comm: Commands,
    /// Column values made once: a syscall's name, category and ABI; a process's command; an
    /// errno's name.
    names: HashMap<(&'static str, u32), [ByteArray; 3]>,
    comm_bytes: HashMap<u32, ByteArray>,
    errnos: HashMap<u32, ByteArray>,
    row: Vec<Cell>,
    advisor: &'a mut Advisor,
    rows: u64,
    bytes: u64,
    error: Option<anyhow::Error>,
    args: String,
}

impl RecordingSink<'_> {
    fn event(&mut self, ev: &SyscallEvent) -> Result<()> {
        let name = ev.name();
        if let Some(pid) = self.comm.observe(ev) {
            self.comm_bytes.remove(&pid);
        }
        let category = ev.syscall.map_or("other", |s| s.category.name());
        let [name_b, category_b, abi_b] = self
            .names
            .entry((ev.arch.name(), ev.nr))
            .or_insert_with(|| [text(&name), text(category), text(ev.arch.name())])
            .clone();
        let comm = self.comm.get(ev.pid).unwrap_or("");
        let comm_b = self
            .comm_bytes
            .entry(ev.pid)
            .or_insert_with(|| text(comm))
            .clone();
        let errno = ev.errno().map(|n| {
            self.errnos
                .entry(n)
                .or_insert_with(|| {
                    text(
                        &sysgate_kb::symbols::errno(n)
                            .map_or_else(|| format!("E{n}"), |e| e.name.to_string()),
                    )
                })
                .clone()
        });
        self.args.clear();
        sysgate_event::render::arguments_into(ev, &mut self.args);
        let completed = ev.phase != sysgate_event::Phase::Unfinished;
        let day = ev.ts_ns / 86_400_000_000_000;
        if self.day.1.is_empty() || self.day.0 != day {
            self.day = (day, utc_date(ev.ts_ns));
        }
        if !self.events.contains_key(&self.day.1) {
            let path = self
                .out
                .path("events", &self.host_name, &self.day.1, &self.recording_name);
            self.events
                .insert(self.day.1.clone(), Table::create(&path, EVENTS)?);
        }
        let table = self.events.get_mut(&self.day.1).expect("just opened");
        let row = &mut self.row;
        row.extend([
            Cell::I64(ev.ts_ns as i64),
            Cell::Str(self.host.clone()),
            Cell::Str(self.boot.clone()),
            Cell::Str(self.recording.clone()),
            Cell::Str(self.scope.clone()),
            Cell::I32(ev.pid as i32),
            Cell::I32(ev.tid as i32),
            Cell::Str(comm_b),
            Cell::Str(name_b),
            Cell::Str(category_b),
            Cell::Str(abi_b),
            Cell::I32(ev.nr as i32),
        ]);
        row.extend(ev.args.iter().map(|&a| Cell::I64(a as i64)));
        row.extend([
            Cell::Str(text(&self.args)),
            Cell::I64(ev.ret),
            errno.map_or(Cell::Null, Cell::Str),
            Cell::I64(ev.duration_ns as i64),
            Cell::Bool(completed),
        ]);
        table.push(row)?;
        self.rows += 1;
        let a = self
            .aggs
            .entry((ev.pid, ev.arch.name(), ev.nr))
            .or_default();
        if a.calls == 0 {
            a.first = ev.ts_ns as i64;
            a.category = category;
            a.name = name.into_owned();
        }
        a.calls += 1;
        a.errors += i64::from(ev.is_error);
        a.total_ns += ev.duration_ns as i64;
        a.max_ns = a.max_ns.max(ev.duration_ns as i64);
        a.last = a.last.max(ev.ts_ns as i64);
        Ok(())
    }

    /// Closes the event files and writes the aggregates.
    fn finish(mut self, date: &str) -> Result<(u64, u64)> {
        for (_, t) in std::mem::take(&mut self.events) {
            self.bytes += t.close()?;
        }
        let path = self
            .out
            .path("aggregates", &self.host_name, date, &self.recording_name);
        let mut t = Table::create(&path, AGGREGATES)?;
        for ((pid, _, _), a) in &self.aggs {
            t.push(&mut vec![
                Cell::Str(self.host.clone()),
                Cell::Str(self.boot.clone()),
                Cell::Str(self.recording.clone()),
                Cell::I32(*pid as i32),
                Cell::Str(text(self.comm.get(*pid).unwrap_or(""))),
                Cell::Str(text(&a.name)),
                Cell::Str(text(a.category)),
                Cell::I64(a.calls),
                Cell::I64(a.errors),
                Cell::I64(a.total_ns),
                Cell::I64(a.max_ns),
                Cell::I64(a.first),
                Cell::I64(a.last),
            ])?;
        }
        self.bytes += t.close()?;
        // The findings, from the advisor that saw the same events.
        let report = self.advisor.report().to_json();
        let path = self
            .out
            .path("findings", &self.host_name, date, &self.recording_name);
        let mut t = Table::create(&path, FINDINGS)?;
        let s = |v: &serde_json::Value| text(v.as_str().unwrap_or_default());
        for f in report["findings"].as_array().into_iter().flatten() {
            t.push(&mut vec![
                Cell::Str(self.host.clone()),
                Cell::Str(self.boot.clone()),
                Cell::Str(self.recording.clone()),
                Cell::Str(s(&f["rule"])),
                Cell::Str(s(&f["severity"])),
                Cell::Str(s(&f["title"])),
                Cell::Str(s(&f["message"])),
                Cell::Str(s(&f["fix"])),
                Cell::I64(f["saving"]["time_ns"].as_i64().unwrap_or(0)),
                Cell::Str(s(&f["doc"])),
            ])?;
        }
        self.bytes += t.close()?;
        Ok((self.rows, self.bytes))
    }
}

impl Sink for RecordingSink<'_> {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if self.error.is_some() {
            return Ok(());
        }
        self.advisor.syscall_exit(ev)?;
        if let Err(e) = self.event(ev) {
            self.error = Some(e);
        }
        Ok(())
    }
    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.advisor.signal(ev)
    }
    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        if let Some(pid) = self.comm.task(ev) {
            self.comm_bytes.remove(&pid);
        }
        self.advisor.task(ev)
    }
    /// A recording made with `--aggregates-only` has no events: its counts go straight to the
    /// aggregates table.
    fn aggregate(&mut self, a: &AggregateEvent) -> io::Result<()> {
        let sc = sysgate_kb::lookup(a.arch, u64::from(a.nr));
        // Named as the events table names calls (the ABI is a column there, not a prefix).
        let name = sc.map_or_else(|| format!("syscall_{:#x}", a.nr), |s| s.name.to_string());
        let e = self.aggs.entry((a.pid, a.arch.name(), a.nr)).or_default();
        if e.calls == 0 {
            e.first = a.start_ns as i64;
            e.category = sc.map_or("other", |s| s.category.name());
            e.name = name;
        }
        e.calls += a.calls as i64;
        e.errors += a.errors as i64;
        e.total_ns += a.total_ns as i64;
        e.max_ns = e.max_ns.max(a.max_ns as i64);
        e.last = e.last.max(a.end_ns as i64);
        Ok(())
    }
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Event rows.
    pub events: u64,
    /// Bytes of Parquet written (all three tables).
    pub bytes: u64,
}

/// The name a recording goes by in the tables: its file name without `.sgt`.
fn recording_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || "recording".to_string(),
        |n| {
            let n = n.to_string_lossy();
            n.strip_suffix(".sgt").unwrap_or(&n).to_string()
        },
    )
}

/// Exports the recordings at `files` to `out`.
pub fn export(files: &[PathBuf], out: &Output, debug_dirs: &[PathBuf]) -> Result<Written> {
    if let Output::File(f) = out
        && files.len() > 1
    {
        bail!(
            "{} recordings into one file {}: give a directory (`-o DIR`) and each goes to its own Hive partition",
            files.len(),
            f.display()
        );
    }
    let mut total = Written::default();
    for path in files {
        let reader = crate::capture::open_trace(path)?;
        let header: Header = reader.header().clone();
        drop(reader);
        let name = recording_name(path);
        let mut advisor = Advisor::new(
            &sysgate_analyze::rules::select(&[], &[]).map_err(anyhow::Error::msg)?,
            CostModel::builtin(),
        );
        let mut sink = RecordingSink {
            out,
            host: text(&header.hostname),
            host_name: header.hostname.clone(),
            boot: text(&header.boot_id),
            recording: text(&name),
            recording_name: name,
            scope: text(&header.scope),
            events: BTreeMap::new(),
            day: (0, String::new()),
            aggs: BTreeMap::new(),
            comm: Commands::default(),
            names: HashMap::new(),
            comm_bytes: HashMap::new(),
            errnos: HashMap::new(),
            row: Vec::with_capacity(23),
            advisor: &mut advisor,
            rows: 0,
            bytes: 0,
            error: None,
            args: String::new(),
        };
        crate::capture::replay(path, debug_dirs, &mut sink, "exported")?;
        if let Some(e) = sink.error.take() {
            return Err(e);
        }
        let (rows, bytes) = sink.finish(&utc_date(header.start_ns))?;
        total.events += rows;
        total.bytes += bytes;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_plain_names() {
        assert_eq!(partition_value("web-01.example"), "web-01.example");
        assert_eq!(partition_value("a/b c"), "a_b_c");
        assert_eq!(partition_value(""), "_");
        assert_eq!(partition_value(".."), "_..");
        assert_eq!(utc_date(1_796_645_091_000_000_000), "2026-12-07");
        assert_eq!(utc_date(0), "1970-01-01");
    }

    #[test]
    fn outputs_name_three_tables() {
        let d = Output::of(Path::new("/tmp/fleet"));
        assert_eq!(
            d.path("events", "web 1", "2026-12-07", "run"),
            Path::new("/tmp/fleet/events/host=web_1/date=2026-12-07/run.parquet")
        );
        let f = Output::of(Path::new("/tmp/run.parquet"));
        assert_eq!(
            f.path("events", "h", "d", "r"),
            Path::new("/tmp/run.parquet")
        );
        assert_eq!(
            f.path("findings", "h", "d", "r"),
            Path::new("/tmp/run.findings.parquet")
        );
    }

    #[test]
    fn the_schemas_parse() {
        for s in [EVENTS, AGGREGATES, FINDINGS] {
            parse_message_type(s).unwrap();
        }
    }
}
