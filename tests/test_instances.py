"""Instance save / delete / refresh and lifecycle hooks against real databases."""

from __future__ import annotations

from typing import ClassVar

import pytest

from oxyde import Field, Model
from oxyde.exceptions import FieldError, ManagerError, NotFoundError


class INote(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str
    slug: str = ""
    views: int = 0

    calls: ClassVar[list[tuple]] = []

    class Meta:
        is_table = True
        table_name = "q_i_note"

    async def pre_save(self, *, is_create: bool, update_fields: set[str] | None = None) -> None:
        INote.calls.append(("pre_save", is_create, update_fields))
        self.slug = self.title.lower().replace(" ", "-")

    async def post_save(self, *, is_create: bool, update_fields: set[str] | None = None) -> None:
        INote.calls.append(("post_save", is_create, update_fields))

    async def pre_delete(self) -> None:
        INote.calls.append(("pre_delete",))

    async def post_delete(self) -> None:
        INote.calls.append(("post_delete",))


class INoPk(Model):
    label: str

    class Meta:
        is_table = True
        table_name = "q_i_nopk"


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    INote.calls.clear()


async def test_save_inserts_then_updates(database: object) -> None:
    note = INote(title="Hello World")
    assert await note.save() is note
    assert isinstance(note.id, int)
    assert note.slug == "hello-world"  # set in pre_save, persisted
    assert INote.calls == [("pre_save", True, None), ("post_save", True, None)]
    stored = await INote.objects.get(id=note.id)
    assert stored.slug == "hello-world"

    INote.calls.clear()
    note.title = "Second Title"
    note.views = 3
    await note.save()
    assert INote.calls == [("pre_save", False, None), ("post_save", False, None)]
    stored = await INote.objects.get(id=note.id)
    assert (stored.title, stored.slug, stored.views) == ("Second Title", "second-title", 3)
    assert await INote.objects.count() == 1


async def test_save_update_fields_writes_only_those(database: object) -> None:
    note = await INote.objects.create(title="a")
    note.title, note.views = "b", 9
    await note.save(update_fields=["views"])
    stored = await INote.objects.get(id=note.id)
    assert (stored.title, stored.views) == ("a", 9)
    assert ("pre_save", False, {"views"}) in INote.calls
    with pytest.raises(FieldError, match="Invalid update_fields for INote: nope, zzz"):
        await note.save(update_fields=["zzz", "nope"])


async def test_save_of_deleted_row_is_not_found(database: object) -> None:
    note = await INote.objects.create(title="gone")
    assert await note.delete() == 1
    assert INote.calls[-2:] == [("pre_delete",), ("post_delete",)]
    assert note.id is not None
    assert await note.delete() == 0
    with pytest.raises(NotFoundError, match=f"INote with id={note.id} not found"):
        await note.save()


async def test_refresh(database: object) -> None:
    note = await INote.objects.create(title="r")
    await INote.objects.filter(id=note.id).update(views=42)
    assert note.views == 0
    assert await note.refresh() is note
    assert note.views == 42
    await INote.objects.filter(id=note.id).delete()
    with pytest.raises(NotFoundError):
        await note.refresh()


async def test_pk_errors(database: object) -> None:
    with pytest.raises(ManagerError, match="delete\\(\\) requires the instance to have a primary key value"):
        await INote(title="x").delete()
    with pytest.raises(ManagerError, match="refresh\\(\\) requires the instance to have a primary key value"):
        await INote(title="x").refresh()
    with pytest.raises(ManagerError, match="delete\\(\\) requires a primary key"):
        await INoPk(label="x").delete()
    with pytest.raises(ManagerError, match="refresh\\(\\) requires a primary key"):
        await INoPk(label="x").refresh()


async def test_create_runs_hooks_unless_skipped(database: object) -> None:
    await INote.objects.create(title="Hook Me")
    assert INote.calls == [("pre_save", True, None), ("post_save", True, None)]
    INote.calls.clear()
    await INote.objects.create(title="quiet", _skip_hooks=True)
    assert INote.calls == []
