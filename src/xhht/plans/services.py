"""Writes of the plans app: loading the shipped plans, aggregate data entry and approval, tasks,
commendations. Keyword-only functions, one transaction, permission checked first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for
from xhht.core.params import INT64_MAX
from xhht.geo.models import AdminUnit

from .models import (
    Commendation,
    Content,
    DataElement,
    DataEntry,
    DataSet,
    DataValue,
    EntryStatus,
    Indicator,
    Phase,
    Plan,
    PlanTask,
    Target,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_VALUE_MAX = INT64_MAX  # DataValue.value is a 64-bit integer


# --- Loading the shipped catalogue and plans -----------------------------------------------------


def _unit(path: str | None) -> AdminUnit | None:
    if not path:
        return None
    return AdminUnit.objects.filter(path=path).first()


@transaction.atomic
def load_catalogue(*, data_dir: Path = DATA_DIR) -> dict:
    """Indicators and data sets from YAML (idempotent: rows are updated in place by code)."""
    from xhht.analytics.measures import known_measures

    n_ind = n_ds = 0
    for row in yaml.safe_load((data_dir / "indicators.yaml").read_text(encoding="utf-8")):
        code = row.pop("code")
        Indicator.objects.update_or_create(code=code, defaults=row)
        n_ind += 1
    for ds in yaml.safe_load((data_dir / "datasets.yaml").read_text(encoding="utf-8")):
        elements = ds.pop("elements")
        dataset, _c = DataSet.objects.update_or_create(code=ds.pop("code"), defaults=ds)
        for i, el in enumerate(elements, start=1):
            part = el.pop("part_of", None)
            DataElement.objects.update_or_create(
                code=el.pop("code"),
                defaults={
                    **el,
                    "dataset": dataset,
                    "order": i,
                    "part_of": DataElement.objects.get(code=part) if part else None,
                },
            )
        n_ds += 1
    measures = known_measures()
    for ind in Indicator.objects.all():
        for m in ind.measures():
            if m not in measures:
                raise ValidationError(f"Chỉ số {ind.code}: không có mã đo lường {m!r}")
    return {"indicators": n_ind, "datasets": n_ds}


@transaction.atomic
def load_plans(*, data_dir: Path = DATA_DIR) -> dict:
    """The national instruments and the seed plans (``data/plans/*.yaml``), with every target."""
    load_catalogue(data_dir=data_dir)
    n_plans = n_targets = 0
    for f in sorted((data_dir / "plans").glob("*.yaml")):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        code = d["code"]
        parent = Plan.objects.filter(code=d.get("parent")).first() if d.get("parent") else None
        existing = Plan.objects.filter(code=code).first()
        defaults = {
            "kind": d["kind"],
            "number": d.get("number", ""),
            "date": d.get("date"),
            "title": d["title"],
            "issuer_name": d.get("issuer_name", ""),
            "parent": parent,
            "basis": d.get("basis", ""),
            "start_year": d["start_year"],
            "end_year": d["end_year"],
            "lead_agency": d.get("lead_agency", ""),
            "summary": d.get("summary", ""),
            "source": d.get("source", ""),
            "note": d.get("note", ""),
        }
        # An administrator may have configured the issuer / territory of a plan the sources leave open.
        if d.get("issuer") or existing is None:
            defaults["issuer"] = _unit(d.get("issuer"))
        if d.get("territory") or existing is None:
            defaults["territory"] = _unit(d.get("territory"))
        plan, _c = Plan.objects.update_or_create(code=code, defaults=defaults)
        n_plans += 1
        for i, ph in enumerate(d.get("phases", []), start=1):
            Phase.objects.update_or_create(
                plan=plan,
                order=i,
                defaults={
                    "name": ph["name"],
                    "start_year": ph["start_year"],
                    "end_year": ph["end_year"],
                    "review": ph.get("review", ""),
                    "review_year": ph.get("review_year"),
                    "description": ph.get("description", ""),
                },
            )
        plan.phases.filter(order__gt=len(d.get("phases", []))).delete()
        contents = d.get("contents") or []
        if d.get("contents_from"):
            src = Plan.objects.get(code=d["contents_from"])
            contents = [
                {"kind": c.kind, "text": c.text, "lead_agency": d.get("contents_lead", c.lead_agency)}
                for c in src.contents.order_by("kind", "order")
            ]
        counters: dict[str, int] = {}
        for c in contents:
            kind = c.get("kind", "noi_dung")
            counters[kind] = counters.get(kind, 0) + 1
            Content.objects.update_or_create(
                plan=plan,
                kind=kind,
                order=counters[kind],
                defaults={"text": c["text"], "lead_agency": c.get("lead_agency", d.get("contents_lead", ""))},
            )
        for t_i, t in enumerate(d.get("tasks", []), start=1):
            content = None
            if t.get("content"):
                content = (
                    plan.contents.filter(kind="noi_dung", order=t["content"]).first()
                    or plan.contents.filter(order=t["content"]).first()
                )
            PlanTask.objects.get_or_create(
                plan=plan,
                title=t["title"],
                defaults={
                    "agency": t["agency"],
                    "deadline": t.get("deadline"),
                    "content": content,
                    "unit": plan.territory,
                },
            )
            del t_i
        per_year: dict[int, int] = {}
        keep = set()
        for t in d.get("targets", []):
            year = int(t["year"])
            per_year[year] = per_year.get(year, 0) + 1
            ind = Indicator.objects.get(code=t["indicator"]) if t.get("indicator") else None
            value = Decimal(str(t["value"])) if t.get("value") is not None else None
            obj, _c = Target.objects.update_or_create(
                plan=plan,
                year=year,
                order=per_year[year],
                defaults={"indicator": ind, "value": value, "text": t["text"], "note": t.get("note", "")},
            )
            keep.add(obj.pk)
            n_targets += 1
        plan.targets.exclude(pk__in=keep).delete()
    return {"plans": n_plans, "targets": n_targets}


# --- Aggregate data sets ------------------------------------------------------------------------


def validate_values(
    *, dataset: DataSet, values: dict[str, int | None], unit: AdminUnit, year: int
) -> tuple[dict, list]:
    """Errors (per element code) and warnings (outliers) for the figures typed for one unit and year."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    elements = list(dataset.elements.select_related("part_of"))
    for el in elements:
        v = values.get(el.code)
        if v is None:
            if el.required:
                errors[el.code] = _("“%(name)s”: bắt buộc nhập.") % {"name": el.name}
            continue
        if v < 0:
            errors[el.code] = _("“%(name)s”: không được âm.") % {"name": el.name}
        elif v > DATA_VALUE_MAX:
            errors[el.code] = _("“%(name)s”: số quá lớn.") % {"name": el.name}
        if el.part_of_id and values.get(el.part_of.code) is not None and v > values[el.part_of.code]:
            errors[el.code] = _("“%(name)s” (%(v)s) không được lớn hơn “%(whole)s” (%(w)s).") % {
                "name": el.name,
                "v": v,
                "whole": el.part_of.name,
                "w": values[el.part_of.code],
            }
    prev = DataEntry.objects.filter(dataset=dataset, unit=unit, year=year - 1).first()
    if prev is not None:
        before = {v.element.code: v.value for v in prev.values.select_related("element")}
        for el in elements:
            a, b = before.get(el.code), values.get(el.code)
            if a and b is not None and abs(b - a) * 100 > el.outlier_change * a:
                warnings.append(
                    _("“%(name)s” thay đổi bất thường so với năm %(y)s: %(a)s → %(b)s.")
                    % {"name": el.name, "y": year - 1, "a": a, "b": b}
                )
    return errors, warnings


@transaction.atomic
def entry_save(
    *,
    actor,
    dataset: DataSet,
    unit: AdminUnit,
    year: int,
    values: dict[str, int | None],
    submit: bool = False,
) -> DataEntry:
    access = access_for(actor)
    access.require(Perm.DATASET_ENTER, unit)
    if unit.level != dataset.entry_level:
        raise ValidationError(
            _("Biểu “%(ds)s” được nhập ở cấp %(lvl)s, không nhập cho %(unit)s.")
            % {"ds": dataset.name, "lvl": dataset.entry_level, "unit": unit.name}
        )
    entry = DataEntry.objects.select_for_update().filter(dataset=dataset, unit=unit, year=year).first()
    if entry is not None and entry.status == EntryStatus.APPROVED:
        raise ValidationError(_("Số liệu đã được duyệt và khóa; cần mở khóa trước khi sửa."))
    errors, warnings = validate_values(dataset=dataset, values=values, unit=unit, year=year)
    if errors:
        raise ValidationError(errors)
    if entry is None:
        entry = DataEntry(dataset=dataset, unit=unit, year=year)
    entry.entered_by = actor
    entry.warnings = warnings
    entry.status = EntryStatus.SUBMITTED if submit else EntryStatus.DRAFT
    entry.save()
    for el in dataset.elements.all():
        DataValue.objects.update_or_create(entry=entry, element=el, defaults={"value": values.get(el.code)})
    return entry


@transaction.atomic
def entry_approve(*, actor, entry: DataEntry) -> DataEntry:
    access_for(actor).require(Perm.DATASET_APPROVE, entry.unit)
    entry = DataEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == EntryStatus.APPROVED:
        return entry
    missing = [
        el.name
        for el in entry.dataset.elements.filter(required=True)
        if not entry.values.filter(element=el, value__isnull=False).exists()
    ]
    if missing:
        raise ValidationError(_("Chưa đủ số liệu bắt buộc: %s") % ", ".join(missing))
    entry.status = EntryStatus.APPROVED
    entry.approved_by = actor
    entry.approved_at = timezone.now()
    entry.save()
    _notify_dataset(entry)
    return entry


@transaction.atomic
def entry_unlock(*, actor, entry: DataEntry) -> DataEntry:
    access_for(actor).require(Perm.DATASET_APPROVE, entry.unit)
    entry = DataEntry.objects.select_for_update().get(pk=entry.pk)
    entry.status = EntryStatus.SUBMITTED
    entry.approved_by = None
    entry.approved_at = None
    entry.save()
    _notify_dataset(entry)
    return entry


def _notify_dataset(entry: DataEntry) -> None:
    from xhht.analytics import hooks

    path, year = entry.unit_path, entry.year
    transaction.on_commit(lambda: hooks.dataset_approved(unit_paths=[path], year=year))


def completeness(*, dataset: DataSet, year: int, parent: AdminUnit) -> dict:
    """How many units at the data set's entry level under ``parent`` have entered / approved figures."""
    units = AdminUnit.objects.subtree(parent).filter(level=dataset.entry_level, valid_to__isnull=True)
    if parent.valid_to is not None:
        units = AdminUnit.objects.filter(level=dataset.entry_level, valid_to__isnull=True, pk__in=[])
    expected = units.count()
    entries = DataEntry.objects.filter(dataset=dataset, year=year, unit__in=units)
    return {
        "expected": expected,
        "entered": entries.count(),
        "approved": entries.filter(status=EntryStatus.APPROVED).count(),
    }


# --- Tasks and commendations ----------------------------------------------------------------------


@transaction.atomic
def task_set_status(*, actor, task: PlanTask, status: str, note: str = "") -> PlanTask:
    access = access_for(actor)
    if not access.has(Perm.PLANS_MANAGE, task.unit_path or "VN/"):
        raise PermissionDenied
    task.status = status
    if note:
        task.note = note
    task.save()
    return task


@transaction.atomic
def commendation_create(
    *,
    actor,
    kind: str,
    collective: bool,
    issuer: str,
    decision_number: str,
    date: dt.date,
    reason: str,
    subject_type: str,
    subject_name: str,
    unit: AdminUnit,
    subject_id: int | None = None,
    plan: Plan | None = None,
) -> Commendation:
    access_for(actor).require(Perm.PLANS_MANAGE, unit)
    c = Commendation(
        kind=kind,
        collective=collective,
        issuer=issuer,
        decision_number=decision_number,
        date=date,
        reason=reason,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_name=subject_name,
        unit=unit,
        plan=plan,
    )
    c.full_clean()
    c.save()
    return c
