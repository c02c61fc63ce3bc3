// SPDX-License-Identifier: MIT OR GPL-2.0
//
// sysgate's kernel half: runs on the raw_syscalls tracepoints, decides whether the calling task
// is in scope (a process tree, a cgroup, or everything), aggregates per (process, syscall)
// statistics in a hash map, and streams fixed-size call records plus the user memory the
// decoder will need (paths, argv, socket addresses, buffer prefixes) through a ring buffer.
//
// No libbpf headers: types, map definitions and helper numbers are declared here, and the
// tracepoint contexts are transcribed from /sys/kernel/tracing/events/*/*/format, so the
// object builds with a bare `clang -target bpf` and loads without BTF or CO-RE.
//
// Rebuild with scripts/build-bpf.sh; the loader (crates/trace/src/ebpf/) mirrors every struct
// below, and a unit test there checks the sizes it expects.

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;

#define SEC(name) __attribute__((section(name), used))
#define INLINE static inline __attribute__((always_inline))
// Bounds a length for the verifier in a way the compiler cannot drop as redundant.
#define BOUND(v) asm volatile("%0 &= 4095" : "+r"(v))

// ---- helpers (numbers from the kernel's __BPF_FUNC_MAPPER) ----
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
static long (*bpf_get_current_comm)(void *buf, u32 size) = (void *)16;
static long (*bpf_probe_read_user)(void *dst, u32 size, const void *src) = (void *)112;
static long (*bpf_probe_read_kernel)(void *dst, u32 size, const void *src) = (void *)113;
static long (*bpf_probe_read_user_str)(void *dst, u32 size, const void *src) = (void *)114;
static u64 (*bpf_get_current_ancestor_cgroup_id)(int level) = (void *)123;
static long (*bpf_ringbuf_output)(void *rb, void *data, u64 size, u64 flags) = (void *)130;
static void *(*bpf_ringbuf_reserve)(void *rb, u64 size, u64 flags) = (void *)131;
static void (*bpf_ringbuf_submit)(void *data, u64 flags) = (void *)132;
static u64 (*bpf_ringbuf_query)(void *rb, u64 flags) = (void *)134;
static long (*bpf_tail_call)(void *ctx, void *prog_array, u32 index) = (void *)12;

// Ring buffer wake-ups: each one is an irq_work, which costs a self-IPI (a VM exit under a
// hypervisor). Records are submitted without waking the reader, which polls with a short
// timeout, unless a quarter of the ring is full.
#define BPF_RB_NO_WAKEUP 1
#define BPF_RB_FORCE_WAKEUP 2
#define BPF_RB_AVAIL_DATA 0

#define BPF_ANY 0
#define BPF_NOEXIST 1

#define MAP_HASH 1
#define MAP_ARRAY 2
#define MAP_PERCPU_ARRAY 6
#define MAP_PROG_ARRAY 3
#define MAP_RINGBUF 27
#define BPF_F_NO_PREALLOC 1

#define CLONE_THREAD 0x10000

// ---- shared with userspace (crates/trace/src/ebpf/abi.rs) ----
#define MODE_TREE 0
#define MODE_CGROUP 1
#define MODE_ALL 2

#define CFG_AGGREGATE 1 // per (tgid, nr) statistics
#define CFG_STREAM 2    // call records in the ring buffer
#define CFG_MEMORY 4    // paths, argv, socket addresses
#define CFG_BUFFERS 8   // prefixes of read/write buffers
#define CFG_FOLLOW 16   // add forked children to the tree
#define CFG_STACKS 32   // the user stack at each call: registers and the top of the stack
// With CFG_AGGREGATE alone: calls are counted at entry and errors at exit, nothing is timed, and
// no per-thread state is kept (an interrupted call is the one exception, see DEFERRED).
#define CFG_NOTIME 64
// Buffer prefixes fit in the call record (buf_cap <= INL_MAX): they are read at the call's exit
// straight into its record, K_SYSCALL_BUF, instead of a memory record of their own.
#define CFG_INLINE 128
// The memory record with this address carries the instruction, stack and frame pointers of
// the call (three u64), not user memory: address 1 is never mapped.
#define REGS_ADDR 1
// inflight.retry: bits 0-5 string arguments, this bit the input buffer.
#define RETRY_INBUF 64

#define D_REPORT 1  // the call is selected
#define D_NOEXIT 2  // exit, exit_group: no sys_exit follows
#define D_INBUF 4   // in_arg points to in_len bytes read by the call
#define D_OUTBUF 8  // out_arg points to ret bytes written by the call
#define D_SOCKADDR 16 // sa_arg points to a socket address of sa_len bytes
#define D_ENTRY 32    // memory besides the input buffer is copied at entry (copy_enter)

#define K_SYSCALL 1
#define K_NOEXIT 2
#define K_MEMORY 3
#define K_FORK 4
#define K_EXIT 5
#define K_SYSCALL_BUF 6 // K_SYSCALL with a buffer prefix (struct sc_buf_event)

#define C_LOST_EVENTS 0
#define C_LOST_MEMORY 1
#define C_INFLIGHT_FULL 2
#define C_STATS_FULL 3
#define C_TREE_FULL 4
#define C_SUBMITTED 7 // call records submitted on this CPU (paces the wake-up check)
#define NR_COUNTERS 8

#define MEM_MAX 4096 // capture size; lengths are kept below it
#define INL_MAX 32   // the buffer prefix a call record carries (strace's default -s)
#define ARGV_MAX 32  // argv strings captured for execve
#define PTRS_MAX 64  // pointers of an argv/envp array captured
#define SOCKADDR_MAX 128
#define HIST_BUCKETS 32
#define MAX_SYSCALLS 1024

