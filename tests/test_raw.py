"""execute_raw against real databases."""

from __future__ import annotations

from oxyde import Field, Model, execute_raw


class RNote(Model):
    id: int | None = Field(default=None, db_pk=True)
    body: str
    votes: int = 0

    class Meta:
        is_table = True
        table_name = "q_r_note"


def ph(dialect: str, n: int) -> str:
    return f"${n}" if dialect == "postgres" else "?"


async def test_execute_raw_reads_and_writes(database: object, dialect: str) -> None:
    await RNote.objects.bulk_create([RNote(body="a", votes=1), RNote(body="b", votes=5)])
    rows = await execute_raw(f"SELECT body, votes FROM q_r_note WHERE votes > {ph(dialect, 1)} ORDER BY votes", [0])
    assert rows == [{"body": "a", "votes": 1}, {"body": "b", "votes": 5}]
    assert await execute_raw(f"UPDATE q_r_note SET votes = votes + 1 WHERE body = {ph(dialect, 1)}", ["a"]) == []
    assert (await RNote.objects.get(body="a")).votes == 2
    assert await execute_raw("SELECT 1 AS one") == [{"one": 1}]
