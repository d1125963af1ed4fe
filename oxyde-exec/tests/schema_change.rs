//! A schema change under statements a connection has already prepared must
//! give the new columns, never an error that repeats or rows that vanish.
mod common;

use common::Db;
use oxyde_ir::Value;

dialect_matrix!(select_star_follows_an_added_column, |db: Db| async move {
    let one = db.single_connection().await;
    let t = db.table("sc_added");
    one.create(&t, "a BIGINT").await?;
    one.raw(
        &format!("INSERT INTO {t} (a) VALUES ({})", one.ph(1)),
        vec![Value::Int(1)],
    )
    .await?;
    let before = one.raw(&format!("SELECT * FROM {t}"), vec![]).await?;
    assert_eq!(before.columns, ["a"]);
    one.raw(&format!("ALTER TABLE {t} ADD COLUMN b BIGINT"), vec![]).await?;
    let after = one.raw(&format!("SELECT * FROM {t}"), vec![]).await?;
    assert_eq!(after.columns, ["a", "b"]);
    assert_eq!(after.rows, [vec![Value::Int(1), Value::Null]]);
    oxyde_exec::close_pool(&one.pool).await?;
    db.drop_table(&t).await;
    Ok(())
});

dialect_matrix!(
    select_star_follows_a_change_made_by_another_connection,
    |db: Db| async move {
        let t = db.table("sc_other");
        db.create(&t, "a BIGINT").await?;
        db.raw(
            &format!("INSERT INTO {t} (a) VALUES ({})", db.ph(1)),
            vec![Value::Int(7)],
        )
        .await?;
        let select = common::raw_ir(&format!("SELECT * FROM {t}"), vec![]);
        // The connection reads the old schema inside a transaction, goes back to
        // the pool, is taken again and held while another connection alters.
        let first = oxyde_exec::begin_transaction(&db.pool).await?;
        assert_eq!(db.exec_tx(first, &select).await?.columns, ["a"]);
        oxyde_exec::commit_transaction(first).await?;
        let held = oxyde_exec::begin_transaction(&db.pool).await?;
        db.raw(&format!("ALTER TABLE {t} ADD COLUMN b BIGINT"), vec![]).await?;
        let after = db.exec_tx(held, &select).await?;
        oxyde_exec::commit_transaction(held).await?;
        assert_eq!(after.columns, ["a", "b"]);
        assert_eq!(after.rows, [vec![Value::Int(7), Value::Null]]);
        db.drop_table(&t).await;
        Ok(())
    }
);
