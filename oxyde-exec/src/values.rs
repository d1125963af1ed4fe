//! Value helpers every driver shares: JSON text read back as typed values,
//! and the checks that refuse a value a column would silently change.
use oxyde_ir::ColumnType;
use serde_json::Value as Json;

use crate::{temporal, ErrorKind, ExecError, ResultWriter};

/// Writes the JSON text stored in a column of type `ty`: an array column
/// kept as JSON (SQLite, MySQL) comes back as an array whose items are typed
/// by the item type (dates as dates, decimals as decimals, ...); anything
/// else, or text that is not a JSON array, is handed back as a JSON document
/// (or as text, when it is not JSON at all).
///
/// ```
/// use oxyde_ir::ColumnType;
/// let mut out = oxyde_exec::ResultWriter::new(true);
/// let ty = ColumnType::Array { item: Box::new(ColumnType::Date) };
/// oxyde_exec::write_json_column(r#"["2024-02-29",null]"#, &ty, &mut out);
/// ```
pub fn write_json_column(text: &str, ty: &ColumnType, out: &mut ResultWriter) {
    let ColumnType::Array { item } = ty else {
        // Text that is not JSON (SQLite does not check) comes back as text.
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
            out.json(text);
        } else {
            out.str(text);
        }
        return;
    };
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Array(items)) => {
            out.array(items.len());
            for v in &items {
                write_item(v, item, out);
            }
        }
        _ => out.json(text),
    }
}

/// One array item, typed by `ty` when it has the form `value_to_json` gives
/// that type; any other item is written as the plain JSON value it is.
fn write_item(v: &Json, ty: &ColumnType, out: &mut ResultWriter) {
    let done = match (v, ty) {
        (Json::Null, _) => {
            out.nil();
            true
        }
        (Json::Bool(b), ColumnType::Boolean) => {
            out.bool(*b);
            true
        }
        (Json::Number(n), ColumnType::Boolean) => n.as_i64().is_some_and(|i| {
            out.bool(i != 0);
            true
        }),
        (Json::Number(n), ColumnType::Timedelta) => n.as_i64().is_some_and(|us| {
            out.duration_micros(us);
            true
        }),
        (Json::Number(n), ColumnType::Double) => n.as_f64().is_some_and(|f| {
            out.float(f);
            true
        }),
        (Json::Number(n), ColumnType::Decimal { .. }) => {
            out.decimal(&n.to_string());
            true
        }
        (Json::String(s), t) => write_text_item(s, t, out),
        (_, ColumnType::Json | ColumnType::JsonBinary) => {
            out.json(&v.to_string());
            true
        }
        _ => false,
    };
    if !done {
        write_plain(v, out);
    }
}

fn write_text_item(s: &str, ty: &ColumnType, out: &mut ResultWriter) -> bool {
    match ty {
        ColumnType::Decimal { .. } => out.decimal(s),
        ColumnType::Uuid => match uuid_bytes(s) {
            Some(b) => out.uuid(&b),
            None => return false,
        },
        ColumnType::Date => match temporal::parse_date(s) {
            Ok(d) => out.date(d),
            Err(_) => return false,
        },
        ColumnType::Time => match temporal::parse_time(s) {
            Ok(t) => out.time(t),
            Err(_) => return false,
        },
        ColumnType::DateTime => match temporal::parse_naive_or_utc(s) {
            Ok(dt) => out.datetime(dt),
            Err(_) => return false,
        },
        ColumnType::DateTimeUtc => match temporal::parse_aware_or_utc(s) {
            Ok(dt) => out.datetime_tz(dt),
            Err(_) => return false,
        },
        ColumnType::Json | ColumnType::JsonBinary => out.json(&Json::String(s.to_owned()).to_string()),
        _ => out.str(s),
    }
    true
}

/// A JSON value as the nearest plain MessagePack value; objects stay JSON
/// documents, since a map is never a value.
fn write_plain(v: &Json, out: &mut ResultWriter) {
    match v {
        Json::Null => out.nil(),
        Json::Bool(b) => out.bool(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.int(i);
            } else if let Some(u) = n.as_u64() {
                out.uint(u);
            } else {
                out.float(n.as_f64().unwrap_or(f64::NAN));
            }
        }
        Json::String(s) => out.str(s),
        Json::Array(items) => {
            out.array(items.len());
            for item in items {
                write_plain(item, out);
            }
        }
        Json::Object(_) => out.json(&v.to_string()),
    }
}

