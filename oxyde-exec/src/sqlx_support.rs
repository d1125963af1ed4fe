//! What every sqlx-based driver does the same way: the fetch loop, the row
//! loop of result encoding, and the classification of sqlx errors. Each
//! dialect keeps only its quirks (vendor error codes, per-cell decoding).
use futures_util::TryStreamExt as _;
use oxyde_ir::ColumnType;
use sqlx::error::{DatabaseError, ErrorKind as DbKind};
use sqlx::{Column as _, Database, Either, TypeInfo as _, ValueRef as _};

use crate::{ErrorKind, ExecError, Plan, PoolSettings, ResultWriter};

mod hot;
pub use hot::{HotConnection, HotPool, HOT_FOR};

/// Runs `query` on `executor`, collecting its rows and the merged results
/// of its statements (rows affected, and the insert id where the driver
/// reports one).
///
/// # Errors
/// The driver's error, unclassified (see [`classify`]).
pub async fn fetch_rows<'e, 'q: 'e, DB, E, A>(
    executor: E,
    query: sqlx::query::Query<'q, DB, A>,
) -> Result<(Vec<DB::Row>, DB::QueryResult), sqlx::Error>
where
    DB: Database,
    E: sqlx::Executor<'e, Database = DB> + 'e,
    A: sqlx::IntoArguments<'q, DB> + 'q,
{
    let mut rows = Vec::new();
    let mut done = DB::QueryResult::default();
    let mut stream = executor.fetch_many(query);
    while let Some(item) = stream.try_next().await? {
        match item {
            Either::Left(result) => done.extend([result]),
            Either::Right(row) => rows.push(row),
        }
    }
    Ok((rows, done))
}

/// Writes `rows` into `out`: the column names once, then each cell through
/// `write_cell`, given what `prepare` worked out once per column.
///
/// # Errors
/// The first error of `write_cell`.
pub fn write_rows<R, C>(
    rows: &[R],
    out: &mut ResultWriter,
    prepare: impl Fn(&<R::Database as Database>::Column) -> C,
    write_cell: impl Fn(&R, usize, &C, &mut ResultWriter) -> Result<(), ExecError>,
) -> Result<(), ExecError>
where
    R: sqlx::Row,
{
    let Some(first) = rows.first() else {
        out.rows(0);
        return Ok(());
    };
    let columns = first.columns();
    out.columns(columns.iter().map(sqlx::Column::name));
    let prepared: Vec<C> = columns.iter().map(prepare).collect();
    out.rows(rows.len());
    for row in rows {
        out.begin_row(prepared.len());
        for (i, column) in prepared.iter().enumerate() {
            write_cell(row, i, column, out)?;
        }
    }
    Ok(())
}

/// [`write_rows`] for drivers that decode by the server's type name: NULL
/// cells are written here, every other cell by `write_cell` given the type
/// name and the op's type of its column; a decode failure names the column.
///
/// # Errors
/// The first cell that could not be decoded.
pub fn write_rows_by_type<R>(
    rows: &[R],
    plan: &Plan<'_>,
    out: &mut ResultWriter,
    database: &str,
    write_cell: impl Fn(&R, usize, &str, Option<&ColumnType>, &mut ResultWriter) -> Result<(), sqlx::Error>,
) -> Result<(), ExecError>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
{
    write_rows(
        rows,
        out,
        |c| {
            (
                c.name().to_owned(),
                c.type_info().name().to_owned(),
                plan.column_type(c.name()),
            )
        },
        |row, i, (name, db_ty, ty), out| {
            let cell = match row.try_get_raw(i) {
                Ok(raw) if raw.is_null() => {
                    out.nil();
                    Ok(())
                }
                Ok(_) => write_cell(row, i, db_ty, *ty, out),
                Err(e) => Err(e),
            };
            cell.map_err(|e| decode_error(database, name, db_ty, &e))
        },
    )
}

/// Pool options from the validated settings, the same for every driver.
pub fn pool_options<DB: Database>(settings: &PoolSettings) -> sqlx::pool::PoolOptions<DB> {
    sqlx::pool::PoolOptions::new()
        .max_connections(settings.effective_max_connections())
        .min_connections(settings.effective_min_connections())
        .acquire_timeout(settings.effective_acquire_timeout())
        .idle_timeout(Some(settings.effective_idle_timeout()))
        .max_lifetime(Some(settings.effective_max_lifetime()))
        .test_before_acquire(settings.effective_test_before_acquire())
}

