"""Thin Python access to the compiled core: the transaction primitives
(spec transactions.md §8.3) and pool helpers. Users import ``oxyde``, not this."""

from __future__ import annotations

from typing import Any

__all__ = [
    "begin_transaction",
    "close_all_pools",
    "close_pool",
    "commit_transaction",
    "create_savepoint",
    "execute",
    "execute_in_transaction",
    "init_pool",
    "pool_backend",
    "release_savepoint",
    "render",
    "rollback_to_savepoint",
    "rollback_transaction",
]


def __getattr__(name: str) -> Any:
    # lazy, so ``oxyde.core.errors`` imports even where the extension is not built
    if name in __all__:
        from oxyde import _core

        return getattr(_core, name)
    raise AttributeError(f"module 'oxyde.core' has no attribute '{name}'")
