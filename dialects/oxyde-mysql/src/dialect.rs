use crate::ddl;
use oxyde_ir::migration::{FieldDef, TableDef};
use oxyde_ir::{ColumnDef, ColumnType, Expr, IrError, Lock};
use oxyde_sql::render::DdlWriter;
use oxyde_sql::render::{write_concat_with, write_quoted, write_standard_limit_offset, ConcatSpelling};
use oxyde_sql::{Dialect, RenderError, SqlWriter, TableRef};

/// How MySQL 8 and MariaDB spell SQL: backtick identifiers, `?`
/// placeholders, no `RETURNING` (MySQL 8 lacks it), `CONCAT()`, `RAND()`.
///
/// ```
/// use oxyde_ir::{Op, OrderTerm, Select};
/// use oxyde_mysql::MySqlDialect;
///
/// let op = Op::Select(Select {
///     table: "users".into(),
///     order_by: vec![OrderTerm::Random],
///     offset: Some(5),
///     ..Select::default()
/// });
/// let stmt = oxyde_sql::render(&op, &MySqlDialect).unwrap();
/// assert_eq!(stmt.sql, "SELECT * FROM `users` ORDER BY RAND() LIMIT 18446744073709551615 OFFSET ?");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlDialect;

impl Dialect for MySqlDialect {
    fn name(&self) -> &'static str {
        "mysql"
    }

    /// MySQL limits names to 64 characters and refuses a table or column
    /// name ending with a space, but trims such an alias without a word
    /// (<https://dev.mysql.com/doc/refman/8.0/en/identifiers.html>).
    fn check_identifier(&self, name: &str) -> Result<(), RenderError> {
        let problem = if name.chars().count() > 64 {
            "is longer than 64 characters"
        } else if name.ends_with(' ') {
            "ends with a space"
        } else {
            return Ok(());
        };
        let head: String = name.chars().take(32).collect();
        Err(IrError::Invalid(format!("identifier '{head}' {problem}, which MySQL does not keep")).into())
    }

    /// Prepared statements count placeholders in 16 bits
    /// (<https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html>).
    fn max_bind_params(&self) -> usize {
        65_535
    }

    /// Double quotes are string literals unless `ANSI_QUOTES` is set.
    fn write_identifier(&self, name: &str, out: &mut SqlWriter<'_>) {
        write_quoted(name, '`', out);
    }

    /// `OFFSET` needs a `LIMIT`; the manual's answer is the largest unsigned
    /// 64-bit number (<https://dev.mysql.com/doc/refman/8.0/en/select.html>).
    fn write_limit_offset(
        &self,
        limit: Option<u64>,
        offset: Option<u64>,
        out: &mut SqlWriter<'_>,
    ) -> Result<(), RenderError> {
        if limit.is_none() && offset.is_some() {
            out.push_str(" LIMIT 18446744073709551615");
        }
        write_standard_limit_offset(limit, offset, out)
    }

    /// MariaDB has no `FOR SHARE`; `LOCK IN SHARE MODE` works on both.
    fn write_lock(&self, lock: Lock, out: &mut SqlWriter<'_>) {
        out.push_str(match lock {
            Lock::Update => " FOR UPDATE",
            Lock::Share => " LOCK IN SHARE MODE",
        });
    }

    /// MariaDB has no `FOR UPDATE OF t` and locks the rows it reads in every
    /// table, outer-joined ones included, so the plain clause serves.
    fn write_lock_of_table(&self, lock: Lock, _table: &str, out: &mut SqlWriter<'_>) {
        self.write_lock(lock, out);
    }

    fn write_random(&self, out: &mut SqlWriter<'_>) {
        out.push_str("RAND()");
    }

    /// `||` is logical OR here, and `CONCAT` is NULL if any argument is.
    fn write_concat(&self, args: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        let spelling = ConcatSpelling {
            open: "CONCAT(",
            separator: ", ",
            ..ConcatSpelling::STANDARD
        };
        write_concat_with(&spelling, args, out)
    }

    /// `LENGTH` counts bytes here.
    fn char_length_function(&self) -> &'static str {
        "CHAR_LENGTH"
    }

    /// `INSERT INTO t () VALUES (), ()` takes any number of default rows.
    fn write_insert_default_values(&self, rows: usize, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str(" () VALUES ");
        for i in 0..rows {
            out.push_str(if i > 0 { ", ()" } else { "()" });
        }
        Ok(())
    }

    fn write_column_type(&self, ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        crate::types::write_column_type(ty, out)
    }

    fn write_db_type(&self, db_type: &str, out: &mut SqlWriter<'_>) {
        out.push_str(crate::types::translate_db_type(db_type));
    }

    fn write_auto_increment_primary_key(&self, col: &ColumnDef, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        match &col.db_type {
            Some(t) => self.write_db_type(t, out),
            None => out.push_str("BIGINT"),
        }
        out.push_str(" PRIMARY KEY AUTO_INCREMENT");
        Ok(())
    }

    // ---- migrations ---------------------------------------------------------

    /// MySQL and MariaDB parse no `WHERE` on `CREATE INDEX`.
    fn supports_partial_indexes(&self) -> bool {
        false
    }

    fn write_rename_table(&self, old: TableRef<'_>, new: &str, out: &mut SqlWriter<'_>) {
        out.push_str("RENAME TABLE ");
        out.push_table(old);
        out.push_str(" TO ");
        out.push_table(TableRef::new(old.schema, new));
    }

    /// A schema is a database here: the table moves by `RENAME TABLE`.
    fn write_set_table_schema(&self, table: &str, from: Option<&str>, to: Option<&str>, out: &mut SqlWriter<'_>) {
        out.push_str("RENAME TABLE ");
        out.push_table(TableRef::new(from, table));
        out.push_str(" TO ");
        out.push_table(TableRef::new(to, table));
    }

    fn write_drop_index(&self, table: TableRef<'_>, name: &str, out: &mut SqlWriter<'_>) {
        out.push_str("DROP INDEX ");
        out.push_identifier(name);
        out.push_str(" ON ");
        out.push_table(table);
    }

    fn write_drop_foreign_key(&self, table: TableRef<'_>, name: &str, out: &mut SqlWriter<'_>) {
        oxyde_sql::render::alter_table(table, out);
        out.push_str(" DROP FOREIGN KEY ");
        out.push_identifier(name);
    }

    fn supports_column_comments(&self) -> bool {
        true
    }

    fn write_inline_column_comment(&self, comment: &str, out: &mut SqlWriter<'_>) {
        out.push_str(" COMMENT ");
        ddl::write_text_literal(comment, out);
    }

    fn write_alter_column(
        &self,
        table: &TableDef,
        from: &FieldDef,
        to: &FieldDef,
        out: &mut DdlWriter<'_>,
    ) -> Result<(), RenderError> {
        ddl::modify_column(table, from, to, out)
    }

    fn add_enum_value_statements(
        &self,
        _name: &str,
        _value: &str,
        columns: &[(&TableDef, &FieldDef, &FieldDef)],
    ) -> Result<Vec<String>, RenderError> {
        let mut out = DdlWriter::new(self);
        for (table, from, to) in columns {
            ddl::modify_column(table, from, to, &mut out)?;
        }
        Ok(out.statements)
    }
}