/// Opens a pool after one direct connection attempt, so a server that refuses
/// or rejects us fails at once with its own error: the pool itself retries a
/// refused connect until `acquire_timeout` and then reports only a timeout.
pub async fn open_pool<DB: Database>(
    options: sqlx::pool::PoolOptions<DB>,
    connect: <DB::Connection as sqlx::Connection>::Options,
) -> Result<sqlx::Pool<DB>, sqlx::Error> {
    use sqlx::{ConnectOptions as _, Connection as _};
    // Past the acquire timeout the pool's own attempt reports what it saw.
    if let Ok(probe) = tokio::time::timeout(options.get_acquire_timeout(), connect.connect()).await {
        probe?.close().await?;
    }
    options.connect_with(connect).await
}

/// The kind sqlx gives a database error, or `None` when it says `Other`.
pub fn kind_of(db: &dyn DatabaseError) -> Option<ErrorKind> {
    match db.kind() {
        DbKind::UniqueViolation => Some(ErrorKind::UniqueViolation),
        DbKind::ForeignKeyViolation => Some(ErrorKind::ForeignKeyViolation),
        DbKind::NotNullViolation => Some(ErrorKind::NotNullViolation),
        DbKind::CheckViolation => Some(ErrorKind::CheckViolation),
        _ => None,
    }
}

/// Classifies a sqlx error of database `name`, keeping it as the source.
/// sqlx's own kind comes first; `vendor` classifies the database errors it
/// leaves as `Other` (by SQLSTATE, error number or result code).
pub fn classify(e: sqlx::Error, name: &str, vendor: impl Fn(&dyn DatabaseError) -> ErrorKind) -> ExecError {
    let (kind, message) = match &e {
        sqlx::Error::Database(db) => (
            kind_of(db.as_ref()).unwrap_or_else(|| vendor(db.as_ref())),
            format!("{name} error: {}", db.message()),
        ),
        sqlx::Error::PoolTimedOut => (
            ErrorKind::PoolTimeout,
            format!("{name} pool timed out waiting for a free connection"),
        ),
        sqlx::Error::PoolClosed => (ErrorKind::ConnectionLost, format!("{name} pool is closed")),
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            (ErrorKind::ConnectionLost, format!("{name} connection failed: {e}"))
        }
        sqlx::Error::Configuration(_) => (ErrorKind::Config, format!("invalid {name} configuration: {e}")),
        _ => (ErrorKind::Database, format!("{name} error: {e}")),
    };
    ExecError::with_source(kind, message, e)
}

/// A cell that could not be decoded, naming its column and type.
pub fn decode_error(database: &str, column: &str, ty: &str, e: &dyn std::fmt::Display) -> ExecError {
    ExecError::new(
        ErrorKind::Database,
        format!("cannot decode {database} column '{column}' of type {ty}: {e}"),
    )
}

/// A parameter the driver refused to encode.
pub fn bind_error(database: &str, e: &dyn std::fmt::Display) -> ExecError {
    ExecError::new(ErrorKind::InvalidIr, format!("cannot bind {database} parameter: {e}"))
}

/// Streams the rows of `query` to `sink` in encoded batches of at most
/// `batch` rows, each written by `write` (the dialect's row encoder); at
/// least one batch is sent, so an empty result still names its columns
/// where the driver knows them. Returns early, without error, once the
/// receiver is gone (dropping the row stream mid-result).
///
/// # Errors
/// The driver's error through `map_err`, or the first error of `write`.
pub async fn stream_rows<'e, 'q: 'e, DB, E, A>(
    executor: E,
    query: sqlx::query::Query<'q, DB, A>,
    batch: usize,
    sink: &crate::BatchSink,
    map_err: impl Fn(sqlx::Error) -> ExecError,
    write: impl Fn(&[DB::Row], &mut ResultWriter) -> Result<(), ExecError>,
) -> Result<(), ExecError>
where
    DB: Database,
    E: sqlx::Executor<'e, Database = DB> + 'e,
    A: sqlx::IntoArguments<'q, DB> + 'q,
{
    let mut stream = executor.fetch(query);
    let mut rows = Vec::with_capacity(batch);
    let mut sent = false;
    loop {
        let next = stream.try_next().await.map_err(&map_err)?;
        let end = next.is_none();
        rows.extend(next);
        if rows.len() >= batch || (end && !(sent && rows.is_empty())) {
            let mut out = ResultWriter::new(true);
            write(&rows, &mut out)?;
            rows.clear();
            sent = true;
            if sink.send(Ok(out.finish())).await.is_err() {
                return Ok(());
            }
        }
        if end {
            return Ok(());
        }
    }
}
