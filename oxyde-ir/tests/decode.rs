//! `decode` is total: typed errors for bad input, never a panic.
use std::collections::BTreeMap;

use oxyde_ir::{decode, encode_map, IrError, Op, Value, IR_VERSION};

mod support;
use support::{map, s, valid_envelopes, M};

fn envelope(extra: &[(&str, M)]) -> Vec<u8> {
    let mut pairs = vec![("proto", M::Int(1))];
    pairs.extend(extra.iter().cloned());
    map(&pairs).encode()
}

#[test]
fn every_valid_fixture_decodes() {
    for bytes in valid_envelopes() {
        decode(&bytes).unwrap();
    }
}

#[test]
fn wrong_protocol_version_is_a_version_error() {
    let mut m = BTreeMap::new();
    m.insert("proto", Value::Int(99));
    m.insert("op", Value::Text("raw".into()));
    m.insert("sql", Value::Text("SELECT 1".into()));
    assert_eq!(
        decode(&encode_map(&m)).unwrap_err(),
        IrError::Version {
            found: 99,
            expected: IR_VERSION
        }
    );
}

#[test]
fn missing_protocol_version_is_reported() {
    let bytes = map(&[("op", s("raw")), ("sql", s("SELECT 1"))]).encode();
    assert!(matches!(decode(&bytes), Err(IrError::Missing { key: "proto", .. })));
}

#[test]
fn unknown_op_is_named() {
    let err = decode(&envelope(&[("op", s("merge")), ("table", s("t"))])).unwrap_err();
    assert_eq!(
        err,
        IrError::Unknown {
            what: "op",
            found: "merge".into()
        }
    );
}

#[test]
fn bad_operator_is_refused() {
    let cond = map(&[
        ("type", s("condition")),
        ("field", s("a")),
        ("operator", s("~=")),
        ("value", M::Int(1)),
    ]);
    let err = decode(&envelope(&[
        ("op", s("select")),
        ("table", s("t")),
        ("filter_tree", cond),
    ]))
    .unwrap_err();
    assert!(err.to_string().contains("unknown operator '~='"), "{err}");
}

#[test]
fn bad_escape_and_bad_function_name_are_refused() {
    let like = map(&[
        ("type", s("condition")),
        ("field", s("a")),
        ("operator", s("LIKE")),
        ("value", s("%x%")),
        ("escape", s("'")),
    ]);
    assert!(decode(&envelope(&[
        ("op", s("select")),
        ("table", s("t")),
        ("filter_tree", like)
    ]))
    .is_err());
    let ann = map(&[
        ("alias", s("x")),
        (
            "expr",
            map(&[
                ("type", s("func")),
                ("name", s("drop table;")),
                ("args", M::Arr(vec![])),
            ]),
        ),
    ]);
    let err = decode(&envelope(&[
        ("op", s("select")),
        ("table", s("t")),
        ("annotations", M::Arr(vec![ann])),
    ]))
    .unwrap_err();
    assert!(err.to_string().contains("function name"), "{err}");
}

#[test]
fn negative_limit_and_ragged_rows_are_invalid() {
    let err = decode(&envelope(&[
        ("op", s("select")),
        ("table", s("t")),
        ("limit", M::Int(-1)),
    ]))
    .unwrap_err();
    assert!(matches!(err, IrError::Invalid(_)), "{err}");
    let rows = M::Arr(vec![M::Arr(vec![M::Int(1)]), M::Arr(vec![M::Int(1), M::Int(2)])]);
    let err = decode(&envelope(&[
        ("op", s("insert")),
        ("table", s("t")),
        ("cols", M::Arr(vec![s("a")])),
        ("rows", rows),
    ]))
    .unwrap_err();
    assert!(matches!(err, IrError::Invalid(_)), "{err}");
}

#[test]
fn nul_in_identifier_is_refused() {
    let err = decode(&envelope(&[("op", s("select")), ("table", s("us\0ers"))])).unwrap_err();
    assert!(matches!(err, IrError::Malformed(_) | IrError::Invalid(_)), "{err}");
}

