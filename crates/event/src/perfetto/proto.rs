//! The subset of Perfetto's trace protos that sysgate writes, declared by hand for prost.
//!
//! Field numbers and types are those of the published `.proto` files in
//! `protos/perfetto/trace/` of the Perfetto repository: `trace.proto`, `trace_packet.proto`,
//! `clock_snapshot.proto`, `../common/builtin_clock.proto`, `track_event/track_event.proto`,
//! `track_event/track_descriptor.proto`, `track_event/process_descriptor.proto`,
//! `track_event/thread_descriptor.proto`, `track_event/debug_annotation.proto` and
//! `interned_data/interned_data.proto`. Fields sysgate neither writes nor reads are left out:
//! a decoder skips unknown fields, so these structs also read traces from other producers.
//!
//! The protos are proto2: repeated numeric fields are not packed, and a member of a `oneof`
//! with a single member (`trusted_packet_sequence_id`) is encoded like an optional field.

/// A whole trace file: the packets, each a length-delimited field 1.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Trace {
    /// The packets in file order.
    #[prost(message, repeated, tag = "1")]
    pub packet: Vec<TracePacket>,
}

/// One packet of a trace.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TracePacket {
    /// When the packet's event happened, in ns of the trace clock (or of the clock a
    /// [`ClockSnapshot`] made the trace's primary clock).
    #[prost(uint64, optional, tag = "8")]
    pub timestamp: Option<u64>,
    /// The packet's payload.
    #[prost(oneof = "trace_packet::Data", tags = "6, 11, 60")]
    pub data: Option<trace_packet::Data>,
    /// The sequence (one writer) the packet belongs to; interned data is scoped to it.
    #[prost(uint32, optional, tag = "10")]
    pub trusted_packet_sequence_id: Option<u32>,
    /// Strings this packet introduces for later packets of the sequence to refer to by iid.
    #[prost(message, optional, tag = "12")]
    pub interned_data: Option<InternedData>,
    /// [`trace_packet::SequenceFlags`] bits, or-ed.
    #[prost(uint32, optional, tag = "13")]
    pub sequence_flags: Option<u32>,
    /// Set on the first packet a writer emits on its sequence.
    #[prost(bool, optional, tag = "87")]
    pub first_packet_on_sequence: Option<bool>,
}

/// Nested types of [`TracePacket`].
pub mod trace_packet {
    /// The `data` oneof: what a packet carries.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Data {
        /// Correlates clocks, and names the trace's primary clock.
        #[prost(message, tag = "6")]
        ClockSnapshot(super::ClockSnapshot),
        /// A slice begin or end, an instant, a counter value.
        #[prost(message, tag = "11")]
        TrackEvent(super::TrackEvent),
        /// Declares a track: a process, a thread, or a free-standing timeline.
        #[prost(message, tag = "60")]
        TrackDescriptor(super::TrackDescriptor),
    }

    /// `TracePacket.SequenceFlags` (`SEQ_UNSPECIFIED`, `SEQ_INCREMENTAL_STATE_CLEARED`,
    /// `SEQ_NEEDS_INCREMENTAL_STATE`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum SequenceFlags {
        /// No flag.
        Unspecified = 0,
        /// The writer dropped its incremental state (interned strings) here: nothing later
        /// refers to what came before.
        IncrementalStateCleared = 1,
        /// The packet refers to incremental state (interned strings).
        NeedsIncrementalState = 2,
    }
}

/// `ClockSnapshot`: the value of several clocks at one instant.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ClockSnapshot {
    /// The clocks and their readings.
    #[prost(message, repeated, tag = "1")]
    pub clocks: Vec<clock_snapshot::Clock>,
    /// The clock the trace's timestamps are in ([`BuiltinClock`]).
    #[prost(enumeration = "BuiltinClock", optional, tag = "2")]
    pub primary_trace_clock: Option<i32>,
}

/// Nested types of [`ClockSnapshot`].
pub mod clock_snapshot {
    /// One clock's reading.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Clock {
        /// A [`BuiltinClock`](super::BuiltinClock) number, or 64..=127 for a sequence's own.
        #[prost(uint32, optional, tag = "1")]
        pub clock_id: Option<u32>,
        /// The reading, in ns unless `unit_multiplier_ns` says otherwise.
        #[prost(uint64, optional, tag = "2")]
        pub timestamp: Option<u64>,
        /// Packet timestamps on this clock are deltas from the previous one.
        #[prost(bool, optional, tag = "3")]
        pub is_incremental: Option<bool>,
        /// ns per unit of this clock.
        #[prost(uint64, optional, tag = "4")]
        pub unit_multiplier_ns: Option<u64>,
    }
}

