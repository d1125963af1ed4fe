//! Whatever decodes also renders (or fails typed) through every registered
//! dialect, never panicking.
#![no_main]

// Linked for their registrations alone.
use oxyde_mysql as _;
use oxyde_postgres as _;
use oxyde_sqlite as _;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(op) = oxyde_ir::decode(data) else { return };
    for reg in oxyde_sql::registered_dialects() {
        let _ = oxyde_sql::render(&op, reg.dialect());
    }
});
