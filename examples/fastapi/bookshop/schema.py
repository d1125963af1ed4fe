"""Creating the bookshop's tables, for the tests and a first try.

``oxyde.create_tables`` creates every registered table model of the process;
this creates only the bookshop's two tables. A real deployment runs migrations
instead (``oxyde makemigrations`` / ``oxyde migrate``).
"""

from __future__ import annotations

from bookshop.models import Author, Book
from oxyde import get_connection
from oxyde.db.schema import dialect_of, foreign_key_ops, table_ops

MODELS = (Author, Book)  # referenced tables first


async def create_schema() -> None:
    database = await get_connection()
    dialect = dialect_of(database)
    for model in MODELS:
        for op in table_ops(model, dialect):
            await database.execute(op)
    for model in MODELS:  # foreign keys once every table exists (inline on SQLite)
        for op in foreign_key_ops(model, dialect):
            await database.execute(op)
