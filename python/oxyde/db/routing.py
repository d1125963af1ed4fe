"""Which executor runs a query (spec queries.md §2.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oxyde.exceptions import ManagerError

if TYPE_CHECKING:
    from oxyde.queries.base import SupportsExecute

__all__ = ["resolve_client"]


async def resolve_client(using: str | None, client: SupportsExecute | None) -> SupportsExecute:
    """Explicit client → the task's active ``atomic()`` for the alias → the registered pool."""
    if client is not None and using is not None:
        raise ManagerError("Provide either 'client' or 'using', not both")
    if client is not None:
        return client
    alias = using or "default"
    from oxyde.db.transaction import get_active_transaction

    tx = get_active_transaction(alias)
    if tx is not None:
        return tx
    from oxyde.db.registry import get_connection

    return await get_connection(alias)
