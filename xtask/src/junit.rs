//! Per-dialect counts from pytest's `--junitxml` report, by plain string scanning.
//!
//! A test's dialect is its parameter id (`test_x[sqlite]`, `test_y[postgres-3]`).
use std::collections::BTreeMap;
use std::fmt::Write as _;

const DIALECTS: &[&str] = &["sqlite", "postgres", "mysql"];
/// Tests that take no dialect parameter.
const NONE: &str = "(none)";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) passed: usize,
    pub(crate) failed: usize,
    pub(crate) skipped: usize,
}

/// Counts per dialect, plus the total.
pub(crate) fn summarize(xml: &str) -> (BTreeMap<&'static str, Counts>, Counts) {
    let mut per: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for chunk in xml.split("<testcase").skip(1) {
        // A case ends at `/>` when empty, else at `</testcase>`.
        let head_end = chunk.find('>').unwrap_or(chunk.len());
        let body = if chunk[..head_end].ends_with('/') {
            ""
        } else {
            chunk[head_end..].split("</testcase>").next().unwrap_or("")
        };
        let name = attribute(&chunk[..head_end], "name").unwrap_or_default();
        let entry = per.entry(dialect_of(name)).or_default();
        if body.contains("<failure") || body.contains("<error") {
            entry.failed += 1;
            total.failed += 1;
        } else if body.contains("<skipped") {
            entry.skipped += 1;
            total.skipped += 1;
        } else {
            entry.passed += 1;
            total.passed += 1;
        }
    }
    (per, total)
}

/// The table printed after the suite.
pub(crate) fn table(per: &BTreeMap<&'static str, Counts>) -> String {
    let mut out = format!("{:<10} {:>7} {:>7} {:>7}\n", "dialect", "passed", "failed", "skipped");
    for (name, c) in per {
        let _ = writeln!(out, "{name:<10} {:>7} {:>7} {:>7}", c.passed, c.failed, c.skipped);
    }
    out
}

fn attribute<'a>(head: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!(" {key}=\"");
    let start = head.find(&needle)? + needle.len();
    let len = head[start..].find('"')?;
    Some(&head[start..start + len])
}

fn dialect_of(name: &str) -> &'static str {
    let Some(open) = name.rfind('[') else { return NONE };
    let params = name[open + 1..].trim_end_matches(']');
    params
        .split(['-', ','])
        .find_map(|token| {
            DIALECTS
                .iter()
                .find(|d| token == **d || (**d == "postgres" && token == "postgresql"))
        })
        .copied()
        .unwrap_or(NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0"?><testsuites><testsuite name="pytest">
<testcase classname="tests.test_a" name="test_one[sqlite]" time="0.1" />
<testcase classname="tests.test_a" name="test_one[postgres]" time="0.1"><failure message="x">boom</failure></testcase>
<testcase classname="tests.test_a" name="test_two[mysql-3]" time="0.1"><skipped type="pytest.skip" message="no" /></testcase>
<testcase classname="tests.test_b" name="test_plain" time="0.0"></testcase>
<testcase classname="tests.test_b" name="test_err[sqlite]" time="0.0"><error message="e" /></testcase>
</testsuite></testsuites>"#;

    #[test]
    fn counts_each_dialect_from_the_parameter_id() {
        let (per, total) = summarize(XML);
        assert_eq!(
            per["sqlite"],
            Counts {
                passed: 1,
                failed: 1,
                skipped: 0
            }
        );
        assert_eq!(
            per["postgres"],
            Counts {
                passed: 0,
                failed: 1,
                skipped: 0
            }
        );
        assert_eq!(
            per["mysql"],
            Counts {
                passed: 0,
                failed: 0,
                skipped: 1
            }
        );
        assert_eq!(
            per[NONE],
            Counts {
                passed: 1,
                failed: 0,
                skipped: 0
            }
        );
        assert_eq!(
            total,
            Counts {
                passed: 2,
                failed: 2,
                skipped: 1
            }
        );
    }

    #[test]
    fn table_lists_every_dialect_seen() {
        let (per, _) = summarize(XML);
        let t = table(&per);
        assert!(t.lines().any(|l| l.starts_with("postgres") && l.contains('1')));
        assert_eq!(t.lines().count(), 5);
    }
}
