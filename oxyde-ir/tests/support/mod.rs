//! A tiny MessagePack writer for building envelopes with nested maps, which
//! `encode_map` (values only) cannot express.
#![allow(dead_code)] // each test file uses a different subset

#[derive(Debug, Clone)]
pub(crate) enum M {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bin(Vec<u8>),
    Arr(Vec<M>),
    Map(Vec<(M, M)>),
    Ext(i8, Vec<u8>),
}

pub(crate) fn s(v: &str) -> M {
    M::Str(v.to_owned())
}

pub(crate) fn map(pairs: &[(&str, M)]) -> M {
    M::Map(pairs.iter().map(|(k, v)| (s(k), v.clone())).collect())
}

impl M {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            M::Nil => out.push(0xc0),
            M::Bool(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
            M::Int(n) => {
                out.push(0xd3);
                out.extend_from_slice(&n.to_be_bytes());
            }
            M::Float(f) => {
                out.push(0xcb);
                out.extend_from_slice(&f.to_be_bytes());
            }
            M::Str(t) => {
                out.push(0xdb);
                out.extend_from_slice(&len32(t.len()));
                out.extend_from_slice(t.as_bytes());
            }
            M::Bin(b) => {
                out.push(0xc6);
                out.extend_from_slice(&len32(b.len()));
                out.extend_from_slice(b);
            }
            M::Arr(items) => {
                out.push(0xdd);
                out.extend_from_slice(&len32(items.len()));
                for i in items {
                    i.write(out);
                }
            }
            M::Map(pairs) => {
                out.push(0xdf);
                out.extend_from_slice(&len32(pairs.len()));
                for (k, v) in pairs {
                    k.write(out);
                    v.write(out);
                }
            }
            M::Ext(code, data) => {
                out.push(0xc9);
                out.extend_from_slice(&len32(data.len()));
                out.push(code.to_be_bytes()[0]);
                out.extend_from_slice(data);
            }
        }
    }
}

fn len32(n: usize) -> [u8; 4] {
    u32::try_from(n).expect("test data is small").to_be_bytes()
}

/// A handful of valid envelopes covering every op and most node kinds.
#[allow(clippy::too_many_lines)] // one literal list of fixtures reads best in one piece
pub(crate) fn valid_envelopes() -> Vec<Vec<u8>> {
    let cond = |field: &str, op: &str, value: M| {
        map(&[
            ("type", s("condition")),
            ("field", s(field)),
            ("operator", s(op)),
            ("value", value),
        ])
    };
    let select = map(&[
        ("proto", M::Int(1)),
        ("op", s("select")),
        ("table", s("users")),
        ("cols", M::Arr(vec![s("id"), s("name")])),
        (
            "filter_tree",
            map(&[
                ("type", s("and")),
                (
                    "conditions",
                    M::Arr(vec![
                        cond("age", ">=", M::Int(18)),
                        cond("name", "ILIKE", s("%a%")),
                        cond("id", "IN", M::Arr(vec![M::Int(1), M::Int(2)])),
                        cond(
                            "born",
                            "BETWEEN",
                            M::Arr(vec![
                                M::Ext(3, b"2000-01-01".to_vec()),
                                M::Ext(3, b"2001-01-01".to_vec()),
                            ]),
                        ),
                        map(&[("type", s("not")), ("condition", cond("x", "=", M::Nil))]),
                    ]),
                ),
            ]),
        ),
        ("order_by", M::Arr(vec![M::Arr(vec![s("name"), s("DESC")])])),
        ("limit", M::Int(10)),
        ("offset", M::Int(5)),
        (
            "annotations",
            M::Arr(vec![map(&[
                ("alias", s("n")),
                ("expr", map(&[("type", s("agg")), ("func", s("count"))])),
            ])]),
        ),
    ]);
    let insert = map(&[
        ("proto", M::Int(1)),
        ("op", s("insert")),
        ("table", s("users")),
        ("cols", M::Arr(vec![s("name"), s("uid"), s("took")])),
        (
            "rows",
            M::Arr(vec![M::Arr(vec![
                s("ada"),
                M::Ext(2, vec![9; 16]),
                M::Ext(7, 5i64.to_be_bytes().to_vec()),
            ])]),
        ),
        ("returning", M::Bool(true)),
    ]);
    let update = map(&[
        ("proto", M::Int(1)),
        ("op", s("update")),
        ("table", s("posts")),
        (
            "values",
            map(&[(
                "views",
                map(&[
                    ("type", s("binary")),
                    ("op", s("+")),
                    ("left", map(&[("type", s("column")), ("name", s("views"))])),
                    ("right", M::Int(1)),
                ]),
            )]),
        ),
        ("filter_tree", cond("id", "=", M::Int(3))),
    ]);
    let bulk_update = map(&[
        ("proto", M::Int(1)),
        ("op", s("update")),
        ("table", s("posts")),
        (
            "values",
            map(&[(
                "title",
                map(&[
                    ("type", s("case")),
                    (
                        "whens",
                        M::Arr(vec![
                            M::Arr(vec![cond("id", "=", M::Int(1)), s("a")]),
                            M::Arr(vec![cond("id", "=", M::Int(2)), M::Nil]),
                        ]),
                    ),
                    ("else", map(&[("type", s("column")), ("name", s("title"))])),
                ]),
            )]),
        ),
        ("filter_tree", cond("id", "IN", M::Arr(vec![M::Int(1), M::Int(2)]))),
    ]);
    let raw = map(&[
        ("proto", M::Int(1)),
        ("op", s("raw")),
        ("sql", s("SELECT $1")),
        ("params", M::Arr(vec![M::Float(1.5), M::Bin(vec![1, 2])])),
    ]);
    let create = map(&[
        ("proto", M::Int(1)),
        ("op", s("create_table")),
        ("table", s("t")),
        (
            "columns",
            M::Arr(vec![map(&[
                ("name", s("id")),
                ("type", map(&[("kind", s("big_integer"))])),
                ("primary_key", M::Bool(true)),
            ])]),
        ),
    ]);
    vec![
        select.encode(),
        insert.encode(),
        update.encode(),
        bulk_update.encode(),
        raw.encode(),
        create.encode(),
    ]
}
