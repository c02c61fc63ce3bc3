//! The fixed socket-option structures the knowledge base names directly, as strace's
//! sockopt decoding prints them: `struct linger` (`SO_LINGER`) and `struct ucred`
//! (`SO_PEERCRED`). Addresses, messages and the option dispatch by level are
//! [`crate::decode::net`]'s.

use sysgate_event::{Field, Value};

use super::{int, uint};
use crate::decode::{Cx, Rd};

/// `struct linger`: `{l_onoff=1, l_linger=5}`.
pub fn linger(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("l_onoff", int(i64::from(r.i32(0)?))),
        Field::new("l_linger", int(i64::from(r.i32(4)?))),
    ]))
}

/// `struct ucred`: `{pid=1234, uid=0, gid=0}`.
pub fn ucred(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("pid", int(i64::from(r.i32(0)?))),
        Field::new("uid", uint(u64::from(r.u32(4)?))),
        Field::new("gid", uint(u64::from(r.u32(8)?))),
    ]))
}
