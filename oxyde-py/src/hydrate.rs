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

/// How to build instances of one model from rows with one column list,
/// worked out once (by `oxyde.queries.hydrate`) and kept with that list.
///
/// `types[i]` is the Python type column `i` must have and `nullable[i]`
/// whether it may be `None`; `fields` lists the model's fields in declaration
/// order as `(name, column index or -1, default, is_factory)`; `present` names
/// the fields the rows set (pydantic's `model_fields_set`).
#[pyclass(module = "oxyde._core", frozen)]
pub(crate) struct ModelBuilder {
    cls: Py<PyType>,
    types: Vec<Py<PyAny>>,
    nullable: Vec<bool>,
    /// Every field in declaration order, shared defaults filled in: each
    /// instance's `__dict__` starts as a copy (no resizing, order kept).
    template: Py<PyDict>,
    /// (field name, column index) of the fields read from the row.
    columns: Vec<(Py<PyAny>, usize)>,
    /// (field name, `default_factory`) of the fields made afresh per instance.
    factories: Vec<(Py<PyAny>, Py<PyAny>)>,
    present: Py<PyTuple>,
}

#[pymethods]
impl ModelBuilder {
    #[new]
    #[allow(clippy::needless_pass_by_value)] // pyo3 hands arguments over by value
    fn new(
        py: Python<'_>,
        cls: Bound<'_, PyType>,
        types: Bound<'_, PyTuple>,
        nullable: Vec<bool>,
        fields: Bound<'_, PyTuple>,
        present: Bound<'_, PyTuple>,
    ) -> PyResult<Self> {
        if nullable.len() != types.len() {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "types and nullable differ in length",
            ));
        }
        let template = PyDict::new(py);
        let mut columns = Vec::new();
        let mut factories = Vec::new();
        for field in fields.iter() {
            let (name, column, default, factory): (Bound<'_, PyAny>, isize, Bound<'_, PyAny>, bool) =
                field.extract()?;
            match usize::try_from(column) {
                Ok(i) if i < types.len() => {
                    template.set_item(&name, py.None())?;
                    columns.push((name.unbind(), i));
                }
                _ if factory => {
                    template.set_item(&name, py.None())?;
                    factories.push((name.unbind(), default.unbind()));
                }
                _ => template.set_item(&name, default)?,
            }
        }
        Ok(ModelBuilder {
            cls: cls.unbind(),
            types: types.iter().map(Bound::unbind).collect(),
            nullable,
            template: template.unbind(),
            columns,
            factories,
            present: present.unbind(),
        })
    }

    /// Instances from `rows` (lists, one value per column), or `None` when a
    /// value is not exactly its column's type.
    fn build<'py>(&self, py: Python<'py>, rows: &Bound<'py, PyList>) -> PyResult<Option<Bound<'py, PyList>>> {
        if !self.fits(py, rows)? {
            return Ok(None);
        }
        let cls = self.cls.bind(py);
        let template = self.template.bind(py);
        let new = builtin(py, &OBJECT_NEW, "__new__")?;
        let set = builtin(py, &OBJECT_SETATTR, "__setattr__")?;
        let out = PyList::empty(py);
        for row in rows.iter() {
            let row = row.downcast::<PyList>()?;
            let values = template.copy()?;
            for (name, i) in &self.columns {
                values.set_item(name.bind(py), row.get_item(*i)?)?;
            }
            for (name, factory) in &self.factories {
                values.set_item(name.bind(py), factory.bind(py).call0()?)?;
            }
            let instance = new.call1((cls,))?;
            set.call1((&instance, intern!(py, "__dict__"), values))?;
            set.call1((
                &instance,
                intern!(py, "__pydantic_fields_set__"),
                PySet::new(py, self.present.bind(py).iter())?,
            ))?;
            set.call1((&instance, intern!(py, "__pydantic_extra__"), py.None()))?;
            set.call1((&instance, intern!(py, "__pydantic_private__"), py.None()))?;
            out.append(instance)?;
        }
        Ok(Some(out))
    }
}

impl ModelBuilder {
    /// Whether every row has one value per column, each exactly its column's type.
    fn fits(&self, py: Python<'_>, rows: &Bound<'_, PyList>) -> PyResult<bool> {
        for row in rows.iter() {
            let row = row.downcast::<PyList>()?;
            if row.len() != self.types.len() {
                return Ok(false);
            }
            for (value, (ty, null_ok)) in row.iter().zip(self.types.iter().zip(&self.nullable)) {
                let fits = if value.is_none() {
                    *null_ok
                } else {
                    value.get_type().is(ty.bind(py))
                };
                if !fits {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}
