//! One SQL text run with parameters of different kinds must bind each run's
//! values as they are (a cached statement must not reinterpret them).
mod common;

use common::Db;
use oxyde_ir::Value;

dialect_matrix!(same_sql_with_an_int_then_a_float_adds_both, |all: Db| async move {
    let db = all.single_connection().await;
    let t = db.table("pk_mixed");
    db.create(&t, &format!("x {}", db.ty("int"))).await?;
    db.raw(&format!("INSERT INTO {t} (x) VALUES (10)"), vec![]).await?;
    let bump = format!("UPDATE {t} SET x = x + {}", db.ph(1));
    db.raw(&bump, vec![Value::Int(4)]).await?;
    db.raw(&bump, vec![Value::Float(-2.0)]).await?;
    db.raw(&bump, vec![Value::Int(1)]).await?;
    let got = db.raw(&format!("SELECT x FROM {t}"), vec![]).await?;
    assert_eq!(got.rows, [vec![Value::Int(13)]]);
    let echo = format!("SELECT {} AS v", db.ph(1));
    db.raw(&echo, vec![Value::Text("a".into())]).await?;
    let again = db.raw(&echo, vec![Value::Int(7)]).await?;
    assert!(
        matches!(again.rows[0][0], Value::Int(7)) || again.rows[0][0] == Value::Text("7".into()),
        "second run read back {:?}",
        again.rows
    );
    db.drop_table(&t).await;
    oxyde_exec::close_pool(&db.pool).await?;
    Ok(())
});
