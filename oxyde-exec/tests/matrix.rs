//! Behaviour every driver must share, stamped once per database.
mod common;

use common::{arr, assert_kind, kind, map, Db, Kind, Mp};
use oxyde_exec::temporal::{parse_datetime, parse_datetime_tz, parse_time};
use oxyde_exec::ErrorKind;
use oxyde_ir::Value;

const UUID: [u8; 16] = [
    0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef, 0x81, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
];

/// (column, DDL type, IR column kind, value).
fn typed_columns() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    vec![
        ("c_int", "int", "big_integer", Value::Int(-9_007_199_254_740_993)),
        ("c_float", "float", "double", Value::Float(1.5)),
        ("c_bool", "bool", "boolean", Value::Bool(true)),
        ("c_str", "str", "string", Value::Text("héllo ☃ 'quoted'".into())),
        ("c_bytes", "bytes", "blob", Value::Bytes(vec![0, 1, 2, 255])),
        (
            "c_dt",
            "datetime",
            "date_time",
            Value::DateTime("2024-02-29T13:14:15.123456".into()),
        ),
        (
            "c_dtz",
            "datetime_tz",
            "date_time_utc",
            Value::DateTimeTz("2024-02-29T13:14:15.5+05:30".into()),
        ),
        ("c_date", "date", "date", Value::Date("2024-02-29".into())),
        ("c_time", "time", "time", Value::Time("07:08:09.250000".into())),
        ("c_td", "timedelta", "timedelta", Value::Duration(-86_400_000_123)),
        ("c_uuid", "uuid", "uuid", Value::Uuid(UUID)),
        ("c_dec", "decimal", "decimal", Value::Decimal("12.3400".into())),
        (
            "c_json",
            "json",
            "json",
            Value::Json(r#"{"a": [1, 2, {"b": null}], "c": "d"}"#.into()),
        ),
    ]
}

/// Equal as Python would see them: instants for aware datetimes, parsed
/// times, parsed JSON.
fn assert_same(col: &str, want: &Value, got: &Value) {
    let ok = match (want, got) {
        (Value::DateTime(a), Value::DateTime(b)) => parse_datetime(a).unwrap() == parse_datetime(b).unwrap(),
        (Value::DateTimeTz(a), Value::DateTimeTz(b)) => parse_datetime_tz(a).unwrap() == parse_datetime_tz(b).unwrap(),
        (Value::Time(a), Value::Time(b)) => parse_time(a).unwrap() == parse_time(b).unwrap(),
        (Value::Json(a), Value::Json(b)) => {
            serde_json::from_str::<serde_json::Value>(a).unwrap()
                == serde_json::from_str::<serde_json::Value>(b).unwrap()
        }
        (a, b) => a == b,
    };
    assert!(ok, "column {col}: wrote {want:?}, read {got:?}");
}

fn column_types(cols: &[(&str, &str, &str, Value)]) -> Mp {
    map(cols.iter().map(|(c, _, k, _)| (*c, column_kind(k))).collect())
}

/// The IR type of a column as created by `create_typed`: decimals are
/// `NUMERIC(12,4)`, which the type says so that values are checked against it.
fn column_kind(k: &str) -> Mp {
    if k == "decimal" {
        map(vec![("kind", k.into()), ("precision", 12.into()), ("scale", 4.into())])
    } else {
        kind(k)
    }
}

fn select_all(table: &str, cols: &[(&str, &str, &str, Value)]) -> Mp {
    let mut names: Vec<Mp> = vec!["id".into()];
    names.extend(cols.iter().map(|(c, ..)| (*c).into()));
    map(vec![
        ("proto", 1.into()),
        ("op", "select".into()),
        ("table", table.into()),
        ("cols", arr(names)),
        ("order_by", arr(vec![arr(vec!["id".into(), "ASC".into()])])),
        ("column_types", column_types(cols)),
    ])
}

async fn create_typed(db: &Db, table: &str) -> Result<(), oxyde_exec::ExecError> {
    let body: Vec<String> = std::iter::once(format!("id {}", db.ty("pk")))
        .chain(
            typed_columns()
                .iter()
                .map(|(c, t, ..)| format!("{c} {} NULL", db.ty(t))),
        )
        .collect();
    db.create(table, &body.join(", ")).await
}

fn check_rows(res: &common::Res, rows: &[Vec<Value>]) {
    let cols = typed_columns();
    assert_eq!(res.rows.len(), rows.len());
    for (got, want) in res.rows.iter().zip(rows) {
        for (i, (c, ..)) in cols.iter().enumerate() {
            assert_same(c, &want[i], &got[i + 1]);
        }
    }
}

