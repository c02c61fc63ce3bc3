//! System V and POSIX IPC structures, as strace's ipc_sem.c, ipc_msg.c and mq.c print them:
//! semop's `struct sembuf`, msgsnd/msgrcv's `struct msgbuf` and `struct mq_attr`.

use sysgate_event::{Field, Value};

use super::{int, uint};
use crate::decode::{Cx, Rd, consts};

/// `struct sembuf`: `{sem_num=0, sem_op=2, sem_flg=IPC_NOWAIT}`.
pub fn sembuf(b: &[u8]) -> Option<Value> {
    let r = Rd(b);
    let flg = r.i16(4)? as u16 as u64;
    Some(Value::Record(vec![
        Field::new("sem_num", uint(u64::from(r.u16(0)?))),
        Field::new("sem_op", int(i64::from(r.i16(2)?))),
        Field::new(
            "sem_flg",
            if flg == 0 {
                int(0)
            } else {
                Value::Flags(&consts::SEM_FLAGS, flg)
            },
        ),
    ]))
}

/// `struct msgbuf` with `size` bytes of text: `{mtype=7, mtext="hello"}`.
pub fn msgbuf(b: &[u8], size: usize, cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let mtype = r.i64(0)?;
    let text = b.get(8..).unwrap_or_default();
    let text = &text[..text.len().min(size)];
    let s = cx.str(text, size > text.len().max(cx.limit));
    Some(Value::Record(vec![
        Field::new("mtype", int(mtype)),
        Field::new("mtext", s),
    ]))
}

/// `struct mq_attr`: `{mq_flags=0, mq_maxmsg=4, mq_msgsize=32, mq_curmsgs=0}`.
pub fn mq_attr(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let flags = r.i64(0)? as u64;
    let flags_v = if flags == 0 {
        int(0)
    } else {
        Value::Flags(&consts::MQ_FLAGS, flags)
    };
    Some(Value::Record(vec![
        Field::new("mq_flags", flags_v),
        Field::new("mq_maxmsg", int(r.i64(8)?)),
        Field::new("mq_msgsize", int(r.i64(16)?)),
        Field::new("mq_curmsgs", int(r.i64(24)?)),
    ]))
}
