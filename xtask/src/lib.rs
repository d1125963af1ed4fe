//! Exists so the Rust examples of README.md and docs/rust.md run as doc tests (`cargo test -p xtask --doc`).
#![doc = include_str!("../../README.md")]
// The README is prose for users first: product names stay unquoted there.
#![allow(clippy::doc_markdown)]

/// The Rust page of the docs site, `docs/rust.md`: its Rust blocks run here
/// as doc tests too.
#[cfg(doctest)]
#[doc = include_str!("../../docs/rust.md")]
pub struct RustGuide;