dialect_matrix!(raw_insert_of_every_type_reads_back_equal, |db: Db| async move {
    let t = db.table("typed");
    create_typed(&db, &t).await?;
    let cols = typed_columns();
    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let values: Vec<Value> = cols.iter().map(|c| c.3.clone()).collect();
    let sql = format!(
        "INSERT INTO {t} ({}) VALUES ({})",
        names.join(", "),
        db.phs(names.len())
    );
    let res = db.raw(&sql, values.clone()).await?;
    assert_eq!(res.affected, Some(1));
    // And a row of NULLs: untyped NULL parameters must bind everywhere.
    db.raw(&sql, vec![Value::Null; names.len()]).await?;
    let res = db.exec(&select_all(&t, &cols)).await?;
    assert_eq!(res.columns[0], "id");
    check_rows(&res, &[values, vec![Value::Null; names.len()]]);
    db.drop_table(&t).await;
    Ok(())
});

dialect_matrix!(insert_op_of_every_type_reads_back_equal, |db: Db| async move {
    let t = db.table("typed");
    create_typed(&db, &t).await?;
    let cols = typed_columns();
    let values: Vec<Value> = cols.iter().map(|c| c.3.clone()).collect();
    let row = |vals: &[Value]| arr(vals.iter().cloned().map(Mp::V).collect());
    let ir = map(vec![
        ("proto", 1.into()),
        ("op", "insert".into()),
        ("table", t.as_str().into()),
        ("cols", arr(cols.iter().map(|c| c.0.into()).collect())),
        ("rows", arr(vec![row(&values), row(&vec![Value::Null; cols.len()])])),
        ("column_types", column_types(&cols)),
    ]);
    let res = db.exec(&ir).await?;
    assert_eq!(res.affected, Some(2));
    if db.kind != Kind::Postgres {
        assert!(
            matches!(res.last_id, Some(Value::Int(_))),
            "last insert id {:?}",
            res.last_id
        );
    }
    let res = db.exec(&select_all(&t, &cols)).await?;
    check_rows(&res, &[values, vec![Value::Null; cols.len()]]);
    db.drop_table(&t).await;
    Ok(())
});

fn cond(field: &str, op: &str, value: Value) -> Mp {
    map(vec![
        ("type", "condition".into()),
        ("field", field.into()),
        ("operator", op.into()),
        ("value", Mp::V(value)),
    ])
}

dialect_matrix!(update_and_delete_ops_report_affected_rows, |db: Db| async move {
    let t = db.table("people");
    db.create(
        &t,
        &format!("id {}, name VARCHAR(50) NOT NULL, age BIGINT NULL", db.ty("pk")),
    )
    .await?;
    let sql = format!("INSERT INTO {t} (name, age) VALUES ({}, {})", db.ph(1), db.ph(2));
    for (n, a) in [("ada", 36), ("bob", 17), ("cy", 70)] {
        db.raw(&sql, vec![Value::Text(n.into()), Value::Int(a)]).await?;
    }
    let ctypes = || map(vec![("age", kind("big_integer")), ("name", kind("string"))]);
    let update = map(vec![
        ("proto", 1.into()),
        ("op", "update".into()),
        ("table", t.as_str().into()),
        ("values", map(vec![("age", Mp::V(Value::Null))])),
        ("filter_tree", cond("age", ">=", Value::Int(18))),
        ("column_types", ctypes()),
    ]);
    assert_eq!(db.exec(&update).await?.affected, Some(2));
    let delete = map(vec![
        ("proto", 1.into()),
        ("op", "delete".into()),
        ("table", t.as_str().into()),
        ("filter_tree", cond("name", "=", Value::Text("bob".into()))),
        ("column_types", ctypes()),
    ]);
    assert_eq!(db.exec(&delete).await?.affected, Some(1));
    let res = db
        .raw(&format!("SELECT name, age FROM {t} ORDER BY name"), vec![])
        .await?;
    assert_eq!(
        res.rows,
        vec![
            vec![Value::Text("ada".into()), Value::Null],
            vec![Value::Text("cy".into()), Value::Null]
        ]
    );
    db.drop_table(&t).await;
    Ok(())
});

/// Ops on `t` (a uuid, a date and an enum-like column, all NULL-able),
/// typed by the renderer's parameter hints.
struct Hinted<'a> {
    db: &'a Db,
    t: &'a str,
    status_type: &'a str,
}