struct config {
    u32 mode;
    u32 flags;
    u32 self_tgid;
    u32 cgroup_level;
    u64 cgroup_id;
    u32 buf_cap;
    u32 nr_execve;
    u32 nr_execveat;
    u32 execs_pending; // entries in EXECS, so exits skip that map when there are none
    char comm[16];
    u32 regs_lo;    // the syscall arguments lie in the 64 bytes of struct pt_regs from here,
    u8 arg_idx[8];  // at these 8-byte slots (per architecture; the last two unused)
    u32 wake_mask;  // the ring's fill is checked when a CPU's record count & wake_mask is 0
    u64 ring_size;  // bytes in EVENTS
    u16 ip_off;     // offsets in struct pt_regs of the instruction, stack and frame pointers
    u16 sp_off;
    u16 bp_off;
    u16 stack_bytes; // bytes of user stack copied above the stack pointer (< MEM_MAX)
    // The process sysgate spawned: its statistics go to ROOT_STATS, a per-CPU array indexed by
    // syscall number, instead of the STATS hash (no lookup, no atomic operations). root_ready
    // is set at its execve and cleared when its last thread exits, so a later process that
    // reuses the pid is not taken for it.
    u32 root_tgid;
    u32 root_ready;
    u32 nr_off; // offset in struct pt_regs of the syscall number (x86_64 orig_ax)
    u32 spilled; // some thread's in-flight record is not in its first slot
};

struct proc {
    u32 threads; // live threads of the process
    u32 pending; // the spawned program before its execve: its calls are sysgate's own
};

struct inflight {
    u32 tid; // the slot's owner (SLOTS); 0 when free
    u32 pad;
    u64 ts;
    s64 nr;
    u64 args[6];
    // A call that returned ERESTART*: counted at the thread's next entry, dropped if the thread
    // dies first (a thread killed in a blocking call; strace never sees that exit either).
    s64 deferred_ret;
    u64 deferred_dur;
    u64 deferred;
    // String arguments whose copy failed at entry (bit i for argument i): their page was not
    // mapped yet. The call itself reads them, so they are copied again at its exit.
    u64 retry;
};

#define DEFER_SLOTS 4096
struct deferred {
    u32 tid;
    u32 tgid;
    u32 nr;
    u32 pad;
};

struct stats_key {
    u32 tgid;
    u32 nr;
};

struct stats {
    u64 count;
    u64 errors;
    u64 total_ns;
    u64 max_ns;
    u64 hist[HIST_BUCKETS]; // bucket i: durations in [2^i, 2^(i+1)) ns (0 ns in bucket 0)
};

// Structs copied whole: at entry (the kernel reads them) and at a successful exit (it filled
// them). A size with SIZE_VAR set is (size & 0xfff) bytes per element times a count taken from
// argument ((size >> 12) & 7), or from the return value when that index is 6.
#define SIZE_VAR 0x8000
#define COUNT_RET 6

struct desc {
    u8 flags;
    u8 str_mask;  // arguments that are NUL-terminated strings
    u8 argv_mask; // arguments that are NULL-terminated arrays of strings
    u8 in_arg;
    u8 in_len;
    u8 out_arg;
    u8 sa_arg;
    u8 sa_len;
    u8 ent_arg[2];
    u8 ext_arg[2];
    u16 ent_size[2];
    u16 ext_size[2];
    u32 pad;
};

struct sc_event {
    u32 kind;
    u32 tid;
    u32 tgid;
    u32 nr;
    u64 ts;
    u64 dur;
    u64 args[6];
    s64 ret;
};

struct sc_buf_event {
    struct sc_event call;
    u64 addr; // where the bytes were read
    u32 len;  // 0: nothing could be read
    u32 pad;
    u8 data[INL_MAX];
};

struct mem_event {
    u32 kind;
    u32 tid;
    u64 addr;
    u32 len;
    u32 truncated;
    u8 data[MEM_MAX];
};

#define MEM_HEADER 24

struct task_event {
    u32 kind;
    u32 tid;
    u32 tgid;
    u32 child;
    u64 ts;
    u64 clone_flags;
};

// ---- tracepoint contexts ----
// raw_syscalls:sys_enter and sys_exit are attached as raw tracepoints: the program gets the
// tracepoint's own arguments, (struct pt_regs *regs, long id) and (struct pt_regs *regs, long
// ret), without the perf record a classic tracepoint builds first (measured: that record cost
// more than the program itself). Syscall arguments are read from pt_regs at offsets the loader
// sets per architecture, and only when a record is streamed.
struct raw_ctx {
    u64 args[2];
};

// task:task_newtask, from its tracefs format file.
struct newtask_ctx {
    u64 common;
    s32 pid;
    char comm[16];
    u32 pad;
    u64 clone_flags;
};

// ---- maps ----
struct map_def {
    u32 type;
    u32 key_size;
    u32 value_size;
    u32 max_entries;
    u32 map_flags;
};

