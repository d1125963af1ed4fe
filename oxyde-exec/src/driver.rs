//! The traits a database driver implements.
use std::sync::Arc;

use async_trait::async_trait;
use oxyde_ir::{ColumnType, ColumnTypes, Expr, Op, Returning, SelectShape};
use oxyde_sql::Statement;

use crate::{BatchSink, ExecError, PoolSettings, PoolStats, ResultWriter};

/// Opens pools for the URL schemes it is registered under.
#[async_trait]
pub trait Driver: Send + Sync + 'static {
    /// The dialect this driver speaks, as registered with `oxyde-sql`.
    fn dialect_name(&self) -> &'static str;
    /// Opens a pool for `url`; the settings are already validated.
    async fn open(&self, url: &str, settings: &PoolSettings) -> Result<Box<dyn Pool>, ExecError>;
}

/// A pool of connections to one database.
#[async_trait]
pub trait Pool: Send + Sync {
    /// Takes a connection, waiting at most the acquire timeout.
    async fn acquire(&self) -> Result<Box<dyn Connection>, ExecError>;
    /// Closes every connection; later acquires fail.
    async fn close(&self);
    /// Its connection counts right now (see [`PoolStats::connections`]).
    fn stats(&self) -> PoolStats;
}

/// One connection taken from a pool; dropping it returns it to the pool.
#[async_trait]
pub trait Connection: Send {
    /// Runs `stmt`, writing columns and rows (and the affected count and
    /// insert id) into `out`.
    async fn run(&mut self, stmt: &Statement, plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError>;
    /// Runs a select, sending its rows to `sink` in encoded batches of at
    /// most `batch` rows (each `[columns, rows]`, like a select result); stops
    /// early, without error, once the receiver is gone. The default runs the
    /// statement whole and sends one batch; drivers that can read rows
    /// incrementally override it.
    async fn stream(
        &mut self,
        stmt: &Statement,
        plan: &Plan<'_>,
        batch: usize,
        sink: &BatchSink,
    ) -> Result<(), ExecError> {
        let _ = batch;
        let mut out = ResultWriter::new(true);
        self.run(stmt, plan, &mut out).await?;
        let _ = sink.send(Ok(out.finish())).await;
        Ok(())
    }
    /// Runs a statement without parameters or rows (`BEGIN`, `SAVEPOINT x`).
    async fn run_plain(&mut self, sql: &str) -> Result<(), ExecError>;
    /// Makes the drop close the connection instead of pooling it, for a
    /// connection whose session state is unknown (e.g. mid-transaction).
    fn close_on_drop(&mut self);
    /// Whether the connection stays usable when a statement's future is
    /// dropped before it finished (a cancelled task), because the driver
    /// completes or discards that statement itself. The default, `false`,
    /// has such a connection closed rather than pooled, and its transaction
    /// rolled back by the close; only a driver that knows better overrides it.
    fn survives_cancellation(&self) -> bool {
        false
    }
    /// Called after a statement failed: the connection may be broken (a
    /// restarted server), so a pool that skips its check on release should
    /// check this one. Nothing by default (a sqlx pool checks every one).
    fn check_before_reuse(&mut self) {}
}

/// What the op tells a driver beyond the SQL: column types for decoding and,
/// from the renderer, the column type each parameter targets.
#[derive(Debug)]
pub struct Plan<'a> {
    column_types: Option<&'a ColumnTypes>,
    param_types: &'a [Option<Arc<ColumnType>>],
    reports_insert_id: bool,
    open_result_columns: bool,
    stored_params: usize,
}

impl<'a> Plan<'a> {
    /// Derives the plan of `op` rendered as `stmt`.
    pub fn new(op: &'a Op, stmt: &'a Statement) -> Self {
        let mut plan = Plan {
            column_types: None,
            param_types: &stmt.param_types,
            reports_insert_id: false,
            open_result_columns: false,
            stored_params: 0,
        };
        match op {
            Op::Select(s) => {
                plan.column_types = Some(&s.column_types);
                // A count or an existence test answers one fixed column, whatever it selects.
                plan.open_result_columns =
                    s.shape == SelectShape::Rows && s.columns.is_empty() && s.annotations.is_empty();
            }
            Op::Insert(i) => {
                plan.column_types = Some(&i.column_types);
                plan.reports_insert_id = true;
                plan.open_result_columns = i.returning == Returning::All;
                // Every parameter of an insert is a cell.
                plan.stored_params = usize::MAX;
            }
            Op::Update(u) => {
                plan.column_types = Some(&u.column_types);
                plan.open_result_columns = u.returning == Returning::All;
                // SET values are bound first, in order; the leading plain ones
                // are one parameter each (an expression may bind comparisons).
                plan.stored_params = u.set.iter().take_while(|(_, e)| matches!(e, Expr::Value(_))).count();
            }
            Op::Delete(d) => {
                plan.column_types = Some(&d.column_types);
                plan.open_result_columns = d.returning == Returning::All;
            }
            Op::Raw(r) => {
                plan.open_result_columns = true;
                plan.reports_insert_id = r
                    .sql
                    .trim_start()
                    .get(..6)
                    .is_some_and(|w| w.eq_ignore_ascii_case("insert"));
            }
            _ => {}
        }
        plan
    }

    /// A plan knowing nothing: decode by the driver's types.
    pub fn empty() -> Self {
        Plan {
            column_types: None,
            param_types: &[],
            reports_insert_id: false,
            open_result_columns: false,
            stored_params: 0,
        }
    }

    /// The declared type of result column `name`, if the op names it.
    pub fn column_type(&self, name: &str) -> Option<&'a ColumnType> {
        self.column_types
            .and_then(|t| t.get(name))
            .filter(|t| !matches!(t, ColumnType::Unknown))
    }

    /// The column type parameter `index` (0-based) is stored in or compared
    /// with, as the renderer recorded it ([`Statement::param_types`]).
    pub fn param_type(&self, index: usize) -> Option<&'a ColumnType> {
        self.param_types
            .get(index)
            .and_then(Option::as_deref)
            .filter(|t| !matches!(t, ColumnType::Unknown))
    }

    /// Whether parameter `index` is a value being stored in its column (an
    /// insert cell, a plain `SET` value) rather than compared with it, so a
    /// driver may refuse a value the column would silently change.
    pub fn is_stored(&self, index: usize) -> bool {
        index < self.stored_params
    }

    /// Whether the result columns follow the current schema rather than the
    /// SQL text (`SELECT *`, `RETURNING *`, raw SQL): a driver that caches
    /// column lists must make sure it sees the latest schema first.
    pub fn has_open_result_columns(&self) -> bool {
        self.open_result_columns
    }

    /// Whether the statement is an insert, so a generated id is meaningful.
    pub fn reports_insert_id(&self) -> bool {
        self.reports_insert_id
    }
}
