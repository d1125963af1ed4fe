"""The global table-model registry (spec models.md §12)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oxyde.exceptions import FieldLookupError

if TYPE_CHECKING:
    from oxyde.models.base import Model

__all__ = [
    "assert_no_pending_models",
    "clear_registry",
    "finalize_pending",
    "iter_tables",
    "lookup_model",
    "register_table",
    "registered_tables",
    "unregister_table",
]

_REGISTRY: dict[str, type[Any]] = {}
_PENDING: dict[str, type[Any]] = {}


def _key(model: type[Any]) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def register_table(model: type[Model], *, overwrite: bool = False) -> None:
    key = _key(model)
    existing = _REGISTRY.get(key)
    if existing is model:
        return
    if existing is not None and not overwrite:
        raise ValueError(f"Table '{key}' is already registered")
    _REGISTRY[key] = model
    _PENDING[key] = model


def unregister_table(model: type[Model]) -> None:
    key = _key(model)
    if _REGISTRY.get(key) is model:
        del _REGISTRY[key]
    if _PENDING.get(key) is model:
        del _PENDING[key]


def registered_tables() -> dict[str, type[Model]]:
    return dict(_REGISTRY)


def iter_tables() -> tuple[type[Model], ...]:
    return tuple(_REGISTRY.values())


def clear_registry() -> None:
    _REGISTRY.clear()
    _PENDING.clear()


def finalize_pending() -> None:
    """Finalize every pending model; those with unresolved forward refs stay pending."""
    for key, model in list(_PENDING.items()):
        finalize = getattr(model, "_finalize_db_meta", None)
        if finalize is None or finalize():
            _PENDING.pop(key, None)


def assert_no_pending_models() -> None:
    finalize_pending()
    if _PENDING:
        names = ", ".join(m.__name__ for m in _PENDING.values())
        raise RuntimeError(f"Models not finalized (unresolved forward refs?): {names}")


def lookup_model(name: str) -> type[Model]:
    """``"Author"`` or ``"app.models.Author"`` → the registered class."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    for key, model in _REGISTRY.items():
        if key.endswith(f".{name}") or model.__name__ == name:
            return model
    raise FieldLookupError(f"Related model '{name}' is not registered")
