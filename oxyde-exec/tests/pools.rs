//! Pool registry, URL and settings handling.
mod common;

use std::time::Duration;

use common::{assert_kind, decode_result, raw_ir};
use oxyde_exec::{ErrorKind, PoolSettings};
use oxyde_ir::Value;

fn ir(sql: &str) -> Vec<u8> {
    raw_ir(sql, vec![]).encode()
}

#[tokio::test]
async fn unknown_scheme_lists_registered_ones() {
    let e = assert_kind(
        oxyde_exec::init_pool("bad_scheme", "oracle://x", PoolSettings::default(), false).await,
        ErrorKind::Config,
    );
    assert_eq!(
        e.message(),
        "unknown database url scheme \"oracle\"; registered: mariadb, mysql, postgres, postgresql, sqlite"
    );
}

#[tokio::test]
async fn malformed_and_unreachable_urls_fail_cleanly() {
    assert_kind(
        oxyde_exec::init_pool("bad_pg", "postgres://[::1", PoolSettings::default(), false).await,
        ErrorKind::Config,
    );
    assert_kind(
        oxyde_exec::init_pool("bad_sqlite", "sqlite://", PoolSettings::default(), false).await,
        ErrorKind::Config,
    );
    let mut s = PoolSettings::default();
    s.acquire_timeout = Some(Duration::from_secs(2));
    // Port 1 refuses connections.
    let e = oxyde_exec::init_pool("refused_pg", "postgres://postgres@127.0.0.1:1/test", s, false)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::ConnectionLost | ErrorKind::PoolTimeout),
        "{e:?}"
    );
    assert_eq!(oxyde_exec::pool_backend("refused_pg"), None);
}

#[tokio::test]
async fn invalid_settings_are_config_errors() {
    let mut s = PoolSettings::default();
    s.min_connections = Some(11);
    let e = assert_kind(
        oxyde_exec::init_pool("min_max", "sqlite::memory:", s, false).await,
        ErrorKind::Config,
    );
    assert_eq!(
        e.message(),
        "Invalid pool settings: min_connections cannot exceed max_connections"
    );
    let mut s = PoolSettings::default();
    s.ssl_mode = Some("sometimes".into());
    let url = common::Kind::Postgres.url();
    assert_kind(
        oxyde_exec::init_pool("bad_ssl", &url, s, false).await,
        ErrorKind::Config,
    );
}

#[tokio::test]
async fn an_existing_name_needs_overwrite() {
    oxyde_exec::init_pool("taken", "sqlite::memory:", PoolSettings::default(), false)
        .await
        .unwrap();
    oxyde_exec::execute("taken", &ir("CREATE TABLE t (x INTEGER)"))
        .await
        .unwrap();
    let e = assert_kind(
        oxyde_exec::init_pool("taken", "sqlite::memory:", PoolSettings::default(), false).await,
        ErrorKind::Config,
    );
    assert_eq!(e.message(), "Pool 'taken' already exists");
    // Overwriting closes the old pool and its memory database with it.
    assert_eq!(
        oxyde_exec::init_pool("taken", "sqlite::memory:", PoolSettings::default(), true)
            .await
            .unwrap(),
        "sqlite"
    );
    assert_kind(
        oxyde_exec::execute("taken", &ir("SELECT x FROM t")).await,
        ErrorKind::Database,
    );
    oxyde_exec::close_pool("taken").await.unwrap();
    oxyde_exec::close_pool("never_opened").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_memory_is_shared_by_the_pools_connections() {
    for url in ["sqlite::memory:", "sqlite://:memory:", "sqlite:///:memory:"] {
        let name = format!("shared_{url}");
        oxyde_exec::init_pool(&name, url, PoolSettings::default(), false)
            .await
            .unwrap();
        // A held transaction pins one connection; the pool must use another.
        oxyde_exec::execute(&name, &ir("CREATE TABLE t (x INTEGER)"))
            .await
            .unwrap();
        let tx = oxyde_exec::begin_transaction(&name).await.unwrap();
        oxyde_exec::execute_in_transaction(tx, &ir("INSERT INTO t VALUES (7)"))
            .await
            .unwrap();
        oxyde_exec::commit_transaction(tx).await.unwrap();
        let res = decode_result(&oxyde_exec::execute(&name, &ir("SELECT x FROM t")).await.unwrap());
        assert_eq!(res.rows, vec![vec![Value::Int(7)]]);
        oxyde_exec::close_pool(&name).await.unwrap();
    }
}

#[tokio::test]
async fn sqlite_file_urls_create_the_file_and_run_the_pragmas() {
    let dir = std::env::temp_dir().join(format!("oxyde_exec_test_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let abs = dir.join("abs.db");
    let _ = std::fs::remove_file(&abs);
    let mut s = PoolSettings::default();
    s.sqlite_journal_mode = Some("WAL".into());
    s.sqlite_busy_timeout = Some(1234);
    let url = format!("sqlite:///{}", abs.display());
    assert!(url.starts_with("sqlite:////"));
    oxyde_exec::init_pool("file_abs", &url, s, false).await.unwrap();
    assert!(abs.exists());
    let res = decode_result(
        &oxyde_exec::execute("file_abs", &ir("PRAGMA journal_mode"))
            .await
            .unwrap(),
    );
    assert_eq!(res.rows, vec![vec![Value::Text("wal".into())]]);
    let res = decode_result(
        &oxyde_exec::execute("file_abs", &ir("PRAGMA busy_timeout"))
            .await
            .unwrap(),
    );
    assert_eq!(res.rows, vec![vec![Value::Int(1234)]]);
    let res = decode_result(
        &oxyde_exec::execute("file_abs", &ir("PRAGMA foreign_keys"))
            .await
            .unwrap(),
    );
    assert_eq!(res.rows, vec![vec![Value::Int(1)]]);
    oxyde_exec::close_pool("file_abs").await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn render_needs_no_connection() {
    let stmt = oxyde_exec::render(&ir("SELECT 1"), "postgres").unwrap();
    assert_eq!(stmt.sql, "SELECT 1");
    assert_kind(oxyde_exec::render(&ir("SELECT 1"), "oracle"), ErrorKind::Config);
    assert_kind(oxyde_exec::render(b"\x00", "sqlite"), ErrorKind::InvalidIr);
}
