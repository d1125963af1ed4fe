"""What every implementation shares: databases, the data set, the workloads and their parameters.

The data set is deterministic so that each implementation (one process each)
reads exactly the same rows: 1000 users, 20 posts per user, 20 tags and two
tags per post. Row values are functions of the row id; workload parameters are
functions of the iteration number ``i``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DATABASES = ("sqlite", "postgres", "mysql")
IMPLEMENTATIONS = ("raw", "oxyde", "sqlalchemy", "tortoise")
BENCH_DB = "oxyde_bench"
SERVER_URLS = {
    "postgres": os.environ.get("OXYDE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
    "mysql": os.environ.get("OXYDE_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}
POOL_SIZE = 10  # every implementation gets the same connection pool bound

USERS = 1000
POSTS_PER_USER = 20
TAGS = 20
POSTS = USERS * POSTS_PER_USER
DELETE_BASE_ID = 10_000_000  # rows delete_single removes are inserted (untimed) from here up
BODY = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 3


def user_row(uid: int) -> tuple[int, str, str, int, bool]:
    return uid, f"user{uid}", f"user{uid}@example.com", 18 + (uid * 7) % 60, uid % 3 != 0


def post_row(pid: int) -> tuple[int, int, str, str, int, bool]:
    author = (pid - 1) // POSTS_PER_USER + 1
    n = (pid - 1) % POSTS_PER_USER
    return pid, author, f"post {author}-{n}", BODY, (author * 31 + n * 17) % 1000, n % 4 != 0


def post_tag_rows(pid: int) -> list[tuple[int, int]]:
    return [(pid, pid % TAGS + 1), (pid, (pid + 7) % TAGS + 1)]


@dataclass(frozen=True)
class Workload:
    name: str
    kind: str  # how a result is fingerprinted: see fingerprint.py
    weight: int = 1  # operations one call counts for (concurrent workloads run many)
    writes: bool = False


CONCURRENCY = (10, 50, 100, 200)
WORKLOADS = [
    Workload("select_pk", "row"),
    Workload("select_filter", "rows"),
    Workload("filter_simple", "rows"),
    Workload("filter_complex", "rows"),
    Workload("filter_in", "rows"),
    Workload("order_limit", "rows"),
    Workload("aggregate_count", "scalar"),
    Workload("aggregate_mixed", "groups"),
    Workload("join_simple", "joined"),
    Workload("join_filter", "joined"),
    Workload("prefetch_related", "prefetch"),
    Workload("nested_prefetch", "nested"),
    *(Workload(f"concurrent_{n}", "many", weight=n) for n in CONCURRENCY),
    # Writes last: reads above always see the seeded data.
    Workload("insert_single", "created", writes=True),
    Workload("insert_bulk_100", "affected", writes=True),
    Workload("update_single", "affected", writes=True),
    Workload("update_bulk", "affected", writes=True),
    Workload("delete_single", "affected", writes=True),
]
BY_NAME = {w.name: w for w in WORKLOADS}


# -- parameters: one definition, used by every implementation ------------------


def pk(i: int) -> int:
    return i % USERS + 1


def age_from(i: int) -> int:
    """select_filter: users with age in [a, a + 5] (about 100 rows)."""
    return 18 + i % 50


def author_of(i: int) -> int:
    return (i * 37) % USERS + 1


def complex_age(i: int) -> int:
    """filter_complex: id <= 300 AND (age < a OR age > a + 40) AND NOT (active = false)."""
    return 25 + i % 10


def in_ids(i: int) -> list[int]:
    """filter_in: 20 scattered ids."""
    return [(i + k * 47) % USERS + 1 for k in range(20)]


def page(i: int) -> int:
    """order_limit: active users by age desc, id; 10 rows from offset 0..99."""
    return i % 100


def count_age(i: int) -> int:
    return 18 + i % 60


def group_users(i: int) -> int:
    """aggregate_mixed: posts of users 1..n grouped by author (count, sum, avg, max of views)."""
    return 40 + i % 20


def post_window(i: int) -> int:
    """join_simple: 20 posts from this id up, each with its author."""
    return (i * 20) % (POSTS - 20) + 1


def prefetch_first(i: int) -> int:
    """prefetch_related: 10 users from this id up with their posts."""
    return (i * 10) % (USERS - 10) + 1


def nested_first(i: int) -> int:
    """nested_prefetch: 5 users with their posts and each post's tags."""
    return (i * 5) % (USERS - 5) + 1


def new_user(i: int, tag: str = "new") -> tuple[str, str, int, bool]:
    return f"{tag}{i}", f"{tag}{i}@example.com", 30 + i % 40, True


def new_age(i: int) -> int:
    return 20 + i % 50
