//! The shared matrix: one test per database, against real servers.
#![allow(dead_code, unreachable_pub, clippy::missing_panics_doc, clippy::match_same_arms)]

use std::future::Future;

use oxyde_exec::{ErrorKind, ExecError, PoolSettings};
use oxyde_ir::Value;
// Linked for their registrations alone.
use oxyde_mysql as _;
use oxyde_postgres as _;
use oxyde_sqlite as _;

/// Stamps `name::{sqlite, postgres, mysql}` from one async body taking a `Db`.
#[macro_export]
macro_rules! dialect_matrix {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                common::run(common::Kind::Sqlite, stringify!($name), $body).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                common::run(common::Kind::Postgres, stringify!($name), $body).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                common::run(common::Kind::Mysql, stringify!($name), $body).await;
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    Mysql,
}

impl Kind {
    pub fn url(self) -> String {
        match self {
            Kind::Sqlite => "sqlite::memory:".to_owned(),
            Kind::Postgres => std::env::var("OXYDE_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned()),
            Kind::Mysql => {
                std::env::var("OXYDE_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
            }
        }
    }
    pub fn env_var(self) -> &'static str {
        match self {
            Kind::Sqlite => "(none: sqlite is in memory)",
            Kind::Postgres => "OXYDE_TEST_POSTGRES_URL",
            Kind::Mysql => "OXYDE_TEST_MYSQL_URL",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
            Kind::Mysql => "mysql",
        }
    }
}

/// Opens a pool, failing (never skipping) with the variable to set.
pub async fn open(kind: Kind, pool: &str, settings: PoolSettings) {
    if let Err(e) = oxyde_exec::init_pool(pool, &kind.url(), settings, true).await {
        panic!(
            "cannot reach the {} test server at {} ({e}); set {} to a reachable URL",
            kind.name(),
            kind.url(),
            kind.env_var()
        );
    }
}

/// Runs `body` on a fresh pool named after the test, then drops its tables.
pub async fn run<F, Fut>(kind: Kind, test: &str, body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = Result<(), ExecError>>,
{
    let pool = format!("{test}_{}", kind.name());
    open(kind, &pool, PoolSettings::default()).await;
    let db = Db {
        kind,
        pool: pool.clone(),
        suffix: test.to_owned(),
    };
    let result = body(db.clone()).await;
    oxyde_exec::close_pool(&pool).await.unwrap();
    if let Err(e) = result {
        panic!("{test} on {}: {e:?} ({:?})", kind.name(), e.kind());
    }
}

/// One test's view of one database.
#[derive(Debug, Clone)]
pub struct Db {
    pub kind: Kind,
    pub pool: String,
    pub suffix: String,
}

/// A decoded result.
#[derive(Debug)]
pub struct Res {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub affected: Option<i64>,
    pub last_id: Option<Value>,
}

pub fn decode_result(bytes: &[u8]) -> Res {
    let Value::Array(parts) = rmp_serde::from_slice::<Value>(bytes).expect("result is msgpack") else {
        panic!("result is not an array")
    };
    let mut it = parts.into_iter();
    let Some(Value::Array(cols)) = it.next() else {
        panic!("no columns")
    };
    let Some(Value::Array(rows)) = it.next() else {
        panic!("no rows")
    };
    let columns = cols
        .into_iter()
        .map(|c| {
            if let Value::Text(t) = c {
                t
            } else {
                panic!("column name")
            }
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| if let Value::Array(r) = r { r } else { panic!("row") })
        .collect();
    let affected = it.next().map(|v| {
        if let Value::Int(n) = v {
            n
        } else {
            panic!("affected {v:?}")
        }
    });
    Res {
        columns,
        rows,
        affected,
        last_id: it.next(),
    }
}

impl Db {
    /// The same test on a second pool of exactly one connection, so one
    /// connection both prepares a statement and runs it again.
    pub async fn single_connection(&self) -> Db {
        let pool = format!("{}_one", self.pool);
        let mut settings = PoolSettings::default();
        settings.max_connections = Some(1);
        open(self.kind, &pool, settings).await;
        Db { pool, ..self.clone() }
    }
    /// A table name unique to this test.
    pub fn table(&self, base: &str) -> String {
        format!("{base}_{}", self.suffix)
    }
    /// The placeholder for 1-based parameter `n`.
    pub fn ph(&self, n: usize) -> String {
        if self.kind == Kind::Postgres {
            format!("${n}")
        } else {
            "?".to_owned()
        }
    }
    /// `n` comma-separated placeholders.
    pub fn phs(&self, n: usize) -> String {
        (1..=n).map(|i| self.ph(i)).collect::<Vec<_>>().join(", ")
    }
    /// The DDL type for a semantic type name.
    pub fn ty(&self, t: &str) -> &'static str {
        use Kind::{Mysql as M, Postgres as P, Sqlite as S};
        match (t, self.kind) {
            ("pk", P) => "BIGSERIAL PRIMARY KEY",
            ("pk", M) => "BIGINT AUTO_INCREMENT PRIMARY KEY",
            ("pk", S) => "INTEGER PRIMARY KEY AUTOINCREMENT",
            ("int" | "timedelta", S) => "INTEGER",
            ("int" | "timedelta", _) => "BIGINT",
            ("float", P) => "DOUBLE PRECISION",
            ("float", M) => "DOUBLE",
            ("float", S) => "REAL",
            ("bool", S) => "INTEGER",
            ("bool", _) => "BOOLEAN",
            ("str", _) => "VARCHAR(255)",
            ("bytes", P) => "BYTEA",
            ("bytes", _) => "BLOB",
            ("datetime", P) => "TIMESTAMP",
            ("datetime_tz", P) => "TIMESTAMPTZ",
            ("datetime" | "datetime_tz", M) => "DATETIME(6)",
            ("date", P | M) => "DATE",
            ("time", P) => "TIME",
            ("time", M) => "TIME(6)",
            ("uuid", P) => "UUID",
            ("uuid", M) => "CHAR(36)",
            ("decimal", P) => "NUMERIC(12,4)",
            ("decimal", M) => "DECIMAL(12,4)",
            ("json", P) => "JSONB",
            ("json", M) => "JSON",
            _ => "TEXT",
        }
    }
    /// Drops and creates a table.
    pub async fn create(&self, table: &str, body: &str) -> Result<(), ExecError> {
        self.raw(&format!("DROP TABLE IF EXISTS {table}"), vec![]).await?;
        let engine = if self.kind == Kind::Mysql { " ENGINE=InnoDB" } else { "" };
        self.raw(&format!("CREATE TABLE {table} ({body}){engine}"), vec![])
            .await
            .map(drop)
    }
    pub async fn drop_table(&self, table: &str) {
        let _ = self.raw(&format!("DROP TABLE IF EXISTS {table}"), vec![]).await;
    }
    pub async fn raw(&self, sql: &str, params: Vec<Value>) -> Result<Res, ExecError> {
        self.exec(&raw_ir(sql, params)).await
    }
    pub async fn exec(&self, ir: &Mp) -> Result<Res, ExecError> {
        oxyde_exec::execute(&self.pool, &ir.encode())
            .await
            .map(|b| decode_result(&b))
    }
    pub async fn exec_tx(&self, tx: u64, ir: &Mp) -> Result<Res, ExecError> {
        oxyde_exec::execute_in_transaction(tx, &ir.encode())
            .await
            .map(|b| decode_result(&b))
    }
    pub async fn count(&self, table: &str) -> Result<i64, ExecError> {
        let res = self.raw(&format!("SELECT COUNT(*) AS n FROM {table}"), vec![]).await?;
        match res.rows[0][0] {
            Value::Int(n) => Ok(n),
            ref other => panic!("count {other:?}"),
        }
    }
}

/// A MessagePack document builder for IR envelopes.
#[derive(Debug, Clone)]
pub enum Mp {
    V(Value),
    Arr(Vec<Mp>),
    Map(Vec<(String, Mp)>),
}

impl From<Value> for Mp {
    fn from(v: Value) -> Self {
        Mp::V(v)
    }
}
impl From<&str> for Mp {
    fn from(v: &str) -> Self {
        Mp::V(Value::Text(v.to_owned()))
    }
}
impl From<i64> for Mp {
    fn from(v: i64) -> Self {
        Mp::V(Value::Int(v))
    }
}

pub fn map(items: Vec<(&str, Mp)>) -> Mp {
    Mp::Map(items.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}
pub fn arr(items: Vec<Mp>) -> Mp {
    Mp::Arr(items)
}
/// `{"kind": kind}`.
pub fn kind(k: &str) -> Mp {
    map(vec![("kind", k.into())])
}

impl Mp {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Mp::V(v) => out.extend(rmp_serde::to_vec(v).unwrap()),
            Mp::Arr(items) => {
                rmp::encode::write_array_len(out, u32::try_from(items.len()).unwrap()).unwrap();
                for i in items {
                    i.write(out);
                }
            }
            Mp::Map(items) => {
                rmp::encode::write_map_len(out, u32::try_from(items.len()).unwrap()).unwrap();
                for (k, v) in items {
                    rmp::encode::write_str(out, k).unwrap();
                    v.write(out);
                }
            }
        }
    }
}

pub fn raw_ir(sql: &str, params: Vec<Value>) -> Mp {
    map(vec![
        ("proto", 1.into()),
        ("op", "raw".into()),
        ("sql", sql.into()),
        ("params", arr(params.into_iter().map(Mp::V).collect())),
    ])
}

/// Asserts an error of `kind`.
pub fn assert_kind<T: std::fmt::Debug>(r: Result<T, ExecError>, kind: ErrorKind) -> ExecError {
    match r {
        Err(e) if e.kind() == kind => e,
        other => panic!("expected {kind:?}, got {other:?}"),
    }
}
