//! MessagePack encoding of results, written straight from driver rows.
//!
//! The layout is fixed by `docs/ir.md` "Results": a select answers
//! `[columns, rows]`, every other op `[columns, rows, rows_affected,
//! last_insert_id]`. Drivers push cells one by one; no per-cell value is
//! allocated on the way.
use oxyde_ir::ext;
use rmp::encode as mp;

/// Clamps a length to MessagePack's 32-bit limit; Vec writes cannot fail, so
/// results are dropped on purpose.
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Builds one encoded result. Drivers call [`columns`](Self::columns), then
/// [`rows`](Self::rows), then one `begin_row` plus one cell write per column.
///
/// ```
/// let mut out = oxyde_exec::ResultWriter::new(true);
/// out.columns(["id", "name"]);
/// out.rows(1);
/// out.begin_row(2);
/// out.int(1);
/// out.str("ada");
/// let bytes = out.finish();
/// assert_eq!(bytes[0], 0x92); // a two-item array: columns, rows
/// ```
#[derive(Debug)]
pub struct ResultWriter {
    buf: Vec<u8>,
    select: bool,
    wrote_columns: bool,
    wrote_rows: bool,
    row_count: usize,
    rows_affected: u64,
    last_insert_id: Option<i64>,
}

impl ResultWriter {
    /// A writer for a select (`[columns, rows]`) or another op (four items).
    pub fn new(select: bool) -> Self {
        let mut buf = Vec::with_capacity(256);
        let _ = mp::write_array_len(&mut buf, if select { 2 } else { 4 });
        Self {
            buf,
            select,
            wrote_columns: false,
            wrote_rows: false,
            row_count: 0,
            rows_affected: 0,
            last_insert_id: None,
        }
    }

    /// Writes the column names; call once, before [`rows`](Self::rows).
    pub fn columns<'a, I>(&mut self, names: I)
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: ExactSizeIterator,
    {
        let names = names.into_iter();
        let _ = mp::write_array_len(&mut self.buf, len32(names.len()));
        for name in names {
            let _ = mp::write_str(&mut self.buf, name);
        }
        self.wrote_columns = true;
    }

    /// Starts the row list of `count` rows.
    pub fn rows(&mut self, count: usize) {
        if !self.wrote_columns {
            self.columns(std::iter::empty::<&str>());
        }
        let _ = mp::write_array_len(&mut self.buf, len32(count));
        self.wrote_rows = true;
        self.row_count = count;
    }

    /// Starts one row of `cells` values.
    pub fn begin_row(&mut self, cells: usize) {
        let _ = mp::write_array_len(&mut self.buf, len32(cells));
    }

    /// Starts an array value of `len` items.
    pub fn array(&mut self, len: usize) {
        let _ = mp::write_array_len(&mut self.buf, len32(len));
    }
    /// NULL.
    pub fn nil(&mut self) {
        let _ = mp::write_nil(&mut self.buf);
    }
    /// A boolean.
    pub fn bool(&mut self, v: bool) {
        let _ = mp::write_bool(&mut self.buf, v);
    }
    /// A signed integer.
    pub fn int(&mut self, v: i64) {
        let _ = mp::write_sint(&mut self.buf, v);
    }
    /// An unsigned integer.
    pub fn uint(&mut self, v: u64) {
        let _ = mp::write_uint(&mut self.buf, v);
    }
    /// A 64-bit float.
    pub fn float(&mut self, v: f64) {
        let _ = mp::write_f64(&mut self.buf, v);
    }
    /// UTF-8 text.
    pub fn str(&mut self, v: &str) {
        let _ = mp::write_str(&mut self.buf, v);
    }
    /// Raw bytes.
    pub fn bin(&mut self, v: &[u8]) {
        let _ = mp::write_bin(&mut self.buf, v);
    }
    /// An extension value with a code from `oxyde_ir::ext`.
    pub fn ext(&mut self, code: i8, payload: &[u8]) {
        let _ = mp::write_ext_meta(&mut self.buf, len32(payload.len()), code);
        self.buf.extend_from_slice(payload);
    }

    /// A date as the `DATE` extension.
    pub fn date(&mut self, d: chrono::NaiveDate) {
        self.ext(ext::DATE, crate::temporal::format_date(d).as_bytes());
    }
    /// A time of day as the `TIME` extension.
    pub fn time(&mut self, t: chrono::NaiveTime) {
        self.ext(ext::TIME, crate::temporal::format_time(t).as_bytes());
    }
    /// A naive timestamp as the `DATETIME` extension.
    pub fn datetime(&mut self, dt: chrono::NaiveDateTime) {
        self.ext(ext::DATETIME, crate::temporal::format_datetime(dt).as_bytes());
    }
    /// An aware timestamp as the `DATETIME_TZ` extension.
    pub fn datetime_tz(&mut self, dt: chrono::DateTime<chrono::FixedOffset>) {
        self.ext(ext::DATETIME_TZ, crate::temporal::format_datetime_tz(dt).as_bytes());
    }
    /// A duration in microseconds as the `DURATION` extension.
    pub fn duration_micros(&mut self, us: i64) {
        self.ext(ext::DURATION, &us.to_be_bytes());
    }
    /// A decimal, as its text, in the `DECIMAL` extension.
    pub fn decimal(&mut self, text: &str) {
        self.ext(ext::DECIMAL, text.as_bytes());
    }
    /// A UUID's bytes in the `UUID` extension.
    pub fn uuid(&mut self, bytes: &[u8; 16]) {
        self.ext(ext::UUID, bytes);
    }
    /// A JSON document's text in the `JSON` extension.
    pub fn json(&mut self, text: &str) {
        self.ext(ext::JSON, text.as_bytes());
    }

    /// Records the affected-row count reported by the database.
    pub fn set_rows_affected(&mut self, n: u64) {
        self.rows_affected = n;
    }
    /// Records the id generated by an insert, if the database reports one.
    pub fn set_last_insert_id(&mut self, id: Option<i64>) {
        self.last_insert_id = id;
    }

    /// Rows returned by a select, else the affected-row count: the figure logs report.
    pub fn row_count(&self) -> u64 {
        if self.select {
            self.row_count as u64
        } else {
            self.rows_affected
        }
    }

    /// The encoded result.
    pub fn finish(mut self) -> Vec<u8> {
        if !self.wrote_rows {
            self.rows(0);
        }
        if !self.select {
            let _ = mp::write_uint(&mut self.buf, self.rows_affected);
            match self.last_insert_id {
                Some(id) => {
                    let _ = mp::write_sint(&mut self.buf, id);
                }
                None => {
                    let _ = mp::write_nil(&mut self.buf);
                }
            }
        }
        self.buf
    }
}
