"""Writes to the registries. One function per use case, keyword-only, one transaction, the
permission checked first (``access.require(Perm.REGISTRY_EDIT, unit)``). Single-row saves are
audited by the signals in ``xhht.accounts.audit``; bulk moves call ``audit.record_bulk``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from xhht.accounts import audit
from xhht.accounts.access import Perm, access_for
from xhht.core.text import normalize
from xhht.geo.models import AdminUnit, Level

from .cccd import normalize_cccd, normalize_phone, validate_cccd
from .models import (
    AssociationBranch,
    AssociationMember,
    CentreStaff,
    Clan,
    ClanHousehold,
    Household,
    HouseholdMember,
    LearningCentre,
    Organisation,
    OrgMembership,
    Person,
    PersonDistinct,
    PersonStatus,
    Relation,
    Residence,
    Training,
    TrainingAttendance,
)

PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "birth_year",
    "sex",
    "ethnicity",
    "religion",
    "cccd",
    "phone",
    "occupation",
    "education_level",
    "technical_qualification",
    "it_competency",
    "digital_skill",
    "foreign_language",
    "life_skills",
    "literacy",
    "status",
    "note",
)


def _analytics(label: str, paths) -> None:
    """Bulk writes (``QuerySet.update``, ``bulk_create``) send no signals: the indicators of every
    unit path they touched (old and new) are refreshed when the transaction commits."""
    from xhht.analytics import hooks

    hooks.registry_written(model_label=label, unit_paths=paths)


def _require_edit(actor, unit) -> None:
    access_for(actor).require(Perm.REGISTRY_EDIT, unit)


def _check_village(village: AdminUnit) -> None:
    if village is None or village.level != Level.VILLAGE:
        raise ValidationError({"village": "Hãy chọn một thôn, tổ dân phố."})
    if village.valid_to is not None:
        raise ValidationError({"village": f"{village.name} đã hết hiệu lực; hãy chọn đơn vị đang hoạt động."})


def _check_commune(unit: AdminUnit, field: str = "commune") -> None:
    if unit is None or unit.level != Level.COMMUNE:
        raise ValidationError({field: "Hãy chọn một xã, phường, đặc khu."})


# ---------------------------------------------------------------- people


def clean_person_data(data: dict, *, instance: Person | None = None) -> dict:
    """Normalise and validate person fields; raises ValidationError({field: message}) in Vietnamese."""
    d = dict(data)
    errors: dict[str, list[str]] = {}
    if "full_name" in d:
        d["full_name"] = normalize(d["full_name"])
        if not d["full_name"]:
            errors.setdefault("full_name", []).append("Họ và tên không được để trống.")
        elif len(d["full_name"]) > 150:
            errors.setdefault("full_name", []).append("Họ và tên dài quá 150 ký tự.")
    birth_date = d.get("birth_date", instance.birth_date if instance else None)
    birth_year = d.get("birth_year", instance.birth_year if instance else None)
    if birth_date and birth_year and birth_date.year != int(birth_year):
        errors.setdefault("birth_year", []).append(
            f"Năm sinh {birth_year} không khớp với ngày sinh {birth_date:%d/%m/%Y}."
        )
    if birth_date and not birth_year:
        birth_year = birth_date.year
        d["birth_year"] = birth_year
    today = dt.date.today()
    if birth_date and birth_date > today:
        errors.setdefault("birth_date", []).append("Ngày sinh không được sau ngày hôm nay.")
    if birth_year and not (1890 <= int(birth_year) <= today.year):
        errors.setdefault("birth_year", []).append(f"Năm sinh phải trong khoảng 1890–{today.year}.")
    if "cccd" in d:
        d["cccd"] = normalize_cccd(d["cccd"]) or None
    if "phone" in d:
        d["phone"] = normalize_phone(d["phone"])
        if d["phone"] and not (9 <= len(d["phone"]) <= 11):
            errors.setdefault("phone", []).append("Số điện thoại phải có 10 chữ số (bắt đầu bằng 0).")
    cccd = d.get("cccd", instance.cccd if instance else None)
    sex = d.get("sex", instance.sex if instance else "")
    if cccd:
        errs = validate_cccd(cccd, birth_year, sex)
        if errs:
            errors.setdefault("cccd", []).extend(errs)
        else:
            clash = Person.objects.filter(cccd=cccd)
            if instance is not None and instance.pk:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors.setdefault("cccd", []).append(
                    f"Số CCCD {cccd} đã có trong sổ đăng ký (không được trùng)."
                )
    if errors:
        raise ValidationError(errors)
    return d


@transaction.atomic
def person_create(*, actor, village: AdminUnit, since: dt.date | None = None, **data) -> Person:
    _require_edit(actor, village)
    _check_village(village)
    d = clean_person_data({k: v for k, v in data.items() if k in PERSON_FIELDS})
    person = Person(village=village, **d)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"cccd": f"Số CCCD {d.get('cccd')} đã có trong sổ đăng ký (không được trùng)."})
    Residence.objects.create(person=person, village=village, valid_from=since, reason="Đăng ký lần đầu")
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **data) -> Person:
    """Change a person's facts (not where they live: see ``person_move``)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require_edit(actor, person.unit_path)
    if person.status == PersonStatus.MERGED:
        raise ValidationError("Hồ sơ này đã được gộp vào hồ sơ khác; hãy sửa hồ sơ còn lại.")
    d = clean_person_data({k: v for k, v in data.items() if k in PERSON_FIELDS}, instance=person)
    for k, v in d.items():
        setattr(person, k, v)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"cccd": "Số CCCD đã có trong sổ đăng ký (không được trùng)."})
    return person