/// `BuiltinClock` (protos/perfetto/common/builtin_clock.proto).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum BuiltinClock {
    /// Not a clock.
    Unknown = 0,
    /// `CLOCK_REALTIME`: wall-clock time since the Unix epoch.
    Realtime = 1,
    /// `CLOCK_REALTIME_COARSE`.
    RealtimeCoarse = 2,
    /// `CLOCK_MONOTONIC`.
    Monotonic = 3,
    /// `CLOCK_MONOTONIC_COARSE`.
    MonotonicCoarse = 4,
    /// `CLOCK_MONOTONIC_RAW`.
    MonotonicRaw = 5,
    /// `CLOCK_BOOTTIME`: the default trace clock.
    Boottime = 6,
    /// The CPU's time stamp counter.
    Tsc = 9,
    /// The perf event clock.
    Perf = 10,
    /// The trace file's own timeline.
    TraceFile = 11,
}

/// `TrackDescriptor`: declares a track that [`TrackEvent`]s refer to by `uuid`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TrackDescriptor {
    /// The track's id, unique in the trace (0 is the implicit global track).
    #[prost(uint64, optional, tag = "1")]
    pub uuid: Option<u64>,
    /// The track's name (ignored for process and thread tracks, which are named by their
    /// descriptors).
    #[prost(string, optional, tag = "2")]
    pub name: Option<String>,
    /// Makes this the track of a process.
    #[prost(message, optional, tag = "3")]
    pub process: Option<ProcessDescriptor>,
    /// Makes this the track of a thread.
    #[prost(message, optional, tag = "4")]
    pub thread: Option<ThreadDescriptor>,
    /// The track this one nests under (ignored when `process` or `thread` is set).
    #[prost(uint64, optional, tag = "5")]
    pub parent_uuid: Option<u64>,
    /// A longer description the UI shows on demand.
    #[prost(string, optional, tag = "14")]
    pub description: Option<String>,
}

/// `ProcessDescriptor`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ProcessDescriptor {
    /// The process id.
    #[prost(int32, optional, tag = "1")]
    pub pid: Option<i32>,
    /// Its command line.
    #[prost(string, repeated, tag = "2")]
    pub cmdline: Vec<String>,
    /// Its name.
    #[prost(string, optional, tag = "6")]
    pub process_name: Option<String>,
}

/// `ThreadDescriptor`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ThreadDescriptor {
    /// The thread's process id.
    #[prost(int32, optional, tag = "1")]
    pub pid: Option<i32>,
    /// The thread id.
    #[prost(int64, optional, tag = "2")]
    pub tid: Option<i64>,
    /// Its name (the kernel's `comm`).
    #[prost(string, optional, tag = "5")]
    pub thread_name: Option<String>,
}

/// `TrackEvent`: something that happened on a track.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TrackEvent {
    /// Interned [`EventCategory`] ids.
    #[prost(uint64, repeated, packed = "false", tag = "3")]
    pub category_iids: Vec<u64>,
    /// Annotations shown with the event and stored as `debug.<name>` args.
    #[prost(message, repeated, tag = "4")]
    pub debug_annotations: Vec<DebugAnnotation>,
    /// [`track_event::Type`].
    #[prost(enumeration = "track_event::Type", optional, tag = "9")]
    pub r#type: Option<i32>,
    /// The event's name, interned or inline.
    #[prost(oneof = "track_event::NameField", tags = "10, 23")]
    pub name_field: Option<track_event::NameField>,
    /// The track's uuid ([`TrackDescriptor::uuid`]).
    #[prost(uint64, optional, tag = "11")]
    pub track_uuid: Option<u64>,
    /// Category names, not interned.
    #[prost(string, repeated, tag = "22")]
    pub categories: Vec<String>,
    /// The call stack at the event, outermost frame first.
    #[prost(message, optional, tag = "55")]
    pub callstack: Option<track_event::InlineCallstack>,
}