impl Hinted<'_> {
    fn column_types(&self) -> Mp {
        let status = map(vec![
            ("kind", "enum".into()),
            ("name", self.status_type.into()),
            ("values", arr(vec!["draft".into(), "live".into()])),
        ]);
        map(vec![
            ("id", kind("big_integer")),
            ("c_uuid", kind("uuid")),
            ("c_date", kind("date")),
            ("c_status", status),
        ])
    }
    fn op(&self, op: &str, extra: Vec<(&str, Mp)>) -> Mp {
        let mut items = vec![
            ("proto", 1.into()),
            ("op", op.into()),
            ("table", self.t.into()),
            ("column_types", self.column_types()),
        ];
        items.extend(extra);
        map(items)
    }
    async fn count(&self, filter: Mp) -> Result<Value, oxyde_exec::ExecError> {
        let res = self
            .db
            .exec(&self.op(
                "select",
                vec![("count", Mp::V(Value::Bool(true))), ("filter_tree", filter)],
            ))
            .await?;
        Ok(res.rows[0][0].clone())
    }
}

dialect_matrix!(filters_bind_values_as_their_column_type, |db: Db| async move {
    let t = db.table("hinted");
    let status_type = format!("hinted_status_{}", db.pool);
    let status_ddl = if db.kind == Kind::Postgres {
        db.raw(&format!("DROP TABLE IF EXISTS {t}"), vec![]).await?;
        db.raw(&format!("DROP TYPE IF EXISTS {status_type}"), vec![]).await?;
        db.raw(&format!("CREATE TYPE {status_type} AS ENUM ('draft', 'live')"), vec![])
            .await?;
        status_type.clone()
    } else {
        "VARCHAR(20)".to_owned()
    };
    let body = format!(
        "id {}, c_uuid {} NULL, c_date {} NULL, c_status {status_ddl} NULL",
        db.ty("pk"),
        db.ty("uuid"),
        db.ty("date")
    );
    db.create(&t, &body).await?;
    let h = Hinted {
        db: &db,
        t: &t,
        status_type: &status_type,
    };
    let rows = arr(vec![
        arr(vec![
            Mp::V(Value::Uuid(UUID)),
            Mp::V(Value::Date("2024-02-29".into())),
            "live".into(),
        ]),
        arr(vec![Mp::V(Value::Null), Mp::V(Value::Null), Mp::V(Value::Null)]),
    ]);
    let cols = arr(vec!["c_uuid".into(), "c_date".into(), "c_status".into()]);
    db.exec(&h.op("insert", vec![("cols", cols), ("rows", rows)])).await?;

    let uuid_text = Value::Text(oxyde_exec::uuid_text(&UUID));
    let one = Value::Int(1);
    // Text for an enum, a uuid and a date column: PostgreSQL reads it as the
    // column's type instead of refusing `enum = text`.
    assert_eq!(h.count(cond("c_status", "=", Value::Text("live".into()))).await?, one);
    assert_eq!(h.count(cond("c_uuid", "=", uuid_text.clone())).await?, one);
    assert_eq!(
        h.count(cond("c_date", "=", Value::Text("2024-02-29".into()))).await?,
        one
    );
    let statuses = Value::Array(vec![Value::Text("live".into()), Value::Text("draft".into())]);
    assert_eq!(h.count(cond("c_status", "IN", statuses)).await?, one);
    let uuids = Value::Array(vec![Value::Null, Value::Uuid(UUID)]);
    assert_eq!(h.count(cond("c_uuid", "IN", uuids)).await?, one);
    let dates = Value::Array(vec![Value::Text("2024-01-01".into()), Value::Date("2024-12-31".into())]);
    assert_eq!(h.count(cond("c_date", "BETWEEN", dates)).await?, one);
    assert_eq!(h.count(cond("c_status", "=", Value::Null)).await?, one);
    assert_eq!(h.count(cond("c_uuid", "!=", uuid_text)).await?, Value::Int(0));

    // NULLs and text set through a CASE take the SET column's type.
    let case = |then: Value| {
        map(vec![
            ("type", "case".into()),
            (
                "whens",
                arr(vec![arr(vec![
                    cond("c_date", "=", Value::Date("2024-02-29".into())),
                    Mp::V(then),
                ])]),
            ),
            ("else", map(vec![("type", "column".into()), ("name", "c_uuid".into())])),
        ])
    };
    let set = map(vec![
        ("c_uuid", case(Value::Null)),
        ("c_status", Mp::V(Value::Text("draft".into()))),
    ]);
    let filter = cond("c_date", "<=", Value::Text("2024-03-01".into()));
    let res = db
        .exec(&h.op("update", vec![("values", set), ("filter_tree", filter)]))
        .await?;
    assert_eq!(res.affected, Some(1));
    assert_eq!(h.count(cond("c_status", "=", Value::Text("draft".into()))).await?, one);
    assert_eq!(h.count(cond("c_uuid", "=", Value::Null)).await?, Value::Int(2));

    db.drop_table(&t).await;
    if db.kind == Kind::Postgres {
        db.raw(&format!("DROP TYPE IF EXISTS {status_type}"), vec![]).await?;
    }
    Ok(())
});

