"""Where a count goes: leaf keys and the units a leaf rolls up into, across the 2025 reform.

A *leaf key* is the commune-level (or higher) unit a fact was recorded at: a village's facts count for
its commune. A leaf key rolls up into
- its ancestors as recorded (a legacy commune into its legacy district and province);
- forward: for a legacy unit, the ancestors of its default successor (today's commune or province),
  so historic figures appear under today's units;
- backward: for today's unit, the ancestors of the finest legacy unit that contains all of its
  predecessors (a legacy district or commune), so today's figures appear for a former territory such
  as the Kon Tum plan's ``VN/L62/``.
"""

from __future__ import annotations

import threading

from django.db.models.signals import post_delete, post_save

_lock = threading.Lock()
_cache: UnitMap | None = None


def prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def common_prefix(paths: list[str]) -> str:
    split = [p.strip("/").split("/") for p in paths]
    out = []
    for segs in zip(*split, strict=False):
        if len(set(segs)) != 1:
            break
        out.append(segs[0])
    return "/".join(out) + "/" if out else ""


class UnitMap:
    def __init__(self):
        from xhht.geo.models import AdminUnit, UnitSuccession

        self.units: dict[str, tuple[int, int, bool]] = {}  # path -> (id, level, legacy)
        by_id: dict[int, str] = {}
        for pk, path, level, valid_to in AdminUnit.objects.filter(level__lte=3).values_list(
            "pk", "path", "level", "valid_to"
        ):
            self.units[path] = (pk, level, valid_to is not None)
            by_id[pk] = path
        self.forward: dict[str, str] = {}
        preds: dict[str, list[str]] = {}
        for p, s, is_default in UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id", "is_default"
        ):
            pp, sp = by_id.get(p), by_id.get(s)
            if pp is None or sp is None:
                continue
            if is_default or pp not in self.forward:
                self.forward[pp] = sp
            preds.setdefault(sp, []).append(pp)
        self.backward: dict[str, str] = {}
        for sp, pps in preds.items():
            cp = common_prefix(pps)
            if cp.count("/") > 1:  # below the country
                self.backward[sp] = cp
        self._targets: dict[str, tuple[str, ...]] = {}
        self.communes = {p for p, (_, lvl, _) in self.units.items() if lvl == 3}

    def leaf_key(self, path: str) -> str:
        p = path
        while p and p not in self.units:
            p = p[: p.rstrip("/").rfind("/") + 1]
        return p or path

    def is_legacy(self, path: str) -> bool:
        u = self.units.get(path)
        return bool(u and u[2])

    def successor(self, key: str) -> str | None:
        """Today's unit carrying a legacy key's figures (the deepest ancestor with a successor)."""
        if not self.is_legacy(key):
            return None
        for anc in reversed(prefixes(key)):
            s = self.forward.get(anc)
            if s is not None:
                seen = {s}
                while self.is_legacy(s) and s in self.forward and self.forward[s] not in seen:
                    s = self.forward[s]
                    seen.add(s)
                return s
        return None

    def former(self, key: str) -> str | None:
        """The finest legacy unit that holds today's key (its predecessors' common ancestor)."""
        if self.is_legacy(key):
            return None
        for anc in reversed(prefixes(key)):
            b = self.backward.get(anc)
            if b is not None:
                return b
        return None

    def carried_into(self, key: str) -> list[str]:
        """Former communes whose historic figures today's commune ``key`` carries."""
        rev = getattr(self, "_carried", None)
        if rev is None:
            rev = {}
            for p in self.communes:
                if self.is_legacy(p):
                    s = self.successor(p)
                    if s:
                        rev.setdefault(s, []).append(p)
            self._carried = rev
        return rev.get(key, [])

    def targets(self, key: str) -> tuple[str, ...]:
        t = self._targets.get(key)
        if t is None:
            out = set(prefixes(key))
            s = self.successor(key)
            if s:
                out.update(prefixes(s))
            b = self.former(key)
            if b:
                out.update(prefixes(b))
            t = self._targets[key] = tuple(sorted(out))
        return t


def unit_map() -> UnitMap:
    global _cache
    m = _cache
    if m is None:
        with _lock:
            if _cache is None:
                _cache = UnitMap()
            m = _cache
    return m


def invalidate(**kwargs) -> None:
    global _cache
    _cache = None


def connect_signals() -> None:
    from xhht.geo.models import AdminUnit, UnitSuccession

    for model in (AdminUnit, UnitSuccession):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"analytics-map-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"analytics-map-{model.__name__}-del")
