"""The bookshop API: CRUD for authors, books created in one transaction per request.

Run it with ``uvicorn bookshop.app:app`` from ``examples/fastapi``. The database
is ``BOOKSHOP_DATABASE_URL`` (default: ``bookshop.db`` in the working directory);
``BOOKSHOP_CREATE_TABLES=1`` creates the tables on startup, for a first run.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi.responses import JSONResponse

from bookshop.models import Author, AuthorIn, AuthorOut, AuthorPatch, Book, BookIn, BookOut, Page
from bookshop.schema import create_schema
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from oxyde import IntegrityError, NotFoundError, db
from oxyde.db import transaction


async def atomic_request() -> AsyncIterator[None]:
    """Run the endpoint in one transaction: commit on success, roll back on any exception.

    Used with ``scope="function"`` so the commit happens before the response is
    sent: a failed commit becomes an error response, never a false success.
    """
    async with transaction.atomic():
        yield


Atomic = Depends(atomic_request, scope="function")


def create_app(database_url: str, *, create_tables: bool = False) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # db.lifespan opens the pool on startup and closes every pool on shutdown.
        async with db.lifespan(default=database_url)(app):
            if create_tables:
                await create_schema()
            yield

    app = FastAPI(title="Bookshop", lifespan=lifespan)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(IntegrityError, conflict)
    _routes(app)
    return app


async def not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def conflict(request: Request, exc: Exception) -> JSONResponse:
    # IntegrityError covers every constraint; the core message names it, which is
    # fine for this example but may say more about the schema than a public API should.
    return JSONResponse({"detail": "conflict with an existing row", "error": exc.code}, status_code=409)


def _routes(app: FastAPI) -> None:
    @app.get("/authors")
    async def list_authors(
        limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0)] = 0
    ) -> Page:
        authors = await Author.objects.order_by("id").offset(offset).limit(limit).all()
        total = await Author.objects.count()
        items = [AuthorOut(id=a.id, name=a.name) for a in authors]
        return Page(total=total, limit=limit, offset=offset, items=items)

    @app.post("/authors", status_code=201, dependencies=[Atomic])
    async def add_author(body: AuthorIn) -> AuthorOut:
        author = await Author.objects.create(**body.model_dump())
        return AuthorOut(id=author.id, name=author.name)

    @app.get("/authors/{author_id}")
    async def get_author(author_id: int) -> AuthorOut:
        author = await Author.objects.get(id=author_id)  # NotFoundError -> 404
        return AuthorOut(id=author.id, name=author.name)

    @app.patch("/authors/{author_id}", dependencies=[Atomic])
    async def rename_author(author_id: int, body: AuthorPatch) -> AuthorOut:
        author = await Author.objects.get(id=author_id)
        if body.name is not None:
            author.name = body.name
            await author.save()  # a duplicate name raises an IntegrityError -> 409
        return AuthorOut(id=author.id, name=author.name)

    @app.delete("/authors/{author_id}", status_code=204, dependencies=[Atomic])
    async def delete_author(author_id: int) -> Response:
        if await Author.objects.filter(id=author_id).delete() == 0:
            raise HTTPException(404, f"no author with id {author_id}")
        return Response(status_code=204)

    @app.get("/authors/{author_id}/books")
    async def list_books(author_id: int) -> list[BookOut]:
        await Author.objects.get(id=author_id)
        books = await Book.objects.filter(author_id=author_id).order_by("id").all()
        return [BookOut(id=b.id, title=b.title, isbn=b.isbn, year=b.year, author_id=author_id) for b in books]

    @app.post("/authors/{author_id}/books", status_code=201, dependencies=[Atomic])
    async def add_books(author_id: int, body: list[BookIn]) -> list[BookOut]:
        """All or nothing: one duplicate ISBN rolls back every book of the request."""
        await Author.objects.get(id=author_id)
        created = []
        for item in body:
            book = await Book.objects.create(author_id=author_id, **item.model_dump())
            created.append(BookOut(id=book.id, author_id=author_id, **item.model_dump()))
        return created


app = create_app(
    os.environ.get("BOOKSHOP_DATABASE_URL", "sqlite:///bookshop.db"),
    create_tables=os.environ.get("BOOKSHOP_CREATE_TABLES") == "1",
)
