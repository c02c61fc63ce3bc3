//! The kernel key management calls: keyring serial numbers print by their `KEY_SPEC_*` name
//! when they are one of the special ids, else in decimal (strace's `printxval_d`).

use sysgate_event::{SyscallEvent, Value};

use super::{DecodeOptions, Handler, Memory, set};

/// The special keyring ids (linux/keyctl.h).
const KEY_SPEC: [(i32, &str); 8] = [
    (-1, "KEY_SPEC_THREAD_KEYRING"),
    (-2, "KEY_SPEC_PROCESS_KEYRING"),
    (-3, "KEY_SPEC_SESSION_KEYRING"),
    (-4, "KEY_SPEC_USER_KEYRING"),
    (-5, "KEY_SPEC_USER_SESSION_KEYRING"),
    (-6, "KEY_SPEC_GROUP_KEYRING"),
    (-7, "KEY_SPEC_REQKEY_AUTH_KEY"),
    (-8, "KEY_SPEC_REQUESTOR_KEYRING"),
];

/// A `key_serial_t` (an `int`): its `KEY_SPEC_*` name, or the number.
pub(super) fn serial(raw: u64) -> Value {
    let id = raw as u32 as i32;
    match KEY_SPEC.iter().find(|(v, _)| *v == id) {
        Some(&(_, name)) => Value::Const {
            raw: i64::from(id),
            name,
        },
        None => Value::Int(i64::from(id)),
    }
}

/// `add_key(type, description, payload, plen, keyring)`.
pub(super) const ADD_KEY: Handler = Handler::entry(add_key_entry);

fn add_key_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    set(ev, 4, serial(ev.args[4]));
}

/// `request_key(type, description, callout_info, dest_keyring)`.
pub(super) const REQUEST_KEY: Handler = Handler::entry(request_key_entry);

fn request_key_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    set(ev, 3, serial(ev.args[3]));
}