async fn insert_name(db: &Db, tx: u64, t: &str, name: &str) -> Result<(), oxyde_exec::ExecError> {
    let ir = common::raw_ir(
        &format!("INSERT INTO {t} (name) VALUES ({})", db.ph(1)),
        vec![Value::Text(name.into())],
    );
    db.exec_tx(tx, &ir).await.map(drop)
}

dialect_matrix!(transactions_commit_and_roll_back, |db: Db| async move {
    let t = db.table("tx");
    db.create(&t, &format!("id {}, name VARCHAR(50)", db.ty("pk"))).await?;
    let tx = oxyde_exec::begin_transaction(&db.pool).await?;
    insert_name(&db, tx, &t, "kept").await?;
    oxyde_exec::commit_transaction(tx).await?;
    let tx = oxyde_exec::begin_transaction(&db.pool).await?;
    insert_name(&db, tx, &t, "gone").await?;
    oxyde_exec::rollback_transaction(tx).await?;
    assert_eq!(db.count(&t).await?, 1);
    // A finished transaction is forgotten.
    assert_kind(oxyde_exec::commit_transaction(tx).await, ErrorKind::NotFound);
    db.drop_table(&t).await;
    Ok(())
});

dialect_matrix!(nested_savepoints_roll_back_only_their_rows, |db: Db| async move {
    let t = db.table("sp");
    db.create(&t, &format!("id {}, name VARCHAR(50)", db.ty("pk"))).await?;
    let tx = oxyde_exec::begin_transaction(&db.pool).await?;
    insert_name(&db, tx, &t, "outer").await?;
    oxyde_exec::create_savepoint(tx, "sp_1").await?;
    insert_name(&db, tx, &t, "inner_kept").await?;
    oxyde_exec::create_savepoint(tx, "sp_2").await?;
    insert_name(&db, tx, &t, "inner_gone").await?;
    oxyde_exec::rollback_to_savepoint(tx, "sp_2").await?;
    oxyde_exec::release_savepoint(tx, "sp_1").await?;
    assert_kind(
        oxyde_exec::create_savepoint(tx, "x; DROP TABLE y").await,
        ErrorKind::InvalidIr,
    );
    oxyde_exec::commit_transaction(tx).await?;
    let res = db.raw(&format!("SELECT name FROM {t} ORDER BY id"), vec![]).await?;
    assert_eq!(
        res.rows,
        vec![
            vec![Value::Text("outer".into())],
            vec![Value::Text("inner_kept".into())]
        ]
    );
    db.drop_table(&t).await;
    Ok(())
});

dialect_matrix!(constraint_violations_are_classified, |db: Db| async move {
    let parent = db.table("parent");
    let child = db.table("child");
    db.drop_table(&child).await;
    db.create(
        &parent,
        &format!("id {}, code VARCHAR(20) NOT NULL UNIQUE", db.ty("pk")),
    )
    .await?;
    db.create(
        &child,
        &format!(
            "id {}, parent_id BIGINT NOT NULL, qty BIGINT NOT NULL CHECK (qty > 0), FOREIGN KEY (parent_id) REFERENCES {parent} (id)",
            db.ty("pk")
        ),
    )
    .await?;
    let ins_parent = format!("INSERT INTO {parent} (code) VALUES ({})", db.ph(1));
    db.raw(&ins_parent, vec![Value::Text("a".into())]).await?;
    assert_kind(
        db.raw(&ins_parent, vec![Value::Text("a".into())]).await,
        ErrorKind::UniqueViolation,
    );
    let ins_child = format!(
        "INSERT INTO {child} (parent_id, qty) VALUES ({}, {})",
        db.ph(1),
        db.ph(2)
    );
    assert_kind(
        db.raw(&ins_child, vec![Value::Int(999), Value::Int(1)]).await,
        ErrorKind::ForeignKeyViolation,
    );
    assert_kind(
        db.raw(&ins_child, vec![Value::Null, Value::Int(1)]).await,
        ErrorKind::NotNullViolation,
    );
    let res = db.raw(&format!("SELECT id FROM {parent}"), vec![]).await?;
    let pid = res.rows[0][0].clone();
    assert_kind(
        db.raw(&ins_child, vec![pid, Value::Int(0)]).await,
        ErrorKind::CheckViolation,
    );
    db.drop_table(&child).await;
    db.drop_table(&parent).await;
    Ok(())
});

