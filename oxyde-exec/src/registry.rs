//! The process-wide driver registry, filled by `inventory::submit!`.
use crate::{Driver, ErrorKind, ExecError};

/// A driver's entry in the registry, submitted by the crate implementing it.
///
/// ```no_run
/// use oxyde_exec::{Driver, DriverRegistration, ExecError, Pool, PoolSettings};
///
/// struct NullDriver;
/// #[async_trait::async_trait]
/// impl Driver for NullDriver {
///     fn dialect_name(&self) -> &'static str { "null" }
///     async fn open(&self, _url: &str, _s: &PoolSettings) -> Result<Box<dyn Pool>, ExecError> {
///         Err(ExecError::new(oxyde_exec::ErrorKind::Unsupported, "null driver opens nothing"))
///     }
/// }
/// inventory::submit! { DriverRegistration::new("null", &["null"], &NullDriver) }
///
/// assert_eq!(oxyde_exec::driver_for_url("null://x").unwrap().dialect_name(), "null");
/// ```
pub struct DriverRegistration {
    name: &'static str,
    url_schemes: &'static [&'static str],
    driver: &'static dyn Driver,
}

impl DriverRegistration {
    /// A registration under `name`, claiming the given URL schemes.
    pub const fn new(name: &'static str, url_schemes: &'static [&'static str], driver: &'static dyn Driver) -> Self {
        Self {
            name,
            url_schemes,
            driver,
        }
    }
    /// Registry key.
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// URL schemes served, lowercase and without `:`.
    pub fn url_schemes(&self) -> &'static [&'static str] {
        self.url_schemes
    }
    /// The registered implementation, which [`crate::init_pool`] opens.
    pub fn driver(&self) -> &'static dyn Driver {
        self.driver
    }
}

inventory::collect!(DriverRegistration);

/// Every registered driver, sorted by name: those of the crates linked into
/// the running binary (a crate nothing names is dropped by the linker).
pub fn registered_drivers() -> Vec<&'static DriverRegistration> {
    let mut all: Vec<_> = inventory::iter::<DriverRegistration>.into_iter().collect();
    all.sort_by_key(|r| r.name);
    all
}

/// The driver serving `url`, chosen by its scheme (the text before `:`,
/// compared in lowercase).
///
/// An unknown scheme, or one two drivers claim, is [`ErrorKind::Config`]
/// naming the registered schemes or both drivers.
pub fn driver_for_url(url: &str) -> Result<&'static dyn Driver, ExecError> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let all = registered_drivers();
    let mut found = all.iter().filter(|r| r.url_schemes.contains(&scheme.as_str()));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one.driver),
        (Some(a), Some(b)) => Err(ExecError::new(
            ErrorKind::Config,
            format!(
                "url scheme \"{scheme}\" is claimed by both drivers {} and {}",
                a.name, b.name
            ),
        )),
        (None, _) => {
            let mut schemes: Vec<&str> = all.iter().flat_map(|r| r.url_schemes.iter().copied()).collect();
            schemes.sort_unstable();
            Err(ExecError::new(
                ErrorKind::Config,
                format!(
                    "unknown database url scheme \"{scheme}\"; registered: {}",
                    schemes.join(", ")
                ),
            ))
        }
    }
}
