//! Property tests: `decode` never panics, and values survive a round trip.
use oxyde_ir::{decode, CmpOp, Cond, Expr, Op, Value};
use proptest::prelude::*;

mod support;
use support::{map, s, valid_envelopes, M};

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>()
            .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
            .prop_map(Value::Float),
        ".*".prop_map(Value::Text),
        proptest::collection::vec(any::<u8>(), 0..32).prop_map(Value::Bytes),
        "-?[0-9]{1,20}(\\.[0-9]{1,10})?".prop_map(Value::Decimal),
        any::<[u8; 16]>().prop_map(Value::Uuid),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::Date),
        "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{6})?".prop_map(Value::Time),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}".prop_map(Value::DateTime),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}".prop_map(Value::DateTimeTz),
        any::<i64>().prop_map(Value::Duration),
        "\\{\"[a-z]{0,5}\": [0-9]{1,3}\\}".prop_map(Value::Json),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        proptest::collection::vec(inner, 0..4).prop_map(Value::Array)
    })
}

/// One valid envelope with bytes flipped, inserted, removed or cut off.
fn mutated_envelope() -> impl Strategy<Value = Vec<u8>> {
    let envelopes = valid_envelopes();
    (
        0..envelopes.len(),
        proptest::collection::vec((any::<u16>(), any::<u8>(), 0u8..4), 1..8),
    )
        .prop_map(move |(pick, edits)| {
            let mut bytes = envelopes[pick].clone();
            for (at, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = usize::from(at) % bytes.len();
                match kind {
                    0 => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    2 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn mutated_envelopes_never_panic(bytes in mutated_envelope()) {
        let _ = decode(&bytes);
    }

    #[test]
    fn values_round_trip_through_messagepack(v in value()) {
        let bytes = rmp_serde::to_vec(&v).unwrap();
        let back: Value = rmp_serde::from_slice(&bytes).unwrap();
        prop_assert_eq!(back, v);
    }

    #[test]
    fn raw_params_round_trip_through_an_envelope(params in proptest::collection::vec(value(), 0..6)) {
        let mut m = std::collections::BTreeMap::new();
        m.insert("proto", Value::Int(1));
        m.insert("op", Value::Text("raw".into()));
        m.insert("sql", Value::Text("SELECT 1".into()));
        m.insert("params", Value::Array(params.clone()));
        let Ok(Op::Raw(raw)) = decode(&oxyde_ir::encode_map(&m)) else { panic!("a raw op") };
        prop_assert_eq!(raw.params, params);
    }
}

#[test]
fn extension_values_use_their_documented_codes() {
    let cases = [
        (Value::Decimal("1.50".into()), 1, b"1.50".to_vec()),
        (Value::Uuid([3; 16]), 2, vec![3; 16]),
        (Value::Date("2024-01-02".into()), 3, b"2024-01-02".to_vec()),
        (Value::Time("10:11:12".into()), 4, b"10:11:12".to_vec()),
        (
            Value::DateTime("2024-01-02T10:11:12".into()),
            5,
            b"2024-01-02T10:11:12".to_vec(),
        ),
        (
            Value::DateTimeTz("2024-01-02T10:11:12+02:00".into()),
            6,
            b"2024-01-02T10:11:12+02:00".to_vec(),
        ),
        (Value::Duration(-5), 7, (-5i64).to_be_bytes().to_vec()),
        (Value::Json("{}".into()), 8, b"{}".to_vec()),
    ];
    for (value, code, payload) in cases {
        assert_eq!(value.to_ext(), Some((code, payload.clone())));
        let decoded: Value = rmp_serde::from_slice(&M::Ext(code, payload).encode()).unwrap();
        assert_eq!(decoded, value);
    }
}

#[test]
fn equality_with_nil_becomes_is_null() {
    let cond = |op: &str| {
        map(&[
            ("type", s("condition")),
            ("field", s("a")),
            ("operator", s(op)),
            ("value", M::Nil),
        ])
    };
    for (op, negated) in [("=", false), ("!=", true)] {
        let bytes = map(&[
            ("proto", M::Int(1)),
            ("op", s("select")),
            ("table", s("t")),
            ("filter_tree", cond(op)),
        ])
        .encode();
        let Ok(Op::Select(sel)) = decode(&bytes) else {
            panic!("a select")
        };
        assert_eq!(
            sel.filter,
            Some(Cond::IsNull {
                lhs: Expr::column("a"),
                negated
            })
        );
    }
    let bytes = map(&[
        ("proto", M::Int(1)),
        ("op", s("select")),
        ("table", s("t")),
        ("filter_tree", cond("<")),
    ])
    .encode();
    let Ok(Op::Select(sel)) = decode(&bytes) else {
        panic!("a select")
    };
    assert_eq!(
        sel.filter,
        Some(Cond::Compare {
            lhs: Expr::column("a"),
            op: CmpOp::Lt,
            rhs: Expr::Value(Value::Null)
        })
    );
}