// Hash maps are not preallocated: entries are added once per process, thread or (process,
// syscall) pair, and preallocating 65536 of them cost more start-up time than everything else.
struct map_def CONFIG SEC("maps") = {MAP_ARRAY, 4, sizeof(struct config), 1, 0};
struct map_def TREE SEC("maps") = {MAP_HASH, 4, sizeof(struct proc), 65536, BPF_F_NO_PREALLOC};
// The calls in flight, by thread: a slot of SLOTS, where a lookup is an index computation the
// verifier inlines (a hash lookup costs ~25 ns here, twice per call). A thread's slot is
// tid % NR_SLOTS, or, when another live thread holds that one, one of the next PROBES - 1
// (looked at only once some thread has had to move). One map, so a record's pointer has one
// type whichever slot it is in: a second map would double the paths the verifier walks.
#define NR_SLOTS 16384
#define PROBES 4
struct map_def SLOTS SEC("maps") = {MAP_ARRAY, 4, sizeof(struct inflight), NR_SLOTS, 0};
// Threads other than the leader in execve, by process: a successful exec returns under the
// leader's id, so its exit finds the call here.
struct map_def EXECS SEC("maps") = {MAP_HASH, 4, 4, 4096, BPF_F_NO_PREALLOC};
struct map_def STATS SEC("maps") = {MAP_HASH, sizeof(struct stats_key), sizeof(struct stats), 16384, BPF_F_NO_PREALLOC};
// The spawned process's statistics, per CPU, by syscall number (config.root_tgid).
struct map_def ROOT_STATS SEC("maps") = {MAP_PERCPU_ARRAY, 4, sizeof(struct stats), MAX_SYSCALLS, 0};
// CFG_NOTIME: a call that returned ERESTART*, by thread (tid % DEFER_SLOTS). It was counted at
// entry; it becomes an error when its thread makes another call, and is taken back if the thread
// dies first (as strace never sees its end).
struct map_def DEFERRED SEC("maps") = {MAP_ARRAY, 4, sizeof(struct deferred), DEFER_SLOTS, 0};
struct map_def DESCS SEC("maps") = {MAP_ARRAY, 4, sizeof(struct desc), MAX_SYSCALLS, 0};
struct map_def COUNTERS SEC("maps") = {MAP_PERCPU_ARRAY, 4, 8, NR_COUNTERS, 0};
struct map_def SCRATCH SEC("maps") = {MAP_PERCPU_ARRAY, 4, sizeof(struct mem_event), 1, 0};
// The loader sets the size (--buffer).
struct map_def EVENTS SEC("maps") = {MAP_RINGBUF, 0, 0, 1 << 24, 0};
// The entry-copy program, reached by a tail call from sys_enter when memory is copied, so that
// counting-only sessions neither load nor verify it.
#define T_COPY 0
struct map_def TAILS SEC("maps") = {MAP_PROG_ARRAY, 4, 4, 1, 0};

char LICENSE[] SEC("license") = "Dual MIT/GPL";

INLINE void count(u32 which) {
    u64 *c = bpf_map_lookup_elem(&COUNTERS, &which);
    if (c)
        *c += 1;
}

// The call in flight on thread `tid`, if any.
INLINE struct inflight *inflight_find(struct config *cfg, u32 tid) {
    u32 i = tid & (NR_SLOTS - 1);
    struct inflight *f = bpf_map_lookup_elem(&SLOTS, &i);
    if (f && f->tid == tid)
        return f;
    if (!cfg->spilled)
        return 0;
    for (u32 k = 1; k < PROBES; k++) {
        u32 j = (tid + k) & (NR_SLOTS - 1);
        f = bpf_map_lookup_elem(&SLOTS, &j);
        if (f && f->tid == tid)
            return f;
    }
    return 0;
}

// A fresh in-flight record for thread `tid`: the first free slot from its own on, claimed
// atomically (two threads may claim one slot at once on two CPUs). Null when all are taken.
INLINE struct inflight *inflight_add(struct config *cfg, u32 tid) {
    for (u32 k = 0; k < PROBES; k++) {
        u32 j = (tid + k) & (NR_SLOTS - 1);
        struct inflight *f = bpf_map_lookup_elem(&SLOTS, &j);
        if (f && __sync_val_compare_and_swap(&f->tid, 0, tid) == 0) {
            if (k)
                cfg->spilled = 1;
            f->ts = 0;
            f->deferred = 0;
            f->retry = 0;
            return f;
        }
    }
    return 0;
}

INLINE void inflight_drop(struct config *cfg, u32 tid) {
    struct inflight *f = inflight_find(cfg, tid);
    if (f)
        f->tid = 0;
}

// Asking the ring how full it is costs a helper call (~20 ns): in a ring of a megabyte or more
// it is asked at every 32nd call record a CPU submits (with what comes before each, far less
// than the quarter that wakes the reader), in a smaller one at every record.
INLINE u64 wake_flags(void) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return BPF_RB_NO_WAKEUP;
    u32 which = C_SUBMITTED;
    u64 *n = bpf_map_lookup_elem(&COUNTERS, &which);
    if (n && (++*n & cfg->wake_mask) != 0)
        return BPF_RB_NO_WAKEUP;
    u64 quarter = cfg->ring_size / 4;
    return bpf_ringbuf_query(&EVENTS, BPF_RB_AVAIL_DATA) > quarter ? BPF_RB_FORCE_WAKEUP
                                                                    : BPF_RB_NO_WAKEUP;
}

// Whether the current task is traced. Clears the spawned program's pending state at its
// execve, the first call strace shows too.
INLINE int in_scope(struct config *cfg, u32 tgid, s64 nr) {
    if (cfg->mode == MODE_TREE) {
        if (tgid == cfg->root_tgid && cfg->root_ready)
            return 1;
        struct proc *p = bpf_map_lookup_elem(&TREE, &tgid);
        if (!p)
            return 0;
        if (p->pending) {
            if (nr != cfg->nr_execve && nr != cfg->nr_execveat)
                return 0;
            p->pending = 0;
            if (tgid == cfg->root_tgid)
                cfg->root_ready = 1;
        }
        return 1;
    }
    if (tgid == cfg->self_tgid)
        return 0;
    if (cfg->mode == MODE_CGROUP)
        return bpf_get_current_ancestor_cgroup_id(cfg->cgroup_level) == cfg->cgroup_id;
    if (cfg->comm[0]) {
        char comm[16] = {};
        bpf_get_current_comm(comm, sizeof(comm));
        u64 *a = (u64 *)comm;
        u64 *b = (u64 *)cfg->comm;
        return a[0] == b[0] && a[1] == b[1];
    }
    return 1;
}

