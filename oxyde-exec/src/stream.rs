//! Streaming a select: rows reach the caller in encoded batches while the
//! statement still runs, so a large result never sits in memory whole.
use oxyde_ir::Op;
use tokio::sync::mpsc;

use crate::api::{decode, render_error};
use crate::flight::Tracked;
use crate::{pools, ErrorKind, ExecError, Plan};

/// One encoded batch (`[columns, rows]`), or the error that ended the stream.
pub type Batch = Result<Vec<u8>, ExecError>;
/// Where a connection sends the batches of [`Connection::stream`](crate::Connection::stream).
pub type BatchSink = mpsc::Sender<Batch>;

/// Runs the select `ir` on a connection of `pool`, sending batches of at most
/// `batch` rows to `sink` until the rows end, an error is sent, or the
/// receiver is dropped; the connection goes back to the pool when this
/// returns (or when the task running it is aborted).
pub async fn stream(pool: &str, ir: &[u8], batch: usize, sink: BatchSink) {
    if let Err(e) = produce(pool, ir, batch.max(1), &sink).await {
        let _ = sink.send(Err(e)).await;
    }
}

async fn produce(pool: &str, ir: &[u8], batch: usize, sink: &BatchSink) -> Result<(), ExecError> {
    let op = decode(ir)?;
    if !matches!(op, Op::Select(_)) {
        return Err(ExecError::new(ErrorKind::InvalidIr, "only a select can be streamed"));
    }
    let entry = pools::get(pool)?;
    let stmt = oxyde_sql::render(&op, entry.dialect).map_err(render_error)?;
    let mut conn = Tracked::new(entry.pool.acquire().await?);
    let plan = Plan::new(&op, &stmt);
    let flight = conn.start()?;
    let result = flight.conn.stream(&stmt, &plan, batch, sink).await;
    // An error, or a reader gone early, may leave rows unread: cut short.
    if result.is_ok() && !sink.is_closed() {
        flight.landed(&result);
    }
    result
}
