"""Field types shared by every app."""

from __future__ import annotations

from django.db import models


class BinaryCharField(models.CharField):
    """Text compared byte by byte: keys built to sort in binary order (``vi_sort_key``) and folded
    names. SQLite's default BINARY collation does that; on PostgreSQL the column gets the "C"
    collation, so the database's locale can neither reorder the keys nor slow their indexes
    (C sorts use memcmp and abbreviated keys; locale sorts call strcoll on every comparison)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class PathField(BinaryCharField):
    """A materialised path ("VN/51/23281/") compared byte by byte.

    Subtree queries are prefix-range scans on a plain B-tree index; that only works when the column
    orders by code point (see ``BinaryCharField``), so that neither locale rules nor LIKE patterns
    defeat the index.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)


def subtree_range(path: str) -> tuple[str, str]:
    """The half-open range [path, end) that holds exactly the paths starting with ``path``."""
    return path, path[:-1] + chr(ord(path[-1]) + 1)


def subtree_q(path: str, field: str = "path") -> models.Q:
    """Q object selecting rows whose ``field`` lies in the subtree rooted at ``path``."""
    lo, hi = subtree_range(path)
    return models.Q(**{f"{field}__gte": lo, f"{field}__lt": hi})


def subtrees_q(paths, field: str = "path") -> models.Q:
    """Union of several subtrees (a user with roles in two communes). Empty input selects nothing."""
    q = models.Q(pk__in=[])
    for p in minimal_paths(paths):
        q |= subtree_q(p, field)
    return q


def minimal_paths(paths) -> list[str]:
    """Drop paths that lie inside another path of the list."""
    out: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(o) for o in out):
            out.append(p)
    return out
