"""Reads of the counts: measure values for units and years, indicator values (num / den × 100).

Units at commune level and above are read from ``Fact`` (one indexed lookup per measure-year); a
village is counted live over its own rows (``measures`` with an exact-path scope).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import measures as M
from .mapping import unit_map
from .models import Fact


def measure_values(paths: Iterable[str], measure_codes: Iterable[str], years: Iterable[int]) -> dict:
    """``{(measure, year, path): value}`` (snapshot measures are stored under year 0 and returned
    for every requested year)."""
    paths, codes, years = list(dict.fromkeys(paths)), list(dict.fromkeys(measure_codes)), list(years)
    umap = unit_map()
    stored = [p for p in paths if p in umap.units]
    live = [p for p in paths if p not in umap.units]
    raw: dict = defaultdict(int)
    if stored and codes:
        want_years = set(years) | {0}
        qs = Fact.objects.filter(path__in=stored, measure__in=codes, year__in=want_years)
        # a plain fetch: a few thousand rows at most, and on PostgreSQL .iterator() would open a
        # server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips per dashboard)
        for m, y, p, v in qs.values_list("measure", "year", "path", "value"):
            raw[(m, y, p)] = v
    # live figures: one statement per family for all the requested villages of a commune (a
    # statement per village and family made a commune dashboard run ~200 statements)
    by_leaf: dict[str, list[str]] = defaultdict(list)
    for p in live:
        by_leaf[umap.leaf_key(p)].append(p)
    fams = {id(M.family_of(c)): M.family_of(c) for c in codes} if live else {}
    for leaf, group in by_leaf.items():
        wanted = set(group)
        scope = M.Scope(keys=[leaf], commune_keys=umap.communes, exact=group)
        for fam in fams.values():
            for m, path, y, v in fam.rows(scope=scope):
                if path in wanted:
                    raw[(m, y, path)] += v
    out = {}
    snaps = {c: M.is_snapshot(c) for c in codes}
    get = raw.get
    for p in paths:
        for c in codes:
            if snaps[c]:
                v = get((c, 0, p), 0)
                for y in years:
                    out[(c, y, p)] = v
            else:
                for y in years:
                    out[(c, y, p)] = get((c, y, p), 0)
    return out


@dataclass
class IndicatorValue:
    numerator: int
    denominator: int | None
    registered: int | None
    value: Decimal | None  # percent (2 decimals) or count

    @property
    def display(self) -> str:
        return "—" if self.value is None else f"{self.value}"


def indicator_value(ind, vals: dict, year: int, path: str) -> IndicatorValue:
    num = vals.get((ind.numerator, year, path), 0)
    den = vals.get((ind.denominator, year, path)) if ind.denominator else None
    reg = vals.get((ind.registered, year, path)) if ind.registered else None
    if ind.unit == "percent":
        value = (Decimal(num * 100) / Decimal(den)).quantize(Decimal("0.01")) if den else None
    else:
        value = Decimal(num)
    return IndicatorValue(num, den, reg, value)


def indicator_values(indicators, paths: Iterable[str], years: Iterable[int]) -> dict:
    """``{(indicator code, year, path): IndicatorValue}``."""
    paths, years = list(paths), list(years)
    codes = {m for ind in indicators for m in ind.measures()}
    vals = measure_values(paths, codes, years)
    return {
        (ind.code, y, p): indicator_value(ind, vals, y, p) for ind in indicators for y in years for p in paths
    }
