"""Changes officers make to the map inside their commune: villages and residential groups.

Every change is dated; old units are never deleted — they get ``valid_to`` and a succession link.
Apps that hold records placed in villages listen to ``villages_succeeded`` to carry current
residents forward (keeping the history of where they lived).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from xhht.accounts.access import Perm, access_for

from .models import VILLAGE_KINDS, AdminUnit, Kind, Level, SuccessionKind, UnitEvent, UnitSuccession

# sent with predecessors=[AdminUnit], successors=[AdminUnit], effective=date, kind=str
villages_succeeded = Signal()


def _check_commune(actor, commune: AdminUnit) -> None:
    access_for(actor).require(Perm.UNIT_MANAGE_VILLAGES, commune)
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError("Chỉ tạo thôn, tổ dân phố trong một xã, phường, đặc khu đang có hiệu lực.")


def _check_village(actor, village: AdminUnit, on: dt.date) -> None:
    access_for(actor).require(Perm.UNIT_MANAGE_VILLAGES, village)
    if village.level != Level.VILLAGE:
        raise ValidationError("Đơn vị này không phải thôn hoặc tổ dân phố.")
    if village.valid_to is not None:
        raise ValidationError(f"{village.name} đã hết hiệu lực từ sau ngày {village.valid_to:%d/%m/%Y}.")
    if village.valid_from and on <= village.valid_from:
        raise ValidationError(
            f"Ngày hiệu lực phải sau ngày thành lập {village.name} ({village.valid_from:%d/%m/%Y})."
        )


def _next_village_code(commune: AdminUnit) -> str:
    prefix = f"T{commune.code}"
    last = (
        AdminUnit.objects.filter(parent=commune, code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _new_village(commune: AdminUnit, name: str, kind: str, on: dt.date) -> AdminUnit:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Tên thôn, tổ dân phố không được để trống."})
    if kind not in VILLAGE_KINDS:
        raise ValidationError({"kind": "Loại đơn vị phải là thôn hoặc tổ dân phố."})
    clash = (
        AdminUnit.objects.filter(parent=commune, valid_to__isnull=True).search(name).filter(name__iexact=name)
    )
    if clash.exists():
        raise ValidationError({"name": f"Xã đã có một đơn vị đang hoạt động tên “{name}”."})
    code = _next_village_code(commune)
    unit = AdminUnit(
        code=code,
        name=name,
        kind=kind,
        level=Level.VILLAGE,
        parent=commune,
        path=f"{commune.path}{code}/",
        valid_from=on,
        source="officer",
    )
    unit.save()
    return unit


@transaction.atomic
def village_create(
    *,
    actor,
    commune: AdminUnit,
    name: str,
    kind: str = Kind.VILLAGE,
    effective: dt.date | None = None,
    legal_basis: str = "",
) -> AdminUnit:
    _check_commune(actor, commune)
    on = effective or dt.date.today()
    unit = _new_village(commune, name, kind, on)
    UnitEvent.objects.create(
        unit=unit,
        type=UnitEvent.Type.CREATE,
        effective=on,
        new_name=unit.name,
        legal_basis=legal_basis,
        created_by=actor,
    )
    return unit


@transaction.atomic
def village_rename(
    *, actor, village: AdminUnit, new_name: str, effective: dt.date | None = None, legal_basis: str = ""
) -> AdminUnit:
    """Rename keeps the unit (and everything attached to it); the old name stays in its history."""
    village = AdminUnit.objects.select_for_update().get(pk=village.pk)
    on = effective or dt.date.today()
    _check_village(actor, village, on)
    new_name = (new_name or "").strip()
    if not new_name or new_name == village.name:
        raise ValidationError({"new_name": "Tên mới phải khác tên hiện tại và không để trống."})
    old = village.name
    village.name = new_name
    village.save()
    UnitEvent.objects.create(
        unit=village,
        type=UnitEvent.Type.RENAME,
        effective=on,
        old_name=old,
        new_name=village.name,
        legal_basis=legal_basis,
        created_by=actor,
    )
    return village


def _retire(village: AdminUnit, on: dt.date) -> None:
    village.valid_to = on - dt.timedelta(days=1)
    village.save(update_fields=["valid_to"])


@transaction.atomic
def villages_merge(
    *,
    actor,
    villages: list[AdminUnit],
    name: str,
    kind: str = Kind.VILLAGE,
    effective: dt.date | None = None,
    legal_basis: str = "",
) -> AdminUnit:
    """Merge two or more villages of one commune into a new one. The old ones stay, ended the day before."""
    on = effective or dt.date.today()
    villages = list(AdminUnit.objects.select_for_update().filter(pk__in=[v.pk for v in villages]))
    if len(villages) < 2:
        raise ValidationError("Cần chọn ít nhất hai thôn, tổ dân phố để sáp nhập.")
    for v in villages:
        _check_village(actor, v, on)
    if len({v.parent_id for v in villages}) != 1:
        raise ValidationError("Chỉ sáp nhập các thôn, tổ dân phố trong cùng một xã.")
    commune = villages[0].parent
    for v in villages:
        _retire(v, on)
    merged = _new_village(commune, name, kind, on)
    for v in villages:
        UnitSuccession.objects.create(
            predecessor=v, successor=merged, effective=on, kind=SuccessionKind.MERGE
        )
        UnitEvent.objects.create(
            unit=v,
            type=UnitEvent.Type.MERGE,
            effective=on,
            old_name=v.name,
            new_name=merged.name,
            legal_basis=legal_basis,
            created_by=actor,
        )
    UnitEvent.objects.create(
        unit=merged,
        type=UnitEvent.Type.CREATE,
        effective=on,
        new_name=merged.name,
        legal_basis=legal_basis,
        created_by=actor,
        note="Sáp nhập từ: " + ", ".join(v.name for v in villages),
    )
    villages_succeeded.send(
        sender=AdminUnit, predecessors=villages, successors=[merged], effective=on, kind=SuccessionKind.MERGE
    )
    return merged


@transaction.atomic
def village_split(
    *,
    actor,
    village: AdminUnit,
    names: list[str],
    kind: str = Kind.VILLAGE,
    effective: dt.date | None = None,
    legal_basis: str = "",
) -> list[AdminUnit]:
    """Split a village into two or more new ones; the first is the default successor for its records."""
    on = effective or dt.date.today()
    village = AdminUnit.objects.select_for_update().get(pk=village.pk)
    _check_village(actor, village, on)
    names = [n.strip() for n in names if n and n.strip()]
    if len(names) < 2:
        raise ValidationError({"names": "Cần ít nhất hai tên đơn vị mới khi chia tách."})
    if len(set(names)) != len(names):
        raise ValidationError({"names": "Tên các đơn vị mới không được trùng nhau."})
    _retire(village, on)
    parts = [_new_village(village.parent, n, kind, on) for n in names]
    for i, p in enumerate(parts):
        UnitSuccession.objects.create(
            predecessor=village,
            successor=p,
            effective=on,
            kind=SuccessionKind.SPLIT,
            partial=True,
            is_default=(i == 0),
        )
        UnitEvent.objects.create(
            unit=p,
            type=UnitEvent.Type.CREATE,
            effective=on,
            new_name=p.name,
            legal_basis=legal_basis,
            created_by=actor,
            note=f"Chia tách từ {village.name}",
        )
    UnitEvent.objects.create(
        unit=village,
        type=UnitEvent.Type.SPLIT,
        effective=on,
        old_name=village.name,
        new_name=", ".join(names),
        legal_basis=legal_basis,
        created_by=actor,
    )
    villages_succeeded.send(
        sender=AdminUnit, predecessors=[village], successors=parts, effective=on, kind=SuccessionKind.SPLIT
    )
    return parts