/// The 16 bytes of a UUID written in hex, hyphens optional, any case.
pub fn uuid_bytes(text: &str) -> Option<[u8; 16]> {
    let hex: Vec<u8> = text.trim().bytes().filter(|b| *b != b'-').collect();
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// Refuses a decimal a `DECIMAL(precision, scale)` column would round or
/// overflow: the databases round extra fraction digits without a word
/// (PostgreSQL, MySQL), so the check is made before the value is sent.
/// `NaN` and infinities pass; the database decides about them.
///
/// ```
/// use oxyde_exec::check_decimal_fits;
/// assert!(check_decimal_fits("12.340", 4, 2).is_ok());
/// assert!(check_decimal_fits("12.345", 4, 2).is_err());
/// assert!(check_decimal_fits("123.4", 4, 2).is_err());
/// assert!(check_decimal_fits("-0.5E+2", 2, 0).is_ok());
/// ```
pub fn check_decimal_fits(text: &str, precision: u32, scale: u32) -> Result<(), ExecError> {
    let Some((int_digits, frac_digits)) = decimal_digits(text) else {
        return Ok(());
    };
    let why = if frac_digits > u64::from(scale) {
        format!("it has {frac_digits} digits after the point and the column keeps {scale}, so it would be rounded")
    } else if int_digits > u64::from(precision.saturating_sub(scale)) {
        format!(
            "it has {int_digits} digits before the point and the column allows {}",
            precision.saturating_sub(scale)
        )
    } else {
        return Ok(());
    };
    Err(ExecError::new(
        ErrorKind::Data,
        format!("decimal value {text} does not fit DECIMAL({precision},{scale}): {why}"),
    ))
}

/// Significant digits before and after the point of a decimal's text
/// (`-012.3400E1` → 3 and 1), or `None` when it is not a finite decimal.
fn decimal_digits(text: &str) -> Option<(u64, u64)> {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().ok()?),
        None => (t, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    // Position of the point counted from the left of `digits`.
    let point = i64::try_from(int_part.len()).ok()?.checked_add(exp)?;
    let first = digits.iter().position(|b| *b != b'0');
    let last = digits.iter().rposition(|b| *b != b'0');
    let (Some(first), Some(last)) = (first, last) else {
        return Some((0, 0)); // zero
    };
    let first = i64::try_from(first).ok()?;
    let last = i64::try_from(last).ok()?;
    let int_digits = (point - first).max(0);
    let frac_digits = (last + 1 - point).max(0);
    Some((u64::try_from(int_digits).ok()?, u64::try_from(frac_digits).ok()?))
}

/// Refuses a float the database would not keep: `what` names the database
/// in the message (e.g. NaN, which SQLite stores as NULL).
pub fn refuse_float(value: f64, database: &str, why: &str) -> ExecError {
    ExecError::new(
        ErrorKind::Data,
        format!("cannot store float {value} on {database}: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits_count_significant_places() {
        assert_eq!(decimal_digits("0"), Some((0, 0)));
        assert_eq!(decimal_digits("0.0000000000"), Some((0, 0)));
        assert_eq!(decimal_digits("-012.3400"), Some((2, 2)));
        assert_eq!(decimal_digits("1E+3"), Some((4, 0)));
        assert_eq!(decimal_digits("1.5E-3"), Some((0, 4)));
        assert_eq!(decimal_digits("NaN"), None);
        assert_eq!(decimal_digits("."), None);
    }

    #[test]
    fn json_arrays_come_back_typed() {
        let mut out = ResultWriter::new(true);
        out.rows(1);
        out.begin_row(1);
        let ty = ColumnType::Array {
            item: Box::new(ColumnType::Uuid),
        };
        write_json_column(r#"["00000000-0000-0000-0000-000000000001",null]"#, &ty, &mut out);
        let bytes = out.finish();
        // fixext 16 with the UUID code, then nil
        let uuid_at = bytes.iter().position(|b| *b == 0xd8).unwrap();
        assert_eq!(bytes[uuid_at + 1], 2);
        assert_eq!(*bytes.last().unwrap(), 0xc0);
    }
}
