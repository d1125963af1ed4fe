//! Any byte string decodes to an op or a typed error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = oxyde_ir::decode(data);
});