INLINE u32 log2_bucket(u64 v) {
    u32 r = 0;
    if (v >> 32) { v >>= 32; r += 32; }
    if (v >> 16) { v >>= 16; r += 16; }
    if (v >> 8) { v >>= 8; r += 8; }
    if (v >> 4) { v >>= 4; r += 4; }
    if (v >> 2) { v >>= 2; r += 2; }
    if (v >> 1) { r += 1; }
    return r > HIST_BUCKETS - 1 ? HIST_BUCKETS - 1 : r;
}

// The statistics of (tgid, nr): the spawned process's in this CPU's ROOT_STATS (*percpu set:
// plain arithmetic is safe, the programs on syscall tracepoints run with preemption off), any
// other's in the shared STATS hash (atomic arithmetic). Null when STATS is full.
INLINE struct stats *stats_of(struct config *cfg, u32 tgid, u32 nr, int *percpu) {
    if (tgid == cfg->root_tgid && nr < MAX_SYSCALLS) {
        *percpu = 1;
        return bpf_map_lookup_elem(&ROOT_STATS, &nr);
    }
    *percpu = 0;
    struct stats_key key = {tgid, nr};
    struct stats *s = bpf_map_lookup_elem(&STATS, &key);
    if (!s) {
        struct stats zero = {};
        bpf_map_update_elem(&STATS, &key, &zero, BPF_NOEXIST);
        s = bpf_map_lookup_elem(&STATS, &key);
        if (!s)
            count(C_STATS_FULL);
    }
    return s;
}

// Adds `n` to a statistics counter (n may be -1: CFG_NOTIME takes a call back).
INLINE void add(u64 *v, s64 n, int percpu) {
    if (percpu)
        *v += n;
    else
        __sync_fetch_and_add(v, n);
}

// One branch on `percpu` for the whole update: a branch per counter would multiply the paths
// the verifier walks (its time is most of a session's start-up).
INLINE void aggregate(struct config *cfg, u32 tgid, u32 nr, s64 ret, u64 dur) {
    int percpu;
    struct stats *s = stats_of(cfg, tgid, nr, &percpu);
    if (!s)
        return;
    u64 failed = ret < 0 && ret >= -4095;
    u32 b = log2_bucket(dur) & (HIST_BUCKETS - 1);
    if (percpu) {
        s->count += 1;
        s->errors += failed;
        s->total_ns += dur;
        s->hist[b] += 1;
    } else {
        __sync_fetch_and_add(&s->count, 1);
        __sync_fetch_and_add(&s->errors, failed);
        __sync_fetch_and_add(&s->total_ns, dur);
        __sync_fetch_and_add(&s->hist[b], 1);
    }
    if (dur > s->max_ns)
        s->max_ns = dur;
}

// Sends `len` bytes of user memory at `addr` (`string`: up to the NUL) as a memory record.
// Returns 0 when the memory could not be read.
INLINE int capture(u32 tid, u64 addr, u32 len, int string) {
    if (!addr)
        return 1;
    u32 zero = 0;
    struct mem_event *m = bpf_map_lookup_elem(&SCRATCH, &zero);
    if (!m)
        return 1;
    m->kind = K_MEMORY;
    m->tid = tid;
    m->addr = addr;
    m->truncated = 0;
    long n;
    if (string) {
        n = bpf_probe_read_user_str(m->data, MEM_MAX, (const void *)addr);
        if (n <= 0)
            return 0;
        if (n >= MEM_MAX) {
            n = MEM_MAX - 1; // the helper cut the string and wrote its own NUL: drop it
            m->truncated = 1;
        }
    } else {
        u64 want = len >= MEM_MAX ? MEM_MAX - 1 : len;
        BOUND(want);
        if (want == 0)
            return 1;
        if (bpf_probe_read_user(m->data, want, (const void *)addr) != 0)
            return 0;
        n = want;
    }
    m->len = n;
    u64 size = (u64)n;
    BOUND(size);
    size += MEM_HEADER;
    // No wake-up decision here: the call's own record, which follows, makes it.
    if (bpf_ringbuf_output(&EVENTS, m, size, BPF_RB_NO_WAKEUP) != 0)
        count(C_LOST_MEMORY);
    return 1;
}

// An argv-style array: the pointers (up to PTRS_MAX and the NULL), then, when `strings`, the
// first ARGV_MAX strings.
INLINE void capture_argv(u32 tid, u64 addr, int strings) {
    if (!addr)
        return;
    u32 zero = 0;
    struct mem_event *m = bpf_map_lookup_elem(&SCRATCH, &zero);
    if (!m)
        return;
    if (bpf_probe_read_user(m->data, PTRS_MAX * 8, (const void *)addr) != 0)
        return;
    u64 *ptrs = (u64 *)m->data;
    u32 n = PTRS_MAX;
    for (u32 i = 0; i < PTRS_MAX; i++) {
        if (ptrs[i] == 0) {
            n = i + 1;
            break;
        }
    }
    m->kind = K_MEMORY;
    m->tid = tid;
    m->addr = addr;
    m->len = n * 8;
    m->truncated = 0;
    u64 size = (u64)n * 8;
    BOUND(size);
    size += MEM_HEADER;
    if (bpf_ringbuf_output(&EVENTS, m, size, BPF_RB_NO_WAKEUP) != 0)
        count(C_LOST_MEMORY);
    if (!strings)
        return;
    for (u32 i = 0; i < ARGV_MAX; i++) {
        u64 p = 0;
        if (bpf_probe_read_user(&p, 8, (const void *)(addr + i * 8)) != 0 || p == 0)
            break;
        capture(tid, p, 0, 1);
    }
}

INLINE void capture_sized(u32 tid, u64 *args, s64 ret, u8 argi, u16 size) {
    if (argi >= 6 || size == 0)
        return;
    u64 n = size;
    if (size & SIZE_VAR) {
        u32 src = (size >> 12) & 7;
        u64 count = 0;
        if (src < 6)
            count = args[src];
        else if (src == COUNT_RET && ret > 0)
            count = ret;
        if (count > MEM_MAX)
            count = MEM_MAX;
        n = (u64)(size & 0xfff) * count;
    }
    if (n > MEM_MAX - 1)
        n = MEM_MAX - 1;
    capture(tid, args[argi], (u32)n, 0);
}

