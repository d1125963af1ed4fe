use crate::{Dialect, RenderError};

/// A dialect's entry in the process-wide registry, submitted with
/// `inventory::submit!` by the crate that implements it.
///
/// ```
/// use oxyde_sql::{Dialect, DialectRegistration};
///
/// struct Shouty;
/// impl Dialect for Shouty {
///     fn name(&self) -> &'static str { "shouty" }
/// }
/// inventory::submit! { DialectRegistration::new("shouty", &["shouty"], &Shouty) }
///
/// let found = oxyde_sql::dialect("shouty").unwrap();
/// assert_eq!(found.name(), "shouty");
/// ```
pub struct DialectRegistration {
    name: &'static str,
    url_schemes: &'static [&'static str],
    dialect: &'static dyn Dialect,
}

impl DialectRegistration {
    /// A registration under `name`, claiming the given URL schemes (without
    /// `://`). `name` should equal `dialect.name()`, which labels errors.
    pub const fn new(name: &'static str, url_schemes: &'static [&'static str], dialect: &'static dyn Dialect) -> Self {
        Self {
            name,
            url_schemes,
            dialect,
        }
    }
    /// Registry key, as [`dialect()`] looks it up.
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// URL schemes this dialect serves (`postgres`, `postgresql`, ...).
    pub fn url_schemes(&self) -> &'static [&'static str] {
        self.url_schemes
    }
    /// The registered implementation, ready for [`crate::render()`].
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }
}

inventory::collect!(DialectRegistration);

/// Every registered dialect, sorted by name: those of the crates linked into
/// the running binary (a crate nothing names is dropped by the linker).
pub fn registered_dialects() -> Vec<&'static DialectRegistration> {
    let mut all: Vec<_> = inventory::iter::<DialectRegistration>.into_iter().collect();
    all.sort_by_key(|r| r.name);
    all
}

/// The dialect registered under `name` (or one of its URL schemes).
///
/// An unknown name is [`RenderError::UnknownDialect`] listing the registered
/// names; two registrations claiming one name fail the same way, naming both.
pub fn dialect(name: &str) -> Result<&'static dyn Dialect, RenderError> {
    let all = registered_dialects();
    let mut found = all.iter().filter(|r| r.name == name || r.url_schemes.contains(&name));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one.dialect),
        (Some(a), Some(b)) => Err(RenderError::UnknownDialect {
            name: name.to_owned(),
            registered: format!("ambiguous: claimed by both {} and {}", a.name, b.name),
        }),
        (None, _) => Err(RenderError::UnknownDialect {
            name: name.to_owned(),
            registered: all.iter().map(|r| r.name).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// The dialect serving a connection URL, chosen by its scheme (the text
/// before the first `:`), as [`dialect()`] finds it.
pub fn dialect_for_url(url: &str) -> Result<&'static dyn Dialect, RenderError> {
    let scheme = url.split(':').next().unwrap_or_default();
    dialect(scheme)
}
