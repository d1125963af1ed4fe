//! `oxyde_ir::Value` -> Python objects, for the params `render` returns.
use oxyde_ir::Value;
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyBytes, PyList};

/// The Python value `Value` stands for (the types of the IR's extension codes).
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    let from_iso = |class: &str, text: &str| -> PyResult<Bound<'py, PyAny>> {
        py.import("datetime")?
            .getattr(class)?
            .call_method1("fromisoformat", (text,))
    };
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => f.into_pyobject(py)?.into_any(),
        Value::Text(s) => s.into_pyobject(py)?.into_any(),
        Value::Bytes(b) => PyBytes::new(py, b).into_any(),
        Value::Decimal(s) => py.import("decimal")?.getattr("Decimal")?.call1((s,))?,
        Value::Uuid(b) => {
            let kwargs = [("bytes", PyBytes::new(py, b))].into_py_dict(py)?;
            py.import("uuid")?.getattr("UUID")?.call((), Some(&kwargs))?
        }
        Value::Date(s) => from_iso("date", s)?,
        Value::Time(s) => from_iso("time", s)?,
        Value::DateTime(s) | Value::DateTimeTz(s) => from_iso("datetime", s)?,
        Value::Duration(micros) => {
            let kwargs = [("microseconds", micros)].into_py_dict(py)?;
            py.import("datetime")?.getattr("timedelta")?.call((), Some(&kwargs))?
        }
        Value::Json(text) => py.import("json")?.call_method1("loads", (text,))?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
    })
}
