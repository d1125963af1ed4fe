"""Instance persistence: what ``Model.save()``, ``delete()`` and ``refresh()`` do (instances.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel

from oxyde.exceptions import ManagerError, NotFoundError
from oxyde.queries.base import SupportsExecute, model_fields, pk_info
from oxyde.queries.payload import update_fields_for, update_payload

__all__ = ["delete", "delete_instance", "refresh", "refresh_instance", "save", "save_instance"]

M = TypeVar("M", bound=BaseModel)


def _copy_into(target: BaseModel, source: BaseModel) -> None:
    """Take the database's view of the row, keeping loaded relation attributes
    (spec defect fix: a joined FK object or prefetched list survives ``save()``)."""
    fields = model_fields(type(target))
    keep = {n for n, f in fields.items() if f.virtual or (f.is_fk and getattr(source, n, None) is None)}
    for name, value in source.__dict__.items():
        if name in keep:
            continue
        target.__dict__[name] = value
    fields_set = getattr(target, "__pydantic_fields_set__", None)
    if isinstance(fields_set, set):
        fields_set.update(n for n in source.model_fields_set if n not in keep)


def _has_pk_value(instance: BaseModel, pk_name: str) -> bool:
    return pk_name in instance.__dict__ and instance.__dict__[pk_name] is not None


async def save_instance(
    instance: M,
    *,
    client: SupportsExecute | None = None,
    using: str | None = None,
    update_fields: Iterable[str] | None = None,
) -> M:
    model = type(instance)
    fields_arg = set(update_fields) if update_fields is not None else None
    pk = pk_info(model)
    if pk is None or not _has_pk_value(instance, pk.name):
        await instance.pre_save(is_create=True, update_fields=fields_arg)  # type: ignore[attr-defined]
        created = await model.objects.create(  # type: ignore[attr-defined]
            instance=instance, using=using, client=client, _skip_hooks=True
        )
        _copy_into(instance, created)
        await instance.post_save(is_create=True, update_fields=fields_arg)  # type: ignore[attr-defined]
        return instance

    await instance.pre_save(is_create=False, update_fields=fields_arg)  # type: ignore[attr-defined]
    chosen = update_fields_for(model, fields_arg)
    values = update_payload(instance, chosen)
    if values:
        key = getattr(instance, pk.name)
        rows = await model.objects.filter(**{pk.name: key}).update(  # type: ignore[attr-defined]
            returning=True, using=using, client=client, **values
        )
        if not rows:
            raise NotFoundError(f"{model.__name__} with {pk.name}={key} not found")
        _copy_into(instance, rows[0])
    await instance.post_save(is_create=False, update_fields=fields_arg)  # type: ignore[attr-defined]
    return instance


async def delete_instance(
    instance: BaseModel, *, client: SupportsExecute | None = None, using: str | None = None
) -> int:
    model = type(instance)
    pk = pk_info(model)
    if pk is None:
        raise ManagerError("delete() requires a primary key")
    key = getattr(instance, pk.name, None)
    if key is None:
        raise ManagerError("delete() requires the instance to have a primary key value")
    await instance.pre_delete()  # type: ignore[attr-defined]
    count: int = await model.objects.filter(**{pk.name: key}).delete(using=using, client=client)  # type: ignore[attr-defined]
    await instance.post_delete()  # type: ignore[attr-defined]
    return count


async def refresh_instance(instance: M, *, client: SupportsExecute | None = None, using: str | None = None) -> M:
    model = type(instance)
    pk = pk_info(model)
    if pk is None:
        raise ManagerError("refresh() requires a primary key")
    key = getattr(instance, pk.name, None)
    if key is None:
        raise ManagerError("refresh() requires the instance to have a primary key value")
    fresh = await model.objects.get(using=using, client=client, **{pk.name: key})  # type: ignore[attr-defined]
    for name, info in model_fields(model).items():
        if info.virtual:
            continue
        setattr(instance, name, getattr(fresh, name, None))
    return instance


# short names for Model methods to delegate to
save = save_instance
delete = delete_instance
refresh = refresh_instance