dialect_matrix!(unknown_transaction_is_not_found, |_db: Db| async move {
    let e = assert_kind(
        oxyde_exec::execute_in_transaction(u64::MAX, &common::raw_ir("SELECT 1", vec![]).encode()).await,
        ErrorKind::NotFound,
    );
    assert_eq!(e.message(), format!("Transaction '{}' not found", u64::MAX));
    assert_kind(oxyde_exec::rollback_transaction(u64::MAX).await, ErrorKind::NotFound);
    assert_kind(oxyde_exec::create_savepoint(u64::MAX, "a").await, ErrorKind::NotFound);
    Ok(())
});

dialect_matrix!(malformed_ir_is_invalid_ir, |db: Db| async move {
    assert_kind(
        oxyde_exec::execute(&db.pool, b"\xc1 not msgpack").await,
        ErrorKind::InvalidIr,
    );
    assert_kind(
        oxyde_exec::execute(&db.pool, &map(vec![("proto", 1.into())]).encode()).await,
        ErrorKind::InvalidIr,
    );
    Ok(())
});

dialect_matrix!(
    pool_times_out_while_a_transaction_holds_the_only_connection,
    |db: Db| async move {
        let pool = format!("{}_one", db.pool);
        let mut settings = oxyde_exec::PoolSettings::default();
        settings.max_connections = Some(1);
        settings.acquire_timeout = Some(std::time::Duration::from_millis(300));
        common::open(db.kind, &pool, settings).await;
        let tx = oxyde_exec::begin_transaction(&pool).await?;
        let select = common::raw_ir("SELECT 1 AS one", vec![]).encode();
        assert_kind(oxyde_exec::execute(&pool, &select).await, ErrorKind::PoolTimeout);
        oxyde_exec::rollback_transaction(tx).await?;
        // The connection went back to the pool.
        let res = common::decode_result(&oxyde_exec::execute(&pool, &select).await?);
        assert_eq!(res.rows, vec![vec![Value::Int(1)]]);
        oxyde_exec::close_pool(&pool).await?;
        Ok(())
    }
);

dialect_matrix!(closed_pool_is_an_error_not_a_panic, |db: Db| async move {
    let pool = format!("{}_closed", db.pool);
    common::open(db.kind, &pool, oxyde_exec::PoolSettings::default()).await;
    let tx = oxyde_exec::begin_transaction(&pool).await?;
    assert_eq!(oxyde_exec::pool_backend(&pool), Some(db.kind.name()));
    oxyde_exec::close_pool(&pool).await?;
    assert_eq!(oxyde_exec::pool_backend(&pool), None);
    // Closing rolled the transaction back and forgot it.
    assert_kind(oxyde_exec::commit_transaction(tx).await, ErrorKind::NotFound);
    let e = assert_kind(
        oxyde_exec::execute(&pool, &common::raw_ir("SELECT 1", vec![]).encode()).await,
        ErrorKind::NotFound,
    );
    assert_eq!(e.message(), format!("Pool '{pool}' not found"));
    Ok(())
});

dialect_matrix!(idle_transactions_are_rolled_back_by_the_cleaner, |db: Db| async move {
    let pool = format!("{}_idle", db.pool);
    let mut settings = oxyde_exec::PoolSettings::default();
    settings.transaction_timeout = Some(std::time::Duration::from_millis(100));
    settings.transaction_cleanup_interval = Some(std::time::Duration::from_millis(50));
    common::open(db.kind, &pool, settings).await;
    let tx = oxyde_exec::begin_transaction(&pool).await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_kind(oxyde_exec::commit_transaction(tx).await, ErrorKind::NotFound);
    oxyde_exec::close_pool(&pool).await?;
    Ok(())
});