INLINE void capture_entry(struct config *cfg, struct desc *d, u32 tid, struct inflight *f) {
    u64 *args = f->args;
    f->retry = 0;
    for (u32 i = 0; i < 6; i++) {
        if ((d->str_mask & (1 << i)) && !capture(tid, args[i], 0, 1))
            f->retry |= 1 << i;
    }
    for (u32 i = 0; i < 6; i++) {
        if (d->argv_mask & (1 << i))
            capture_argv(tid, args[i], i == 1);
    }
    if ((d->flags & D_SOCKADDR) && d->sa_arg < 6 && d->sa_len < 6) {
        u64 len = args[d->sa_len];
        capture(tid, args[d->sa_arg], len > SOCKADDR_MAX ? SOCKADDR_MAX : (u32)len, 0);
    }
    capture_sized(tid, args, 0, d->ent_arg[0], d->ent_size[0]);
    capture_sized(tid, args, 0, d->ent_arg[1], d->ent_size[1]);
    if ((cfg->flags & (CFG_BUFFERS | CFG_INLINE)) == CFG_BUFFERS && (d->flags & D_INBUF) &&
        d->in_arg < 6 && d->in_len < 6) {
        u64 len = args[d->in_len];
        if (!capture(tid, args[d->in_arg], len > cfg->buf_cap ? cfg->buf_cap : (u32)len, 0))
            f->retry |= RETRY_INBUF;
    }
}

// How a program reaches the syscall's registers. A raw tracepoint gets the pt_regs pointer as a
// number and reads through a helper (~45 ns here), at offsets the loader sets per architecture.
// A BTF-typed one (tp_btf) gets a typed pointer and loads its fields directly, so its offsets
// are constants: x86_64's struct pt_regs, the only layout these variants are built for.
#define VIA_HELPER 1
#define VIA_BTF 2

// The six syscall arguments from the pt_regs the tracepoint passes.
INLINE void read_args(struct config *cfg, struct raw_ctx *ctx, u64 *args, const int via) {
    if (via == VIA_BTF) {
        // x86_64 struct pt_regs, in 8-byte words: r10 7, r9 8, r8 9, dx 12, si 13, di 14
        // (and, for capture_stack, bp 4, ip 16, sp 19).
        const u64 *regs = (const u64 *)ctx->args[0];
        args[0] = regs[14];
        args[1] = regs[13];
        args[2] = regs[12];
        args[3] = regs[7];
        args[4] = regs[9];
        args[5] = regs[8];
        return;
    }
    u64 slots[8] = {};
    bpf_probe_read_kernel(slots, sizeof(slots), (const void *)(ctx->args[0] + cfg->regs_lo));
    for (int i = 0; i < 6; i++)
        args[i] = slots[cfg->arg_idx[i] & 7];
}

INLINE void fill_call(struct sc_event *e, u32 kind, u32 tid, u32 tgid, u32 nr, u64 ts, u64 dur,
                      u64 *args, s64 ret) {
    e->kind = kind;
    e->tid = tid;
    e->tgid = tgid;
    e->nr = nr;
    e->ts = ts;
    e->dur = dur;
    for (int i = 0; i < 6; i++)
        e->args[i] = args[i];
    e->ret = ret;
}

INLINE void emit_call(u32 kind, u32 tid, u32 tgid, u32 nr, u64 ts, u64 dur, u64 *args, s64 ret) {
    struct sc_event *e = bpf_ringbuf_reserve(&EVENTS, sizeof(*e), 0);
    if (!e) {
        count(C_LOST_EVENTS);
        return;
    }
    fill_call(e, kind, tid, tgid, nr, ts, dur, args, ret);
    bpf_ringbuf_submit(e, wake_flags());
}

// A call record with the buffer prefix at `addr` (`len` bytes, at most INL_MAX) read into it:
// one ring record and no copy through the scratch buffer.
INLINE void emit_call_buf(u32 tid, u32 tgid, u32 nr, u64 ts, u64 dur, u64 *args, s64 ret,
                          u64 addr, u64 len) {
    struct sc_buf_event *e = bpf_ringbuf_reserve(&EVENTS, sizeof(*e), 0);
    if (!e) {
        count(C_LOST_EVENTS);
        return;
    }
    fill_call(&e->call, K_SYSCALL_BUF, tid, tgid, nr, ts, dur, args, ret);
    e->addr = addr;
    e->pad = 0;
    if (len > INL_MAX)
        len = INL_MAX;
    asm volatile("%0 &= 63" : "+r"(len));
    // Read onto the stack, then copied: a destination on the stack spares the read the
    // hardened-usercopy checks of a heap or vmalloc object (the ring's memory).
    u64 tmp[INL_MAX / 8] = {};
    if (len == 0 || len > INL_MAX || bpf_probe_read_user(tmp, len, (const void *)addr) != 0)
        len = 0;
    __builtin_memcpy(e->data, tmp, INL_MAX);
    e->len = len;
    bpf_ringbuf_submit(e, wake_flags());
}

