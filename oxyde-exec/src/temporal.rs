//! ISO 8601 text ⇄ chrono, shared by every driver: the IR carries temporal
//! values as text, and results go back as text Python's `fromisoformat` reads.
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use crate::{ErrorKind, ExecError};

fn bad(what: &str, text: &str) -> ExecError {
    ExecError::new(ErrorKind::InvalidIr, format!("invalid {what} value '{text}'"))
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, ExecError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| bad("date", text))
}

/// Parses `HH:MM[:SS[.ffffff]]`.
pub fn parse_time(text: &str) -> Result<NaiveTime, ExecError> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
        .map_err(|_| bad("time", text))
}

/// Parses a naive timestamp, `T` or space between date and time.
pub fn parse_datetime(text: &str) -> Result<NaiveDateTime, ExecError> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
        .or_else(|_| parse_date(t).map(|d| d.and_time(NaiveTime::MIN)))
        .map_err(|_| bad("datetime", text))
}

/// Parses a timestamp with offset (`+HH:MM`, `+HHMM`, `+HH` or `Z`).
pub fn parse_datetime_tz(text: &str) -> Result<DateTime<FixedOffset>, ExecError> {
    let t = text.trim();
    DateTime::parse_from_rfc3339(t)
        .or_else(|_| DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%:z"))
        .or_else(|_| DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .or_else(|_| DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%z"))
        .or_else(|_| DateTime::parse_from_str(&format!("{t}:00"), "%Y-%m-%dT%H:%M:%S%.f%:z"))
        .or_else(|_| DateTime::parse_from_str(&format!("{t}:00"), "%Y-%m-%d %H:%M:%S%.f%:z"))
        .map_err(|_| bad("aware datetime", text))
}

/// Parses a timestamp for a naive column: an aware one is converted to UTC
/// and its offset dropped (`spec/types.md` §5).
pub fn parse_naive_or_utc(text: &str) -> Result<NaiveDateTime, ExecError> {
    parse_datetime(text).or_else(|_| parse_datetime_tz(text).map(|dt| dt.naive_utc()))
}

/// Parses a timestamp for an aware column: a naive one is taken as UTC.
pub fn parse_aware_or_utc(text: &str) -> Result<DateTime<FixedOffset>, ExecError> {
    parse_datetime_tz(text).or_else(|_| parse_datetime(text).map(|dt| dt.and_utc().fixed_offset()))
}

/// Formats as Python's `date.isoformat()`.
pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Formats as Python's `time.isoformat()` (microseconds always present).
pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M:%S%.6f").to_string()
}

/// Formats as Python's naive `datetime.isoformat()`.
pub fn format_datetime(dt: NaiveDateTime) -> String {
    dt.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// Formats as Python's aware `datetime.isoformat()`.
pub fn format_datetime_tz(dt: DateTime<FixedOffset>) -> String {
    dt.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_python_isoformat_spellings() {
        assert_eq!(
            format_datetime(parse_datetime("2024-02-29T13:14:15.5").unwrap()),
            "2024-02-29T13:14:15.500000"
        );
        assert_eq!(
            format_datetime(parse_datetime("2024-02-29 13:14:15").unwrap()),
            "2024-02-29T13:14:15.000000"
        );
        let tz = parse_datetime_tz("2024-02-29T13:14:15.000001+05:30").unwrap();
        assert_eq!(format_datetime_tz(tz), "2024-02-29T13:14:15.000001+05:30");
        assert_eq!(
            format_datetime_tz(parse_datetime_tz("2024-02-29 13:14:15+00").unwrap()),
            "2024-02-29T13:14:15.000000+00:00"
        );
        assert_eq!(format_time(parse_time("07:08:09.123").unwrap()), "07:08:09.123000");
        assert!(parse_date("2024-13-01").is_err());
    }
}
