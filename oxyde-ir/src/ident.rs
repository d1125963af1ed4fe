use crate::IrError;

/// Checks a table, column or alias name before it is quoted into SQL.
///
/// Names are always quoted by the renderer (embedded quote characters are
/// doubled), so almost anything is safe; what is refused is what no database
/// accepts: the empty name, NUL, and names longer than 255 bytes.
///
/// ```
/// assert!(oxyde_ir::check_identifier("user name").is_ok());
/// assert!(oxyde_ir::check_identifier("bad\0name").is_err());
/// ```
pub fn check_identifier(name: &str) -> Result<(), IrError> {
    if name.is_empty() {
        return Err(IrError::Invalid("empty identifier".into()));
    }
    if name.len() > 255 {
        return Err(IrError::Invalid(format!(
            "identifier longer than 255 bytes: '{}…'",
            &name[..name.floor_char_boundary_compat(32)]
        )));
    }
    if name.contains('\0') {
        return Err(IrError::Invalid("identifier contains a NUL character".into()));
    }
    Ok(())
}

/// Checks a SQL function name, which is written unquoted.
pub(crate) fn check_function_name(name: &str) -> Result<(), IrError> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64;
    if ok {
        Ok(())
    } else {
        Err(IrError::unknown("function name", name))
    }
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, index: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, index: usize) -> usize {
        let mut i = index.min(self.len());
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