// Accounts a finished call: statistics, then its memory captured at exit and its record.
// `streams` is a constant per program: the statistics-only programs (agg_*) leave the streaming
// half out, so the verifier does not walk it for them.
INLINE void finish(struct config *cfg, struct inflight *f, u32 tgid, u32 tid, s64 ret, u64 dur,
                   const int streams) {
    u32 nr = (u32)f->nr;
    if (cfg->flags & CFG_AGGREGATE)
        aggregate(cfg, tgid, nr, ret, dur);
    if (!streams || !(cfg->flags & CFG_STREAM))
        return;
    u64 buf = 0, buf_len = 0;
    if ((cfg->flags & CFG_MEMORY) && nr < MAX_SYSCALLS) {
        // Strings and buffers whose page was not mapped at entry: the call has read them since.
        for (u32 i = 0; i < 6; i++) {
            if (f->retry & (1 << i))
                capture(tid, f->args[i], 0, 1);
        }
        struct desc *d = bpf_map_lookup_elem(&DESCS, &nr);
        if (d && (f->retry & RETRY_INBUF) && d->in_arg < 6 && d->in_len < 6) {
            u64 len = f->args[d->in_len];
            capture(tid, f->args[d->in_arg], len > cfg->buf_cap ? cfg->buf_cap : (u32)len, 0);
        }
        if (d && ret >= 0) {
            capture_sized(tid, f->args, ret, d->ext_arg[0], d->ext_size[0]);
            capture_sized(tid, f->args, ret, d->ext_arg[1], d->ext_size[1]);
            if ((cfg->flags & CFG_BUFFERS) && ret > 0 && (d->flags & D_OUTBUF) && d->out_arg < 6) {
                u64 len = (u64)ret > cfg->buf_cap ? cfg->buf_cap : (u64)ret;
                if (cfg->flags & CFG_INLINE) {
                    buf = f->args[d->out_arg];
                    buf_len = len;
                } else {
                    capture(tid, f->args[d->out_arg], (u32)len, 0);
                }
            }
        }
        // The input buffer as the call leaves it: the kernel does not write it, and the thread
        // has not run since its entry.
        if (d && (cfg->flags & CFG_INLINE) && (d->flags & D_INBUF) && d->in_arg < 6 &&
            d->in_len < 6) {
            u64 len = f->args[d->in_len];
            len = len > cfg->buf_cap ? cfg->buf_cap : len;
            if (!buf) {
                buf = f->args[d->in_arg];
                buf_len = len;
            } else {
                capture(tid, f->args[d->in_arg], (u32)len, 0);
            }
        }
        f->retry = 0;
    }
    if (buf && buf_len)
        emit_call_buf(tid, tgid, nr, f->ts, dur, f->args, ret, buf, buf_len);
    else
        emit_call(K_SYSCALL, tid, tgid, nr, f->ts, dur, f->args, ret);
}

// ---- CFG_NOTIME: counting without timing ----

// The interrupted call deferred for thread `tid`, if any.
INLINE struct deferred *deferred_of(u32 tid) {
    u32 i = tid & (DEFER_SLOTS - 1);
    struct deferred *d = bpf_map_lookup_elem(&DEFERRED, &i);
    return d && d->tid == tid ? d : 0;
}

// Settles a deferred call: an error when its thread goes on (`back` 0), taken back when the
// thread dies in it (`back` 1).
INLINE void settle(struct config *cfg, struct deferred *d, int back) {
    int percpu;
    struct stats *s = stats_of(cfg, d->tgid, d->nr, &percpu);
    if (s) {
        if (back)
            add(&s->count, -1, percpu);
        else
            add(&s->errors, 1, percpu);
    }
    d->tid = 0;
}

INLINE void count_enter(struct config *cfg, u32 tgid, u32 tid, s64 nr) {
    if (!in_scope(cfg, tgid, nr) || nr < 0 || nr >= MAX_SYSCALLS)
        return;
    struct deferred *late = deferred_of(tid);
    if (late)
        settle(cfg, late, 0);
    u32 idx = nr;
    struct desc *d = bpf_map_lookup_elem(&DESCS, &idx);
    // Calls that never return are left out, as strace -c does.
    if (d && (!(d->flags & D_REPORT) || (d->flags & D_NOEXIT)))
        return;
    int percpu;
    struct stats *s = stats_of(cfg, tgid, idx, &percpu);
    if (s)
        add(&s->count, 1, percpu);
}

// Only failed calls are looked at: the syscall number is read from the registers then.
INLINE void count_exit(struct config *cfg, struct raw_ctx *ctx, s64 ret) {
    if (!(ret < 0 && ret >= -4095))
        return;
    u64 pt = bpf_get_current_pid_tgid();
    u32 tgid = pt >> 32;
    u32 tid = (u32)pt;
    if (!in_scope(cfg, tgid, -1))
        return;
    s64 nr = 0;
    bpf_probe_read_kernel(&nr, sizeof(nr), (const void *)(ctx->args[0] + (cfg->nr_off & 0x1ff)));
    nr = (s32)nr;
    if (nr < 0 || nr >= MAX_SYSCALLS)
        return;
    u32 idx = nr;
    struct desc *d = bpf_map_lookup_elem(&DESCS, &idx);
    if (d && !(d->flags & D_REPORT))
        return;
    if (ret >= -516 && ret <= -512) {
        u32 i = tid & (DEFER_SLOTS - 1);
        struct deferred *slot = bpf_map_lookup_elem(&DEFERRED, &i);
        // A slot another thread holds: counted as an error at once.
        if (slot && (slot->tid == 0 || slot->tid == tid)) {
            slot->tgid = tgid;
            slot->nr = idx;
            slot->tid = tid;
            return;
        }
    }
    int percpu;
    struct stats *s = stats_of(cfg, tgid, idx, &percpu);
    if (s)
        add(&s->errors, 1, percpu);
}

// With CFG_NOTIME these two are attached instead of sys_enter and sys_exit: programs of their
// own, so that neither pays for the other's paths in verification time.
SEC("raw_tracepoint/sys_enter")
int count_sys_enter(struct raw_ctx *ctx) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return 0;
    u64 pt = bpf_get_current_pid_tgid();
    count_enter(cfg, pt >> 32, (u32)pt, ctx->args[1]);
    return 0;
}

