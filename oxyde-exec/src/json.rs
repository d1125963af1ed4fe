//! Values as JSON text, for arrays on databases without an array type.
use std::fmt::Write as _;

use oxyde_ir::Value;

/// The JSON text of `value`: temporal values, decimals and UUIDs become
/// strings, bytes an array of numbers, JSON documents are embedded as-is.
///
/// ```
/// use oxyde_ir::Value;
/// let v = Value::Array(vec![Value::Int(1), Value::Text("a\"b".into()), Value::Null]);
/// assert_eq!(oxyde_exec::value_to_json(&v), r#"[1,"a\"b",null]"#);
/// ```
pub fn value_to_json(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f:?}");
        }
        // JSON has no NaN or infinity.
        Value::Null | Value::Float(_) => out.push_str("null"),
        Value::Duration(us) => {
            let _ = write!(out, "{us}");
        }
        Value::Text(s)
        | Value::Decimal(s)
        | Value::Date(s)
        | Value::Time(s)
        | Value::DateTime(s)
        | Value::DateTimeTz(s) => {
            string(s, out);
        }
        Value::Uuid(b) => string(&uuid_text(b), out),
        Value::Json(s) => out.push_str(s),
        Value::Bytes(b) => {
            out.push('[');
            for (n, byte) in b.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{byte}");
            }
            out.push(']');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
    }
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The hyphenated lower-case text of a UUID.
pub fn uuid_text(b: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (n, byte) in b.iter().enumerate() {
        if matches!(n, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}
