//! Renumbering `$n` placeholders of a raw fragment placed after other
//! parameters.
use crate::RenderError;

/// Rewrites `$1..$k` in `sql` to `$(1+shift)..$(k+shift)`, where `k` is
/// `param_count`, the fragment's own parameters.
///
/// A fragment is written as if it stood alone; once spliced after `shift`
/// already bound values its numbers must move. Placeholders inside string
/// literals (`'...'`, `E'...'`), quoted identifiers, dollar-quoted strings
/// and comments are left alone, as is `$` inside an identifier (`a$1`). A
/// number outside `1..=param_count` is an error: it would silently bind a
/// value that belongs to someone else.
///
/// ```
/// use oxyde_sql::render::shift_dollar_placeholders;
///
/// let sql = shift_dollar_placeholders("price * $1 + '$1' + $2", 3, 2).unwrap();
/// assert_eq!(sql, "price * $4 + '$1' + $5");
/// assert!(shift_dollar_placeholders("$3", 0, 2).is_err());
/// ```
pub fn shift_dollar_placeholders(sql: &str, shift: usize, param_count: usize) -> Result<String, RenderError> {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut copied = 0; // bytes of `sql` already copied to `out`
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let backslashes = i > 0 && matches!(b[i - 1], b'E' | b'e') && !(i > 1 && is_ident_byte(b[i - 2]));
                i = skip_quoted(b, i, b'\'', backslashes);
            }
            b'"' => i = skip_quoted(b, i, b'"', false),
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p + 1);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'$' if i > 0 && is_ident_byte(b[i - 1]) => i += 1,
            b'$' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let end = b[i + 1..]
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .map_or(b.len(), |p| i + 1 + p);
                let n: usize = sql[i + 1..end].parse().unwrap_or(usize::MAX);
                if n == 0 || n > param_count {
                    return Err(RenderError::RawPlaceholders(format!(
                        "placeholder ${} does not match its {param_count} parameter(s)",
                        &sql[i + 1..end]
                    )));
                }
                out.push_str(&sql[copied..i]);
                out.push('$');
                out.push_str(&(n + shift).to_string());
                copied = end;
                i = end;
            }
            b'$' => i = skip_dollar_quoted(sql, i),
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied..]);
    Ok(out)
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Index after the literal opened at `start`; a doubled quote stays inside.
fn skip_quoted(b: &[u8], start: usize, quote: u8, backslashes: bool) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if backslashes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Index after a (possibly nested, as PostgreSQL allows) block comment.
fn skip_block_comment(b: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// Index after `$tag$ ... $tag$` opened at `start`; a lone `$` is skipped.
fn skip_dollar_quoted(sql: &str, start: usize) -> usize {
    let b = sql.as_bytes();
    let tag_len = b[start + 1..]
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'));
    let Some(tag_len) = tag_len else { return start + 1 };
    let close = start + 1 + tag_len;
    if b[close] != b'$' || b.get(start + 1).is_some_and(u8::is_ascii_digit) {
        return start + 1;
    }
    let tag = &sql[start..=close];
    sql[close + 1..]
        .find(tag)
        .map_or(b.len(), |p| close + 1 + p + tag.len())
}