#[test]
fn unknown_extension_code_is_malformed() {
    let bytes = envelope(&[
        ("op", s("raw")),
        ("sql", s("SELECT ?")),
        ("params", M::Arr(vec![M::Ext(42, vec![1])])),
    ]);
    assert!(matches!(decode(&bytes), Err(IrError::Malformed(_))));
    let short_uuid = envelope(&[
        ("op", s("raw")),
        ("sql", s("SELECT ?")),
        ("params", M::Arr(vec![M::Ext(2, vec![1, 2])])),
    ]);
    assert!(matches!(decode(&short_uuid), Err(IrError::Malformed(_))));
}

#[test]
fn depth_bomb_of_nested_arrays_is_an_error_not_a_crash() {
    // 100000 nested one-element arrays (fixarray of 1), in a raw op's params.
    let mut bytes = envelope(&[("op", s("raw")), ("sql", s("SELECT ?"))]);
    // The envelope map grows by one key: rewrite its 32-bit length.
    bytes[1..5].copy_from_slice(&4u32.to_be_bytes());
    bytes.extend_from_slice(&M::Str("params".into()).encode());
    bytes.extend(std::iter::repeat_n(0x91u8, 100_000));
    bytes.push(0xc0);
    assert!(decode(&bytes).is_err());
}

#[test]
fn depth_bomb_of_nested_conditions_is_an_error_not_a_crash() {
    // Built as bytes: a 5000-deep `M` tree would itself recurse too deep.
    let leaf = map(&[
        ("type", s("condition")),
        ("field", s("a")),
        ("operator", s("=")),
        ("value", M::Int(1)),
    ])
    .encode();
    let mut not_prefix = vec![0x82];
    not_prefix.extend(s("type").encode());
    not_prefix.extend(s("not").encode());
    not_prefix.extend(s("condition").encode());
    let mut bytes = vec![0x84];
    for (k, v) in [("proto", M::Int(1)), ("op", s("select")), ("table", s("t"))] {
        bytes.extend(s(k).encode());
        bytes.extend(v.encode());
    }
    bytes.extend(s("filter_tree").encode());
    for _ in 0..5_000 {
        bytes.extend_from_slice(&not_prefix);
    }
    bytes.extend(leaf);
    assert!(decode(&bytes).is_err());
}

#[test]
fn garbage_is_malformed() {
    for bytes in [&b""[..], b"\xc1", b"\x81", b"\xdf\xff\xff\xff\xff", b"\x93\x01\x02"] {
        assert!(matches!(decode(bytes), Err(IrError::Malformed(_))), "{bytes:?}");
    }
}

#[test]
fn decoded_raw_keeps_params_in_order() {
    let bytes = envelope(&[
        ("op", s("raw")),
        ("sql", s("SELECT ?, ?")),
        ("params", M::Arr(vec![M::Int(1), s("x")])),
    ]);
    let Op::Raw(raw) = decode(&bytes).unwrap() else {
        panic!("a raw op")
    };
    assert_eq!(raw.params, vec![Value::Int(1), Value::Text("x".into())]);
}

#[test]
fn case_expression_decodes_and_needs_a_when() {
    let when = |pk: i64, v: &str| {
        M::Arr(vec![
            map(&[
                ("type", s("condition")),
                ("field", s("id")),
                ("operator", s("=")),
                ("value", M::Int(pk)),
            ]),
            s(v),
        ])
    };
    let case = |whens: Vec<M>| {
        map(&[
            ("type", s("case")),
            ("whens", M::Arr(whens)),
            ("else", map(&[("type", s("column")), ("name", s("name"))])),
        ])
    };
    let update = |value: M| {
        envelope(&[
            ("op", s("update")),
            ("table", s("t")),
            ("values", map(&[("name", value)])),
        ])
    };
    let Op::Update(u) = decode(&update(case(vec![when(1, "a"), when(2, "b")]))).unwrap() else {
        panic!("an update op")
    };
    let oxyde_ir::Expr::Case { whens, else_ } = &u.set[0].1 else {
        panic!("a case expression, got {:?}", u.set[0].1)
    };
    assert_eq!(whens.len(), 2);
    assert_eq!(whens[1].1, oxyde_ir::Expr::Value(Value::Text("b".into())));
    assert_eq!(else_.as_deref(), Some(&oxyde_ir::Expr::column("name")));
    let err = decode(&update(case(vec![]))).unwrap_err();
    assert!(err.to_string().contains("at least one when"), "{err}");
}
