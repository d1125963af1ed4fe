"""Which executor runs a query (spec queries.md §2.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oxyde.db.registry import get_connection, lookup_connection
from oxyde.db.transaction import get_active_transaction
from oxyde.exceptions import ManagerError

if TYPE_CHECKING:
    from oxyde.queries.base import SupportsExecute

__all__ = ["ready_client", "resolve_client"]


async def resolve_client(using: str | None, client: SupportsExecute | None) -> SupportsExecute:
    """Explicit client → the task's active ``atomic()`` for the alias → the registered pool."""
    found = ready_client(using, client)
    if found is not None:
        return found
    return await get_connection(using or "default")


def ready_client(using: str | None, client: SupportsExecute | None) -> SupportsExecute | None:
    """``resolve_client`` without waiting: ``None`` when the pool must connect first."""
    if client is not None:
        if using is not None:
            raise ManagerError("Provide either 'client' or 'using', not both")
        return client
    alias = using or "default"
    tx = get_active_transaction(alias)
    if tx is not None:
        return tx
    database = lookup_connection(alias)
    return database if database.connected else None