/// Nested types of [`TrackEvent`].
pub mod track_event {
    /// `TrackEvent.Type`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum Type {
        /// Not set.
        Unspecified = 0,
        /// Opens a slice on the track; slices nest like a call stack.
        SliceBegin = 1,
        /// Closes the innermost open slice of the track.
        SliceEnd = 2,
        /// An event without duration.
        Instant = 3,
        /// A counter value.
        Counter = 4,
        /// A state value.
        State = 5,
    }

    /// The `name_field` oneof.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum NameField {
        /// An interned [`EventName`](super::EventName) id.
        #[prost(uint64, tag = "10")]
        NameIid(u64),
        /// The name itself.
        #[prost(string, tag = "23")]
        Name(String),
    }

    /// `TrackEvent.InlineCallstack`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct InlineCallstack {
        /// The frames, outermost (`main`) first.
        #[prost(message, repeated, tag = "1")]
        pub frames: Vec<inline_callstack::Frame>,
    }

    /// Nested types of [`InlineCallstack`].
    pub mod inline_callstack {
        /// One frame.
        #[derive(Clone, PartialEq, prost::Message)]
        pub struct Frame {
            /// The function, or the code's module and offset when it is not known.
            #[prost(string, optional, tag = "1")]
            pub function_name: Option<String>,
            /// The source file.
            #[prost(string, optional, tag = "2")]
            pub source_file: Option<String>,
            /// The line in it.
            #[prost(uint32, optional, tag = "3")]
            pub line_number: Option<u32>,
        }
    }
}

/// `DebugAnnotation`: one named value attached to an event.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DebugAnnotation {
    /// The name, interned or inline.
    #[prost(oneof = "debug_annotation::NameField", tags = "1, 10")]
    pub name_field: Option<debug_annotation::NameField>,
    /// The value.
    #[prost(oneof = "debug_annotation::Value", tags = "2, 3, 4, 5, 6, 7, 17")]
    pub value: Option<debug_annotation::Value>,
}

/// Nested types of [`DebugAnnotation`].
pub mod debug_annotation {
    /// The `name_field` oneof.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum NameField {
        /// An interned [`DebugAnnotationName`](super::DebugAnnotationName) id.
        #[prost(uint64, tag = "1")]
        NameIid(u64),
        /// The name itself.
        #[prost(string, tag = "10")]
        Name(String),
    }

    /// The `value` oneof (the scalar members).
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Value {
        /// A boolean.
        #[prost(bool, tag = "2")]
        BoolValue(bool),
        /// An unsigned number.
        #[prost(uint64, tag = "3")]
        UintValue(u64),
        /// A signed number.
        #[prost(int64, tag = "4")]
        IntValue(i64),
        /// A floating-point number.
        #[prost(double, tag = "5")]
        DoubleValue(f64),
        /// A string.
        #[prost(string, tag = "6")]
        StringValue(String),
        /// An address, shown in hex.
        #[prost(uint64, tag = "7")]
        PointerValue(u64),
        /// An interned string id.
        #[prost(uint64, tag = "17")]
        StringValueIid(u64),
    }
}

/// `InternedData`: strings introduced for later packets of the sequence to refer to by iid.
#[derive(Clone, PartialEq, prost::Message)]
pub struct InternedData {
    /// Category names.
    #[prost(message, repeated, tag = "1")]
    pub event_categories: Vec<EventCategory>,
    /// Event names.
    #[prost(message, repeated, tag = "2")]
    pub event_names: Vec<EventName>,
    /// Debug annotation names.
    #[prost(message, repeated, tag = "3")]
    pub debug_annotation_names: Vec<DebugAnnotationName>,
}

/// `EventCategory`: an interned category name.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EventCategory {
    /// Its id (from 1).
    #[prost(uint64, optional, tag = "1")]
    pub iid: Option<u64>,
    /// The name.
    #[prost(string, optional, tag = "2")]
    pub name: Option<String>,
}

/// `EventName`: an interned event name.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EventName {
    /// Its id (from 1).
    #[prost(uint64, optional, tag = "1")]
    pub iid: Option<u64>,
    /// The name.
    #[prost(string, optional, tag = "2")]
    pub name: Option<String>,
}

/// `DebugAnnotationName`: an interned annotation name.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DebugAnnotationName {
    /// Its id (from 1).
    #[prost(uint64, optional, tag = "1")]
    pub iid: Option<u64>,
    /// The name.
    #[prost(string, optional, tag = "2")]
    pub name: Option<String>,
}
