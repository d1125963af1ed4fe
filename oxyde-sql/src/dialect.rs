use crate::SqlWriter;

/// How one database spells SQL; every default follows the SQL standard.
///
/// A dialect overrides only what differs. (The renderer's helper team widens
/// this trait; see `docs/dialects.md`.)
pub trait Dialect: Send + Sync + 'static {
    /// Registry key and error label, e.g. `"postgres"`.
    fn name(&self) -> &'static str;

    /// Writes the placeholder for the parameter at 1-based `position`:
    /// `?` by default.
    fn write_placeholder(&self, _position: usize, out: &mut SqlWriter<'_>) {
        out.push_str("?");
    }

    /// Writes a quoted identifier: `"name"` by default, embedded quotes doubled.
    fn write_identifier(&self, name: &str, out: &mut SqlWriter<'_>) {
        crate::render::write_quoted(name, '"', out);
    }

    /// Whether `INSERT/UPDATE/DELETE ... RETURNING` can hand rows back.
    fn supports_returning(&self) -> bool {
        false
    }
}