def _move(person: Person, village: AdminUnit, on: dt.date, reason: str) -> None:
    Residence.objects.filter(person=person, valid_to__isnull=True).update(valid_to=on - dt.timedelta(days=1))
    Residence.objects.create(person=person, village=village, valid_from=on, reason=reason[:200])
    person.village = village
    person.save()


@transaction.atomic
def person_move(
    *, actor, person: Person, village: AdminUnit, on: dt.date | None = None, reason: str = ""
) -> Person:
    """The person now lives in ``village`` from ``on``; where they lived before stays in ``Residence``."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require_edit(actor, person.unit_path)
    _require_edit(actor, village)
    _check_village(village)
    if village.pk == person.village_id:
        raise ValidationError({"village": "Công dân đang cư trú tại đơn vị này."})
    on = on or dt.date.today()
    current = Residence.objects.filter(person=person, valid_to__isnull=True).first()
    if current and current.valid_from and on <= current.valid_from:
        raise ValidationError(
            {"on": f"Ngày chuyển phải sau ngày bắt đầu cư trú hiện tại ({current.valid_from:%d/%m/%Y})."}
        )
    _move(person, village, on, reason or "Chuyển nơi cư trú")
    return person


@transaction.atomic
def person_merge(*, actor, keep: Person, drop: Person) -> Person:
    """Merge a duplicate record ``drop`` into ``keep``. Both histories are kept: ``drop`` stays as a row
    with status MERGED pointing to ``keep``; its residences, memberships and trainings move to ``keep``
    (the ones that would clash are closed instead); blank facts of ``keep`` are filled from ``drop``."""
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    drop = Person.objects.select_for_update().get(pk=drop.pk)
    _require_edit(actor, keep.unit_path)
    _require_edit(actor, drop.unit_path)
    if keep.pk == drop.pk:
        raise ValidationError("Hãy chọn hai hồ sơ khác nhau.")
    if PersonStatus.MERGED in (keep.status, drop.status):
        raise ValidationError("Một trong hai hồ sơ đã được gộp trước đó.")
    if keep.cccd and drop.cccd and keep.cccd != drop.cccd:
        raise ValidationError("Hai hồ sơ có số CCCD khác nhau: không thể là cùng một người.")
    today = dt.date.today()
    before = audit.snapshot(keep)
    # Residence: drop's current residence is closed (its history stays, now on keep).
    Residence.objects.filter(person=drop, valid_to__isnull=True).update(valid_to=today)
    Residence.objects.filter(person=drop).update(person=keep)
    # Household: keep's current membership wins; drop's is closed and moved into history.
    keep_has_house = HouseholdMember.objects.filter(person=keep, valid_to__isnull=True).exists()
    drop_current = HouseholdMember.objects.filter(person=drop, valid_to__isnull=True).first()
    if drop_current and keep_has_house:
        if drop_current.relation == Relation.HEAD:
            raise ValidationError("Hồ sơ bị gộp đang là chủ hộ; hãy đổi chủ hộ trước khi gộp.")
        drop_current.valid_to = today
        drop_current.save()
    HouseholdMember.objects.filter(person=drop).update(person=keep)
    Household.objects.filter(head=drop).update(head=keep)
    Clan.objects.filter(head=drop).update(head=keep)
    Organisation.objects.filter(head=drop).update(head=keep)
    LearningCentre.objects.filter(director=drop).update(director=keep)
    OrgMembership.objects.filter(person=drop).update(person=keep)
    CentreStaff.objects.filter(person=drop).update(person=keep)
    for m in AssociationMember.objects.filter(person=drop):
        clash = AssociationMember.objects.filter(person=keep, branch=m.branch_id, left__isnull=True).first()
        if clash and m.left is None:
            for att in TrainingAttendance.objects.filter(member=m):
                TrainingAttendance.objects.get_or_create(training_id=att.training_id, member=clash)
            m.left = today
        m.person = keep
        m.save()
    # Facts: fill keep's blanks from drop.
    drop_cccd = drop.cccd
    if drop_cccd and not keep.cccd:
        drop.cccd = None
        drop.save(update_fields=["cccd"])
        keep.cccd = drop_cccd
    for f in ("birth_date", "birth_year", "sex", "phone", "education_level", "literacy", "religion"):
        if not getattr(keep, f) and getattr(drop, f):
            setattr(keep, f, getattr(drop, f))
    if drop.user_id and not keep.user_id:
        user_id = drop.user_id
        drop.user = None
        drop.save(update_fields=["user"])
        keep.user_id = user_id
    keep.save()
    drop.status = PersonStatus.MERGED
    drop.merged_into = keep
    drop.merged_at = timezone.now()
    drop.save()
    # drop's memberships now belong to keep (moved by UPDATE, no signals)
    _analytics("registry.HouseholdMember", [keep.unit_path, drop.unit_path])
    _analytics(
        "registry.OrgMembership",
        Organisation.objects.filter(staff__person=keep).values_list("unit_path", flat=True).distinct(),
    )
    audit.record(
        "merge",
        keep,
        changes={"merged_from": drop.pk, "before": before, "after": audit.snapshot(keep)},
        note=f"Gộp hồ sơ #{drop.pk} ({drop.full_name}) vào #{keep.pk}",
    )
    return keep


@transaction.atomic
def person_mark_distinct(*, actor, a: Person, b: Person) -> PersonDistinct:
    """An officer checked two likely duplicates: they are different people. They leave the duplicate list."""
    _require_edit(actor, a.unit_path)
    _require_edit(actor, b.unit_path)
    if a.pk == b.pk:
        raise ValidationError("Hãy chọn hai hồ sơ khác nhau.")
    low, high = sorted([a, b], key=lambda p: p.pk)
    obj, _ = PersonDistinct.objects.get_or_create(
        low=low, high=high, defaults={"unit_path": low.unit_path, "decided_by": actor}
    )
    return obj


# ---------------------------------------------------------------- households


def _next_household_code(village: AdminUnit) -> str:
    prefix = f"HGD-{village.code}-"
    n = Household.objects.filter(code__startswith=prefix).count() + 1
    while Household.objects.filter(code=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def household_create(
    *,
    actor,
    village: AdminUnit,
    head: Person,
    code: str = "",
    address: str = "",
    since: dt.date | None = None,
) -> Household:
    """A household is created with its head (chủ hộ): a household never exists without exactly one."""
    _require_edit(actor, village)
    _check_village(village)
    _require_edit(actor, head.unit_path)
    if head.status != PersonStatus.ACTIVE:
        raise ValidationError({"head": "Chủ hộ phải là công dân đang cư trú."})
    if HouseholdMember.objects.filter(person=head, valid_to__isnull=True).exists():
        raise ValidationError({"head": f"{head.full_name} đang là thành viên của một hộ khác."})
    code = (code or "").strip() or _next_household_code(village)
    if Household.objects.filter(code=code).exists():
        raise ValidationError({"code": f"Mã hộ {code} đã tồn tại."})
    hh = Household(code=code, village=village, address=normalize(address), head=head)
    hh.save()
    HouseholdMember.objects.create(household=hh, person=head, relation=Relation.HEAD, valid_from=since)
    return hh


@transaction.atomic
def household_update(
    *, actor, household: Household, address: str | None = None, village: AdminUnit | None = None
) -> Household:
    hh = Household.objects.select_for_update().get(pk=household.pk)
    _require_edit(actor, hh.unit_path)
    if address is not None:
        hh.address = normalize(address)
    if village is not None and village.pk != hh.village_id:
        _require_edit(actor, village)
        _check_village(village)
        hh.village = village
    hh.save()
    return hh


@transaction.atomic
def household_add_member(
    *, actor, household: Household, person: Person, relation: str, since: dt.date | None = None
) -> HouseholdMember:
    _require_edit(actor, household.unit_path)
    _require_edit(actor, person.unit_path)
    if relation == Relation.HEAD:
        raise ValidationError({"relation": "Hộ đã có chủ hộ; dùng chức năng đổi chủ hộ."})
    if relation not in Relation.values:
        raise ValidationError({"relation": "Quan hệ với chủ hộ không hợp lệ."})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": "Chỉ thêm công dân đang cư trú."})
    if HouseholdMember.objects.filter(person=person, valid_to__isnull=True).exists():
        raise ValidationError({"person": f"{person.full_name} đang là thành viên của một hộ khác."})
    return HouseholdMember.objects.create(
        household=household, person=person, relation=relation, valid_from=since
    )


@transaction.atomic
def household_remove_member(
    *, actor, household: Household, person: Person, on: dt.date | None = None
) -> None:
    _require_edit(actor, household.unit_path)
    m = HouseholdMember.objects.filter(household=household, person=person, valid_to__isnull=True).first()
    if m is None:
        raise ValidationError({"person": "Người này không phải thành viên hiện tại của hộ."})
    if m.relation == Relation.HEAD:
        raise ValidationError({"person": "Không thể xoá chủ hộ; hãy đổi chủ hộ trước."})
    m.valid_to = on or dt.date.today()
    m.save()


@transaction.atomic
def household_set_head(
    *,
    actor,
    household: Household,
    person: Person,
    old_head_relation: str = Relation.OTHER,
    on: dt.date | None = None,
) -> Household:
    """Change the head: the new head must already be a member; the old head keeps a membership with
    ``old_head_relation``. Memberships are dated rows, so the change stays in the history."""
    hh = Household.objects.select_for_update().get(pk=household.pk)
    _require_edit(actor, hh.unit_path)
    on = on or dt.date.today()
    new = HouseholdMember.objects.filter(household=hh, person=person, valid_to__isnull=True).first()
    if new is None:
        raise ValidationError({"person": "Chủ hộ mới phải là thành viên hiện tại của hộ."})
    if new.relation == Relation.HEAD:
        return hh
    if old_head_relation == Relation.HEAD or old_head_relation not in Relation.values:
        raise ValidationError({"old_head_relation": "Quan hệ mới của chủ hộ cũ không hợp lệ."})
    old = HouseholdMember.objects.filter(household=hh, relation=Relation.HEAD, valid_to__isnull=True).first()
    for m in (old, new):
        if m is not None:
            m.valid_to = on
            m.save()
    if old is not None:
        HouseholdMember.objects.create(
            household=hh, person=old.person, relation=old_head_relation, valid_from=on
        )
    HouseholdMember.objects.create(household=hh, person=person, relation=Relation.HEAD, valid_from=on)
    hh.head = person
    hh.save()
    return hh


@transaction.atomic
def household_merge(
    *,
    actor,
    keep: Household,
    drop: Household,
    drop_head_relation: str = Relation.OTHER,
    on: dt.date | None = None,
) -> Household:
    """The same household entered twice: the current members of ``drop`` join ``keep`` (its head
    with ``drop_head_relation``), its clans become ``keep``'s, and ``drop`` keeps its row and its
    dated memberships, pointing to ``keep``. Both histories stay; every row change is audited."""
    on = on or dt.date.today()
    keep = Household.objects.select_for_update().get(pk=keep.pk)
    drop = Household.objects.select_for_update().get(pk=drop.pk)
    _require_edit(actor, keep.unit_path)
    _require_edit(actor, drop.unit_path)
    if keep.pk == drop.pk:
        raise ValidationError({"other": "Hãy chọn một hộ khác để gộp."})
    if keep.merged_into_id or drop.merged_into_id:
        raise ValidationError({"other": "Một trong hai hộ đã được gộp vào hộ khác từ trước."})
    if drop_head_relation == Relation.HEAD or drop_head_relation not in Relation.values:
        raise ValidationError({"drop_head_relation": "Quan hệ mới của chủ hộ bị gộp không hợp lệ."})
    in_keep = set(
        HouseholdMember.objects.filter(household=keep, valid_to__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    for m in HouseholdMember.objects.filter(household=drop, valid_to__isnull=True).order_by("id"):
        m.valid_to = on
        m.save()
        if m.person_id not in in_keep:
            relation = drop_head_relation if m.relation == Relation.HEAD else m.relation
            HouseholdMember.objects.create(
                household=keep, person_id=m.person_id, relation=relation, valid_from=on
            )
    for link in ClanHousehold.objects.filter(household=drop, valid_to__isnull=True):
        link.valid_to = on
        link.save()
        if not ClanHousehold.objects.filter(
            clan_id=link.clan_id, household=keep, valid_to__isnull=True
        ).exists():
            ClanHousehold.objects.create(clan_id=link.clan_id, household=keep, valid_from=on)
    drop.merged_into = keep
    drop.merged_on = on
    drop.save()
    return keep


# ---------------------------------------------------------------- clans


@transaction.atomic
def clan_create(
    *, actor, commune: AdminUnit, name: str, head: Person | None = None, external_id: str | None = None
) -> Clan:
    _require_edit(actor, commune)
    _check_commune(commune)
    if not normalize(name):
        raise ValidationError({"name": "Tên dòng họ không được để trống."})
    clan = Clan(commune=commune, name=name, head=head, external_id=external_id or None)
    clan.save()
    return clan


@transaction.atomic
def clan_update(*, actor, clan: Clan, name: str | None = None, head: Person | None = None) -> Clan:
    _require_edit(actor, clan.unit_path)
    if name is not None:
        if not normalize(name):
            raise ValidationError({"name": "Tên dòng họ không được để trống."})
        clan.name = name
    clan.head = head
    clan.save()
    return clan


@transaction.atomic
def clan_add_household(
    *, actor, clan: Clan, household: Household, since: dt.date | None = None
) -> ClanHousehold:
    """A clan may span villages of several communes: the officer needs view rights over the household."""
    _require_edit(actor, clan.unit_path)
    access_for(actor).require(Perm.REGISTRY_VIEW, household.unit_path)
    if ClanHousehold.objects.filter(clan=clan, household=household, valid_to__isnull=True).exists():
        raise ValidationError({"household": "Hộ này đã thuộc dòng họ."})
    return ClanHousehold.objects.create(clan=clan, household=household, valid_from=since)


@transaction.atomic
def clan_remove_household(*, actor, clan: Clan, household: Household, on: dt.date | None = None) -> None:
    _require_edit(actor, clan.unit_path)
    ClanHousehold.objects.filter(clan=clan, household=household, valid_to__isnull=True).update(
        valid_to=on or dt.date.today()
    )
    _analytics("registry.ClanHousehold", [household.unit_path, clan.unit_path])


# ---------------------------------------------------------------- organisations


ORG_FIELDS = (
    "name",
    "kind",
    "level",
    "tax_code",
    "head",
    "head_user",
    "valid_from",
    "valid_to",
    "external_id",
)


@transaction.atomic
def organisation_create(*, actor, unit: AdminUnit, **data) -> Organisation:
    _require_edit(actor, unit)
    if not normalize(data.get("name")):
        raise ValidationError({"name": "Tên cơ quan, đơn vị không được để trống."})
    org = Organisation(unit=unit, **{k: v for k, v in data.items() if k in ORG_FIELDS})
    org.save()
    return org


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, unit: AdminUnit | None = None, **data
) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_edit(actor, org.unit_path)
    if unit is not None and unit.pk != org.unit_id:
        _require_edit(actor, unit)
        org.unit = unit
    for k, v in data.items():
        if k in ORG_FIELDS:
            setattr(org, k, v)
    if not normalize(org.name):
        raise ValidationError({"name": "Tên cơ quan, đơn vị không được để trống."})
    org.save()
    return org


@transaction.atomic
def org_staff_add(
    *,
    actor,
    organisation: Organisation,
    person: Person,
    category: str,
    position: str = "",
    since: dt.date | None = None,
) -> OrgMembership:
    _require_edit(actor, organisation.unit_path)
    access_for(actor).require(Perm.REGISTRY_VIEW, person.unit_path)
    if OrgMembership.objects.filter(organisation=organisation, person=person, valid_to__isnull=True).exists():
        raise ValidationError({"person": f"{person.full_name} đang làm việc tại đơn vị này."})
    return OrgMembership.objects.create(
        organisation=organisation,
        person=person,
        category=category,
        position=normalize(position),
        valid_from=since,
    )


@transaction.atomic
def org_staff_end(*, actor, membership: OrgMembership, on: dt.date | None = None) -> OrgMembership:
    _require_edit(actor, membership.organisation.unit_path)
    on = on or dt.date.today()
    if membership.valid_from and on < membership.valid_from:
        raise ValidationError({"on": "Ngày kết thúc phải sau ngày bắt đầu."})
    membership.valid_to = on
    membership.save()
    return membership


# ---------------------------------------------------------------- learning centres


CENTRE_FIELDS = (
    "name",
    "director",
    "hkh_in_management",
    "uses_it_management",
    "uses_it_activities",
    "established",
)


@transaction.atomic
def centre_create(*, actor, commune: AdminUnit, **data) -> LearningCentre:
    _require_edit(actor, commune)
    _check_commune(commune)
    if not normalize(data.get("name")):
        raise ValidationError({"name": "Tên trung tâm không được để trống."})
    c = LearningCentre(commune=commune, **{k: v for k, v in data.items() if k in CENTRE_FIELDS})
    c.save()
    return c


@transaction.atomic
def centre_update(*, actor, centre: LearningCentre, **data) -> LearningCentre:
    c = LearningCentre.objects.select_for_update().get(pk=centre.pk)
    _require_edit(actor, c.unit_path)
    for k, v in data.items():
        if k in CENTRE_FIELDS:
            setattr(c, k, v)
    if not normalize(c.name):
        raise ValidationError({"name": "Tên trung tâm không được để trống."})
    c.save()
    return c


@transaction.atomic
def centres_merge(
    *, actor, centres: list[LearningCentre], into: LearningCentre, effective: dt.date | None = None
) -> LearningCentre:
    """Merge centres into ``into`` (since 2025 one centre per new commune): the merged ones stop the day
    before ``effective``, point to ``into`` and keep their rows; their current staff move across."""
    on = effective or dt.date.today()
    _require_edit(actor, into.unit_path)
    others = [c for c in centres if c.pk != into.pk]
    if not others:
        raise ValidationError("Hãy chọn ít nhất một trung tâm khác để sáp nhập.")
    if into.valid_to is not None:
        raise ValidationError({"into": "Trung tâm nhận sáp nhập đã ngừng hoạt động."})
    for c in others:
        _require_edit(actor, c.unit_path)
        if c.valid_to is not None:
            raise ValidationError(f"{c.name} đã ngừng hoạt động từ trước.")
    for c in others:
        c.valid_to = on - dt.timedelta(days=1)
        c.merged_into = into
        c.save()
        for s in CentreStaff.objects.filter(centre=c, valid_to__isnull=True):
            s.valid_to = c.valid_to
            s.save()
            if not CentreStaff.objects.filter(
                centre=into, person_id=s.person_id, valid_to__isnull=True
            ).exists():
                CentreStaff.objects.create(centre=into, person_id=s.person_id, role=s.role, valid_from=on)
    into.uses_it_management = into.uses_it_management or any(c.uses_it_management for c in others)
    into.uses_it_activities = into.uses_it_activities or any(c.uses_it_activities for c in others)
    into.save()
    return into


@transaction.atomic
def centre_staff_add(
    *, actor, centre: LearningCentre, person: Person, role: str = "", since: dt.date | None = None
) -> CentreStaff:
    _require_edit(actor, centre.unit_path)
    access_for(actor).require(Perm.REGISTRY_VIEW, person.unit_path)
    if CentreStaff.objects.filter(centre=centre, person=person, valid_to__isnull=True).exists():
        raise ValidationError({"person": f"{person.full_name} đã ở trong ban quản lý, cán bộ trung tâm."})
    return CentreStaff.objects.create(centre=centre, person=person, role=normalize(role), valid_from=since)


@transaction.atomic
def centre_staff_end(*, actor, staff: CentreStaff, on: dt.date | None = None) -> CentreStaff:
    _require_edit(actor, staff.centre.unit_path)
    staff.valid_to = on or dt.date.today()
    staff.save()
    return staff


@transaction.atomic
def organisation_merge(
    *, actor, keep: Organisation, drop: Organisation, on: dt.date | None = None
) -> Organisation:
    """An organisation entered twice (or absorbed by another): ``drop`` ends the day before ``on``
    and points to ``keep``; its current staff continue in ``keep`` from ``on`` with the same
    category and position; association branches of ``drop`` now belong to ``keep``."""
    on = on or dt.date.today()
    keep = Organisation.objects.select_for_update().get(pk=keep.pk)
    drop = Organisation.objects.select_for_update().get(pk=drop.pk)
    _require_edit(actor, keep.unit_path)
    _require_edit(actor, drop.unit_path)
    if keep.pk == drop.pk:
        raise ValidationError({"other": "Hãy chọn một cơ quan, đơn vị khác để gộp."})
    if keep.merged_into_id or drop.merged_into_id or keep.valid_to:
        raise ValidationError({"other": "Một trong hai cơ quan đã được gộp hoặc đã ngừng hoạt động."})
    end = on - dt.timedelta(days=1)
    in_keep = set(
        OrgMembership.objects.filter(organisation=keep, valid_to__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    for m in OrgMembership.objects.filter(organisation=drop, valid_to__isnull=True).order_by("id"):
        m.valid_to = end
        m.save()
        if m.person_id not in in_keep:
            OrgMembership.objects.create(
                organisation=keep,
                person_id=m.person_id,
                category=m.category,
                position=m.position,
                valid_from=on,
            )
    for b in AssociationBranch.objects.filter(organisation=drop):
        b.organisation = keep
        b.save()
    if keep.head_id is None and drop.head_id:
        keep.head_id = drop.head_id
        keep.save()
    drop.valid_to = end
    drop.merged_into = keep
    drop.save()
    return keep


# ---------------------------------------------------------------- study-promotion association


@transaction.atomic
def branch_create(
    *,
    actor,
    unit: AdminUnit,
    name: str,
    organisation: Organisation | None = None,
    parent: AssociationBranch | None = None,
) -> AssociationBranch:
    _require_edit(actor, unit)
    if not normalize(name):
        raise ValidationError({"name": "Tên chi hội không được để trống."})
    b = AssociationBranch(unit=unit, name=name, organisation=organisation, parent=parent)
    b.save()
    return b


@transaction.atomic
def branch_update(
    *,
    actor,
    branch: AssociationBranch,
    name: str,
    unit: AdminUnit | None = None,
    organisation: Organisation | None = None,
    parent: AssociationBranch | None = None,
) -> AssociationBranch:
    """Rename a branch, move it to another unit of the editor's scope, attach it to an
    organisation or a parent branch. Its members follow it (their ``unit_path`` is the branch's)."""
    b = AssociationBranch.objects.select_for_update().get(pk=branch.pk)
    _require_edit(actor, b.unit_path)
    if not normalize(name):
        raise ValidationError({"name": "Tên chi hội không được để trống."})
    if parent is not None and parent.pk == b.pk:
        raise ValidationError({"parent": "Chi hội không thể trực thuộc chính nó."})
    b.name = name
    b.organisation = organisation
    b.parent = parent
    moved = unit is not None and unit.pk != b.unit_id
    old_path = b.unit_path
    if moved:
        _require_edit(actor, unit)
        b.unit = unit
    b.save()
    if moved:
        n = AssociationMember.objects.filter(branch=b).update(unit_path=b.unit_path)
        _analytics("registry.AssociationMember", [old_path, b.unit_path])
        audit.record_bulk(
            "registry.associationmember",
            note=f"Chuyển {n} hội viên theo chi hội {b.name}",
            unit_path=b.unit_path,
            changes={"branch": b.pk, "members": n},
        )
    return b


@transaction.atomic
def member_add(
    *,
    actor,
    branch: AssociationBranch,
    person: Person,
    is_officer: bool = False,
    position: str = "",
    joined: dt.date | None = None,
) -> AssociationMember:
    _require_edit(actor, branch.unit_path)
    access_for(actor).require(Perm.REGISTRY_VIEW, person.unit_path)
    if AssociationMember.objects.filter(person=person, branch=branch, left__isnull=True).exists():
        raise ValidationError({"person": f"{person.full_name} đã là hội viên của chi hội này."})
    m = AssociationMember(
        branch=branch, person=person, is_officer=is_officer, position=normalize(position), joined=joined
    )
    m.save()
    return m


@transaction.atomic
def member_update(
    *, actor, member: AssociationMember, is_officer: bool, position: str = "", left: dt.date | None = None
) -> AssociationMember:
    _require_edit(actor, member.unit_path)
    member.is_officer = is_officer
    member.position = normalize(position)
    member.left = left
    member.save()
    return member


@transaction.atomic
def training_create(*, actor, unit: AdminUnit, name: str, kind: str, date: dt.date) -> Training:
    _require_edit(actor, unit)
    if not normalize(name):
        raise ValidationError({"name": "Tên lớp, hội nghị không được để trống."})
    t = Training(unit=unit, name=normalize(name), kind=kind, date=date)
    t.save()
    return t


@transaction.atomic
def training_record_attendance(*, actor, training: Training, members: list[AssociationMember]) -> int:
    """Mark members as having attended; returns how many were newly added."""
    _require_edit(actor, training.unit_path)
    access = access_for(actor)
    added = 0
    for m in members:
        if not access.has(Perm.REGISTRY_VIEW, m.unit_path):
            raise PermissionDenied
        _, created = TrainingAttendance.objects.get_or_create(training=training, member=m)
        added += int(created)
    return added


# ---------------------------------------------------------------- villages merged or split


def carry_residents_forward(*, predecessors, successors, effective: dt.date, kind: str = "") -> int:
    """Villages ``predecessors`` ended the day before ``effective``: their current residents and
    households move to the default successor (the first one marked default), with a new Residence row
    so that where they lived before stays in their history. Returns the number of people moved."""
    if not successors:
        return 0
    moved = 0
    from xhht.geo.models import UnitSuccession

    for pred in predecessors:
        succ = (
            UnitSuccession.objects.filter(predecessor=pred, successor__in=successors, is_default=True)
            .select_related("successor")
            .first()
        )
        target = succ.successor if succ else successors[0]
        ids = list(
            Person.objects.filter(village=pred)
            .exclude(status=PersonStatus.MERGED)
            .values_list("pk", flat=True)
        )
        reason = f"{'Sáp nhập' if kind == 'merge' else 'Chia tách' if kind == 'split' else 'Thay đổi'} thôn {pred.name}"
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            Residence.objects.filter(person_id__in=chunk, valid_to__isnull=True).update(
                valid_to=effective - dt.timedelta(days=1)
            )
            Residence.objects.bulk_create(
                [
                    Residence(person_id=pk, village=target, valid_from=effective, reason=reason[:200])
                    for pk in chunk
                ],
                batch_size=2000,
            )
            Person.objects.filter(pk__in=chunk).update(village=target, unit_path=target.path)
        Household.objects.filter(village=pred).update(village=target, unit_path=target.path)
        for label in ("registry.Person", "registry.Household"):
            _analytics(label, [pred.path, target.path])
        moved += len(ids)
        if ids:
            audit.record_bulk(
                "registry.person",
                unit_path=target.path,
                note=f"Chuyển {len(ids)} công dân từ {pred.name} sang {target.name}",
                changes={
                    "predecessor": pred.pk,
                    "successor": target.pk,
                    "people": len(ids),
                    "effective": effective.isoformat(),
                },
            )
    return moved


def on_villages_succeeded(sender, *, predecessors, successors, effective, kind="", **kwargs):
    carry_residents_forward(predecessors=predecessors, successors=successors, effective=effective, kind=kind)


def household_members_current(household: Household):
    return HouseholdMember.objects.filter(household=household, valid_to__isnull=True).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=dt.date.today())
    )
