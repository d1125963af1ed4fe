//! Model instances straight from rows whose values already have the fields' types.
//!
//! Pydantic validation of a row costs several microseconds, mostly building
//! and checking what the database already typed. When every value of every
//! row is exactly the field's Python type (or `None` where the field allows
//! it), the instance is assembled the way `model_construct` does it: field
//! dict, fields set, no extra, no private state. Anything else returns `None`
//! and the caller validates the rows with pydantic as before, so the result
//! is the same either way. Which models qualify is decided in Python
//! (`oxyde.queries.hydrate`).
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyList, PySet, PyTuple, PyType};

static OBJECT_NEW: GILOnceCell<PyObject> = GILOnceCell::new();
static OBJECT_SETATTR: GILOnceCell<PyObject> = GILOnceCell::new();

fn builtin<'py>(py: Python<'py>, cell: &'static GILOnceCell<PyObject>, name: &str) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell
        .get_or_try_init(py, || -> PyResult<PyObject> {
            Ok(py.import("builtins")?.getattr("object")?.getattr(name)?.unbind())
        })?
        .bind(py))
}

/// One field of the model, in declaration order: where its value comes from.
enum Source<'py> {
    /// The row's value at this column index.
    Column(usize),
    /// A default shared by every instance (immutable: `None`, numbers, text).
    Value(Bound<'py, PyAny>),
    /// A default made afresh per instance (`default_factory`).
    Factory(Bound<'py, PyAny>),
}

/// Instances of `cls` from `rows` (lists, one value per column), or `None`
/// when a value is not exactly its column's type.
///
/// `types[i]` is the Python type column `i` must have and `nullable[i]`
/// whether it may be `None`; `fields` lists the model's fields in declaration
/// order as `(name, column index or -1, default, is_factory)`; `present` names
/// the fields the rows set (pydantic's `model_fields_set`).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 hands arguments over by value
pub(crate) fn build_models<'py>(
    py: Python<'py>,
    cls: &Bound<'py, PyType>,
    types: &Bound<'py, PyTuple>,
    nullable: Vec<bool>,
    fields: &Bound<'py, PyTuple>,
    present: &Bound<'py, PyTuple>,
    rows: &Bound<'py, PyList>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let types: Vec<Bound<'py, PyAny>> = types.iter().collect();
    if nullable.len() != types.len() {
        return Ok(None);
    }
    for row in rows.iter() {
        let row = row.downcast::<PyList>()?;
        if row.len() != types.len() {
            return Ok(None);
        }
        for (value, (ty, null_ok)) in row.iter().zip(types.iter().zip(&nullable)) {
            let fits = if value.is_none() {
                *null_ok
            } else {
                value.get_type().is(ty)
            };
            if !fits {
                return Ok(None);
            }
        }
    }
    let mut plan: Vec<(Bound<'py, PyAny>, Source<'py>)> = Vec::with_capacity(fields.len());
    for field in fields.iter() {
        let (name, column, default, factory): (Bound<'py, PyAny>, isize, Bound<'py, PyAny>, bool) = field.extract()?;
        let source = match usize::try_from(column) {
            Ok(i) if i < types.len() => Source::Column(i),
            _ if factory => Source::Factory(default),
            _ => Source::Value(default),
        };
        plan.push((name, source));
    }
    let new = builtin(py, &OBJECT_NEW, "__new__")?;
    let set = builtin(py, &OBJECT_SETATTR, "__setattr__")?;
    let out = PyList::empty(py);
    for row in rows.iter() {
        let row = row.downcast::<PyList>()?;
        let values = PyDict::new(py);
        for (name, source) in &plan {
            match source {
                Source::Column(i) => values.set_item(name, row.get_item(*i)?)?,
                Source::Value(v) => values.set_item(name, v)?,
                Source::Factory(f) => values.set_item(name, f.call0()?)?,
            }
        }
        let instance = new.call1((cls,))?;
        set.call1((&instance, intern!(py, "__dict__"), values))?;
        set.call1((
            &instance,
            intern!(py, "__pydantic_fields_set__"),
            PySet::new(py, present.iter())?,
        ))?;
        set.call1((&instance, intern!(py, "__pydantic_extra__"), py.None()))?;
        set.call1((&instance, intern!(py, "__pydantic_private__"), py.None()))?;
        out.append(instance)?;
    }
    Ok(Some(out))
}
