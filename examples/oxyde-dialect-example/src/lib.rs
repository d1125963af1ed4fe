#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use oxyde_ir::Value;
use oxyde_sql::render::{shift_dollar_placeholders, write_quoted};
use oxyde_sql::{Dialect, DialectRegistration, RenderError, SqlWriter};

/// A made-up database: PostgreSQL-style `$n` placeholders, MySQL-style
/// backtick identifiers, `RETURNING`, and no row locks. Everything else
/// is the standard SQL the shared renderer writes by default.
#[derive(Debug, Clone, Copy, Default)]
pub struct DuckishDialect;

impl Dialect for DuckishDialect {
    fn name(&self) -> &'static str {
        "duckish"
    }

    fn supports_returning(&self) -> bool {
        true
    }

    fn supports_row_locks(&self) -> bool {
        false
    }

    fn write_placeholder(&self, position: usize, out: &mut SqlWriter<'_>) {
        out.push_str("$");
        out.push_str(&position.to_string());
    }

    fn write_identifier(&self, name: &str, out: &mut SqlWriter<'_>) {
        write_quoted(name, '`', out);
    }

    // Numbered placeholders in raw fragments move past values already bound.
    fn write_raw_fragment(&self, sql: &str, params: &[Value], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str(&shift_dollar_placeholders(sql, out.param_count(), params.len())?);
        out.bind_without_placeholder(params);
        Ok(())
    }
}

/// The dialect author's guide, whose Rust blocks run here as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/dialects.md")]
pub struct DialectGuide;

// The whole integration: one registration, at top level. Core never names us.
inventory::submit! {
    DialectRegistration::new("duckish", &["duckish", "duck"], &DuckishDialect)
}