SEC("raw_tracepoint/sys_exit")
int count_sys_exit(struct raw_ctx *ctx) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (cfg)
        count_exit(cfg, ctx, ctx->args[1]);
    return 0;
}

// The timed programs, in variants built from one source: sys_enter / sys_exit stream records
// (record, trace) and aggregate when asked; agg_sys_enter / agg_sys_exit only aggregate
// (summary, trace -c), so they are much quicker to verify. `streams` is 0 for the latter, else
// how the registers are read (VIA_HELPER, VIA_BTF: the btf_* programs).
INLINE int enter(struct raw_ctx *ctx, const int streams) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return 0;
    u64 pt = bpf_get_current_pid_tgid();
    u32 tgid = pt >> 32;
    u32 tid = (u32)pt;
    s64 nr = ctx->args[1];
    struct inflight *f = inflight_find(cfg, tid);
    // A thread with an entry here was in scope at an earlier call, and in a process tree it
    // stays so until it exits (the entry goes with it): no need to look the tree up again.
    if (!(f && cfg->mode == MODE_TREE) && !in_scope(cfg, tgid, nr))
        return 0;
    if (!streams && f && f->deferred) {
        // The thread lives on after an ERESTART* return: account that call now.
        finish(cfg, f, tgid, tid, f->deferred_ret, f->deferred_dur, 0);
        f->deferred = 0;
        f->ts = 0;
    }
    struct desc *d = 0;
    if (nr >= 0 && nr < MAX_SYSCALLS) {
        u32 idx = nr;
        d = bpf_map_lookup_elem(&DESCS, &idx);
    }
    if (d && !(d->flags & D_REPORT))
        return 0;
    u64 now = bpf_ktime_get_ns();
    if (d && (d->flags & D_NOEXIT)) {
        // Not aggregated: a call that never returns has no time, and strace -c leaves it out.
        if (streams && (cfg->flags & CFG_STREAM)) {
            u64 args[6];
            read_args(cfg, ctx, args, streams);
            emit_call(K_NOEXIT, tid, tgid, (u32)nr, now, 0, args, 0);
        }
        return 0;
    }
    if (!f) {
        f = inflight_add(cfg, tid);
        if (!f) {
            count(C_INFLIGHT_FULL);
            return 0;
        }
    }
    f->nr = nr;
    if (tid != tgid && (nr == cfg->nr_execve || nr == cfg->nr_execveat) &&
        bpf_map_update_elem(&EXECS, &tgid, &tid, BPF_ANY) == 0)
        __sync_fetch_and_add(&cfg->execs_pending, 1);
    f->ts = now;
    if (streams && (cfg->flags & CFG_STREAM)) {
        read_args(cfg, ctx, f->args, streams);
        if (d && (cfg->flags & CFG_MEMORY) &&
            ((d->flags & D_ENTRY) || (cfg->flags & CFG_STACKS) ||
             ((d->flags & D_INBUF) && !(cfg->flags & CFG_INLINE))))
            bpf_tail_call(ctx, &TAILS, T_COPY); // returns only if that failed
        else
            f->retry = 0;
    }
    return 0;
}

SEC("raw_tracepoint/sys_enter")
int sys_enter(struct raw_ctx *ctx) {
    return enter(ctx, VIA_HELPER);
}

SEC("tp_btf/sys_enter")
int btf_sys_enter(struct raw_ctx *ctx) {
    return enter(ctx, VIA_BTF);
}

SEC("raw_tracepoint/sys_enter")
int agg_sys_enter(struct raw_ctx *ctx) {
    return enter(ctx, 0);
}

// With CFG_STACKS: the registers an unwinder starts from, then the top of the user stack, as
// two memory records (user space unwinds them with the binaries' CFI, as perf's DWARF mode).
INLINE void capture_stack(struct config *cfg, struct raw_ctx *ctx, u32 tid, const int via) {
    u64 ip = 0, sp = 0, bp = 0;
    if (via == VIA_BTF) {
        const u64 *regs = (const u64 *)ctx->args[0];
        ip = regs[16];
        sp = regs[19];
        bp = regs[4];
    } else {
        u64 regs = ctx->args[0];
        bpf_probe_read_kernel(&ip, 8, (const void *)(regs + (cfg->ip_off & 0x1ff)));
        bpf_probe_read_kernel(&sp, 8, (const void *)(regs + (cfg->sp_off & 0x1ff)));
        bpf_probe_read_kernel(&bp, 8, (const void *)(regs + (cfg->bp_off & 0x1ff)));
    }
    u32 zero = 0;
    struct mem_event *m = bpf_map_lookup_elem(&SCRATCH, &zero);
    if (!m)
        return;
    m->kind = K_MEMORY;
    m->tid = tid;
    m->addr = REGS_ADDR;
    m->truncated = 0;
    m->len = 24;
    __builtin_memcpy(&m->data[0], &ip, 8);
    __builtin_memcpy(&m->data[8], &sp, 8);
    __builtin_memcpy(&m->data[16], &bp, 8);
    if (bpf_ringbuf_output(&EVENTS, m, MEM_HEADER + 24, BPF_RB_NO_WAKEUP) != 0)
        count(C_LOST_MEMORY);
    // Near the top of the stack the window can run past the end of the mapping, and the read
    // then fails whole: fall back to the rest of the stack pointer's page.
    if (!capture(tid, sp, cfg->stack_bytes, 0))
        capture(tid, sp, 4096 - (u32)(sp & 4095), 0);
}

