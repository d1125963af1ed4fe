//! Exists so the README's Rust example runs as a doc test (`cargo test -p xtask --doc`).
#![doc = include_str!("../../README.md")]
