"""The bookshop API through HTTP (httpx + ASGI), on a fresh SQLite file per test.

ASGITransport does not run the lifespan, so the ``client`` fixture enters the
app's lifespan itself: the pool opens and the tables are created exactly as
they would be under a server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from bookshop.app import Atomic, create_app
from bookshop.models import Author, Book

from fastapi import FastAPI
from oxyde import db, execute_raw


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(f"sqlite:///{tmp_path / 'bookshop.db'}", create_tables=True)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def add_author(client: httpx.AsyncClient, name: str) -> int:
    response = await client.post("/authors", json={"name": name})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_create_then_get_author(client: httpx.AsyncClient) -> None:
    author_id = await add_author(client, "Ursula K. Le Guin")
    response = await client.get(f"/authors/{author_id}")
    assert response.status_code == 200
    assert response.json() == {"id": author_id, "name": "Ursula K. Le Guin"}
    stored = await Author.objects.get(id=author_id)
    assert stored.name == "Ursula K. Le Guin"


async def test_unknown_author_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/authors/999")
    assert response.status_code == 404
    assert "not found" in response.json()["detail"]
    assert (await client.patch("/authors/999", json={"name": "x"})).status_code == 404
    assert (await client.delete("/authors/999")).status_code == 404
    assert (await client.get("/authors/999/books")).status_code == 404


async def test_duplicate_author_name_is_409_and_not_stored(client: httpx.AsyncClient) -> None:
    await add_author(client, "Octavia E. Butler")
    response = await client.post("/authors", json={"name": "Octavia E. Butler"})
    assert response.status_code == 409
    assert response.json()["error"] == "unique_violation"
    assert await Author.objects.filter(name="Octavia E. Butler").count() == 1


async def test_rename_author(client: httpx.AsyncClient) -> None:
    author_id = await add_author(client, "Iain Banks")
    response = await client.patch(f"/authors/{author_id}", json={"name": "Iain M. Banks"})
    assert response.status_code == 200
    assert response.json() == {"id": author_id, "name": "Iain M. Banks"}
    assert (await Author.objects.get(id=author_id)).name == "Iain M. Banks"


async def test_rename_to_a_taken_name_is_409_and_keeps_the_old_name(client: httpx.AsyncClient) -> None:
    first = await add_author(client, "Stanislaw Lem")
    second = await add_author(client, "Arkady Strugatsky")
    response = await client.patch(f"/authors/{second}", json={"name": "Stanislaw Lem"})
    assert response.status_code == 409
    assert (await Author.objects.get(id=second)).name == "Arkady Strugatsky"
    assert (await Author.objects.get(id=first)).name == "Stanislaw Lem"


async def test_delete_author_removes_the_row_and_its_books(client: httpx.AsyncClient) -> None:
    author_id = await add_author(client, "Philip K. Dick")
    books = [{"title": "Ubik", "isbn": "978-0-547-57229-1", "year": 1969}]
    assert (await client.post(f"/authors/{author_id}/books", json=books)).status_code == 201
    response = await client.delete(f"/authors/{author_id}")
    assert response.status_code == 204
    assert await Author.objects.filter(id=author_id).count() == 0
    assert await Book.objects.count() == 0  # ON DELETE CASCADE
    assert (await client.get(f"/authors/{author_id}")).status_code == 404


async def test_pagination_pages_through_authors_in_id_order(client: httpx.AsyncClient) -> None:
    names = [f"Author {i:02}" for i in range(7)]
    ids = [await add_author(client, name) for name in names]
    pages = []
    for offset in (0, 3, 6):
        response = await client.get("/authors", params={"limit": 3, "offset": offset})
        assert response.status_code == 200
        body = response.json()
        assert (body["total"], body["limit"], body["offset"]) == (7, 3, offset)
        pages.append([item["id"] for item in body["items"]])
    assert pages == [ids[0:3], ids[3:6], ids[6:7]]
    past_the_end = await client.get("/authors", params={"limit": 3, "offset": 7})
    assert past_the_end.json()["items"] == []


async def test_pagination_parameters_are_validated(client: httpx.AsyncClient) -> None:
    assert (await client.get("/authors", params={"limit": 0})).status_code == 422
    assert (await client.get("/authors", params={"limit": 101})).status_code == 422
    assert (await client.get("/authors", params={"offset": -1})).status_code == 422


async def test_books_are_created_and_listed(client: httpx.AsyncClient) -> None:
    author_id = await add_author(client, "N. K. Jemisin")
    books = [
        {"title": "The Fifth Season", "isbn": "978-0-316-22929-6", "year": 2015},
        {"title": "The Obelisk Gate", "isbn": "978-0-316-22926-5", "year": 2016},
    ]
    created = await client.post(f"/authors/{author_id}/books", json=books)
    assert created.status_code == 201
    listed = await client.get(f"/authors/{author_id}/books")
    assert listed.status_code == 200
    assert [(b["title"], b["isbn"], b["year"], b["author_id"]) for b in listed.json()] == [
        (b["title"], b["isbn"], b["year"], author_id) for b in books
    ]
    assert [b["id"] for b in listed.json()] == [b["id"] for b in created.json()]


async def test_failed_request_rolls_back_everything_it_wrote(client: httpx.AsyncClient) -> None:
    author_id = await add_author(client, "Ted Chiang")
    books = [
        {"title": "Stories of Your Life", "isbn": "978-0-765-30418-5"},
        {"title": "Exhalation", "isbn": "978-1-101-94788-3"},
        {"title": "Exhalation, again", "isbn": "978-1-101-94788-3"},  # duplicate ISBN
    ]
    response = await client.post(f"/authors/{author_id}/books", json=books)
    assert response.status_code == 409
    # the atomic dependency rolled back the two books inserted before the conflict
    assert await Book.objects.count() == 0
    retry = await client.post(f"/authors/{author_id}/books", json=books[:2])
    assert retry.status_code == 201
    assert await Book.objects.filter(author_id=author_id).count() == 2


async def test_books_for_an_unknown_author_are_404_and_write_nothing(client: httpx.AsyncClient) -> None:
    response = await client.post("/authors/42/books", json=[{"title": "Nobody's", "isbn": "978-0-000-00000-0"}])
    assert response.status_code == 404
    assert await Book.objects.count() == 0


async def test_shutdown_closes_the_pool(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'bookshop.db'}", create_tables=True)
    async with app.router.lifespan_context(app):
        assert await Author.objects.count() == 0
    with pytest.raises(KeyError, match="default"):
        await Author.objects.count()
    assert db.get_active_transaction() is None


async def test_startup_fails_on_an_unusable_database(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'missing-dir' / 'bookshop.db'}")
    with pytest.raises(RuntimeError):
        async with app.router.lifespan_context(app):
            pass


async def test_a_failed_commit_is_an_error_response_not_a_success(app: FastAPI, client: httpx.AsyncClient) -> None:
    # SQLite checks deferred foreign keys at COMMIT: the insert succeeds and the commit fails.
    # Were the commit after the response (scope="request"), the client would see a 201.
    @app.post("/orphan", status_code=201, dependencies=[Atomic])
    async def orphan() -> dict[str, int]:
        await execute_raw("PRAGMA defer_foreign_keys = ON")
        book = await Book.objects.create(title="Orphan", isbn="978-0-000-00001-7", author_id=999)
        return {"id": int(book.id or 0)}

    response = await client.post("/orphan")
    assert response.status_code == 409
    assert response.json()["error"] == "foreign_key_violation"
    assert await Book.objects.count() == 0