// Copies the memory the call's arguments point at (tail-called from sys_enter).
INLINE int copy(struct raw_ctx *ctx, const int via) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return 0;
    u32 tid = (u32)bpf_get_current_pid_tgid();
    struct inflight *f = inflight_find(cfg, tid);
    if (!f || f->nr < 0 || f->nr >= MAX_SYSCALLS)
        return 0;
    u32 nr = (u32)f->nr;
    struct desc *d = bpf_map_lookup_elem(&DESCS, &nr);
    if (d)
        capture_entry(cfg, d, tid, f);
    // Stacks only for the calls shown (-e trace=).
    if ((cfg->flags & CFG_STACKS) && d && (d->flags & D_REPORT))
        capture_stack(cfg, ctx, tid, via);
    // The call's time includes the copies of its arguments: reading the clock again costs
    // more (~60 ns on a VM) than copying a path or a buffer prefix. A copy of the stack
    // (4 KiB) costs more, so its time is left out.
    if (cfg->flags & CFG_STACKS)
        f->ts = bpf_ktime_get_ns();
    return 0;
}

// The programs of one tail-call table share one type and attachment: the btf_* variants stand
// together, as the raw ones do.
SEC("raw_tracepoint/sys_enter")
int copy_enter(struct raw_ctx *ctx) {
    return copy(ctx, VIA_HELPER);
}

SEC("tp_btf/sys_enter")
int btf_copy_enter(struct raw_ctx *ctx) {
    return copy(ctx, VIA_BTF);
}

INLINE int leave(struct raw_ctx *ctx, const int streams) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return 0;
    u64 now = bpf_ktime_get_ns();
    u64 pt = bpf_get_current_pid_tgid();
    u32 tid = (u32)pt;
    u32 tgid = pt >> 32;
    struct inflight *f = inflight_find(cfg, tid);
    if ((!f || f->ts == 0) && tid == tgid && cfg->execs_pending) {
        // execve from another thread: it now runs under the leader's id.
        u32 *old = bpf_map_lookup_elem(&EXECS, &tgid);
        if (old) {
            tid = *old;
            if (bpf_map_delete_elem(&EXECS, &tgid) == 0)
                __sync_fetch_and_add(&cfg->execs_pending, -1);
            f = inflight_find(cfg, tid);
        }
    }
    if (!f || f->ts == 0 || f->deferred)
        return 0;
    u64 dur = now > f->ts ? now - f->ts : 0;
    s64 ret = ctx->args[1];
    // A call that returned ERESTART* counts once its thread goes on (its next entry), and not
    // if the thread dies first: statistics wait here; a streamed record goes out now, with its
    // buffer as the call left it, and the reader holds it back on the same terms.
    if (!streams && ret >= -516 && ret <= -512) {
        f->deferred = 1;
        f->deferred_ret = ret;
        f->deferred_dur = dur;
        return 0;
    }
    finish(cfg, f, tgid, tid, ret, dur, streams);
    f->ts = 0;
    if (tid != (u32)pt)
        inflight_drop(cfg, tid);
    return 0;
}

SEC("raw_tracepoint/sys_exit")
int sys_exit(struct raw_ctx *ctx) {
    return leave(ctx, 1);
}

SEC("raw_tracepoint/sys_exit")
int agg_sys_exit(struct raw_ctx *ctx) {
    return leave(ctx, 0);
}

INLINE void emit_task(u32 kind, u32 tid, u32 tgid, u32 child, u64 clone_flags) {
    struct task_event *e = bpf_ringbuf_reserve(&EVENTS, sizeof(*e), 0);
    if (!e) {
        count(C_LOST_EVENTS);
        return;
    }
    e->kind = kind;
    e->tid = tid;
    e->tgid = tgid;
    e->child = child;
    e->ts = bpf_ktime_get_ns();
    e->clone_flags = clone_flags;
    bpf_ringbuf_submit(e, wake_flags());
}

SEC("tracepoint/task/task_newtask")
int task_newtask(struct newtask_ctx *ctx) {
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return 0;
    u64 pt = bpf_get_current_pid_tgid();
    u32 tgid = pt >> 32;
    if (cfg->mode == MODE_TREE) {
        struct proc *p = bpf_map_lookup_elem(&TREE, &tgid);
        if (!p || p->pending)
            return 0;
        if (ctx->clone_flags & CLONE_THREAD) {
            __sync_fetch_and_add(&p->threads, 1);
        } else {
            if (!(cfg->flags & CFG_FOLLOW))
                return 0;
            struct proc child = {1, 0};
            u32 pid = ctx->pid;
            if (bpf_map_update_elem(&TREE, &pid, &child, BPF_ANY) != 0) {
                count(C_TREE_FULL);
                return 0;
            }
        }
    } else if (!in_scope(cfg, tgid, -1)) {
        return 0;
    }
    if (cfg->flags & CFG_STREAM)
        emit_task(K_FORK, (u32)pt, tgid, ctx->pid, ctx->clone_flags);
    return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int sched_process_exit(void *ctx) {
    u64 pt = bpf_get_current_pid_tgid();
    u32 tgid = pt >> 32;
    u32 tid = (u32)pt;
    u32 zero = 0;
    struct config *cfg = bpf_map_lookup_elem(&CONFIG, &zero);
    if (!cfg)
        return 0;
    if (cfg->flags & CFG_NOTIME) {
        struct deferred *late = deferred_of(tid);
        if (late)
            settle(cfg, late, 1);
    } else {
        inflight_drop(cfg, tid);
    }
    if (cfg->mode == MODE_TREE) {
        struct proc *p = bpf_map_lookup_elem(&TREE, &tgid);
        if (!p)
            return 0;
        __sync_fetch_and_add(&p->threads, -1);
        if (p->threads == 0 || p->threads > 0x7fffffff) {
            bpf_map_delete_elem(&TREE, &tgid);
            if (tgid == cfg->root_tgid)
                cfg->root_ready = 0;
        }
    } else if (!in_scope(cfg, tgid, -1)) {
        return 0;
    }
    if (cfg->flags & CFG_STREAM)
        emit_task(K_EXIT, tid, tgid, 0, 0);
    return 0;
}
