"""Reads of the map. Unit pages pass through ``visible_unit`` so that scope is decided in one place."""

from __future__ import annotations

from django.http import Http404

from xhht.accounts.access import Access, Perm

from .models import AdminUnit, Level, UnitSuccession


def successors_closure(unit_ids: list[int]) -> set[int]:
    """Every unit that (transitively) succeeded any of ``unit_ids``, including themselves."""
    seen = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        nxt = set(
            UnitSuccession.objects.filter(predecessor_id__in=frontier).values_list("successor_id", flat=True)
        )
        frontier = nxt - seen
        seen |= frontier
    return seen


def predecessors_closure(unit_ids: list[int]) -> set[int]:
    seen = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        nxt = set(
            UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True)
        )
        frontier = nxt - seen
        seen |= frontier
    return seen


def can_see_unit(access: Access, unit: AdminUnit, perm: str = Perm.UNIT_VIEW) -> bool:
    """A unit is visible when it lies in the user's scope, or when it is a former unit whose
    territory now lies (at least partly) in the user's scope — its history belongs to them too."""
    if access.has(perm, unit):
        return True
    if unit.valid_to is None or not access.has(perm):
        return False
    # A legacy district has no direct successor: its communes do.
    ids = [unit.pk]
    if unit.level == Level.DISTRICT:
        ids += list(AdminUnit.objects.filter(parent=unit).values_list("pk", flat=True))
    later = AdminUnit.objects.filter(pk__in=successors_closure(ids), valid_to__isnull=True)
    return any(access.has(perm, u) for u in later)


def visible_unit(access: Access, pk: int, perm: str = Perm.UNIT_VIEW) -> AdminUnit:
    """The unit with ``pk`` if the user may see it; otherwise 404 (no hint that it exists)."""
    unit = AdminUnit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None or not can_see_unit(access, unit, perm):
        raise Http404
    return unit


def unit_children(unit: AdminUnit, *, include_former: bool = False):
    qs = AdminUnit.objects.filter(parent=unit)
    if not include_former:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("valid_to", "sort_key")


def unit_history(unit: AdminUnit) -> dict:
    """What the unit was before (predecessors) and what it became (successors), with events."""
    before = (
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor__parent__parent")
        .order_by("predecessor__sort_key")
    )
    after = (
        UnitSuccession.objects.filter(successor__isnull=False, predecessor=unit)
        .select_related("successor__parent")
        .order_by("successor__sort_key")
    )
    child_after = []
    if unit.level == Level.DISTRICT:
        child_after = list(
            UnitSuccession.objects.filter(predecessor__parent=unit)
            .select_related("predecessor", "successor__parent")
            .order_by("predecessor__sort_key")
        )
    return {
        "before": list(before),
        "after": list(after),
        "children_after": child_after,
        "events": list(unit.events.select_related("created_by")),
    }


def search_units(access: Access, text: str, *, limit: int = 50, include_former: bool = True):
    """Units whose name contains every word of ``text`` (diacritics ignored), within the user's scope."""
    matches = AdminUnit.objects.search(text)
    if not include_former:
        matches = matches.filter(valid_to__isnull=True)
    qs = access.scope(matches, Perm.UNIT_VIEW, path_field="path")
    if include_former and not access.is_admin and access.has(Perm.UNIT_VIEW):
        # Former units whose territory now lies in the user's scope belong to their history too.
        roots = AdminUnit.objects.filter(path__in=access.paths_for(Perm.UNIT_VIEW))
        in_scope = access.scope(
            AdminUnit.objects.filter(level__lte=Level.COMMUNE, valid_to__isnull=True),
            Perm.UNIT_VIEW,
            path_field="path",
        )
        ids = set(in_scope.values_list("id", flat=True)) | set(roots.values_list("id", flat=True))
        former = predecessors_closure(list(ids)) - ids
        qs = qs | matches.filter(pk__in=former)
    return list(qs.select_related("parent").order_by("level", "valid_to", "sort_key")[:limit])


def subtree_count(unit: AdminUnit, level: int | None = None, current_only: bool = True) -> int:
    qs = AdminUnit.objects.subtree(unit)
    if level is not None:
        qs = qs.filter(level=level)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    return qs.count()
