"""Reads of the registries, always scoped to what the caller may see.

Lists are paginated by keyset ("next page" after the last row's sort key), never by counting or
OFFSET, so the 2,000th page of a province of 3 million people costs what the first does.
"""

from __future__ import annotations

import base64
import bisect
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from xhht.accounts.access import Access, Perm
from xhht.core.params import INT64_MAX, INT64_MIN, BadParameter, int_or_none
from xhht.core.text import fold
from xhht.geo.models import AdminUnit, Level

from .cccd import mask_cccd, mask_phone, normalize_phone
from .models import (
    AssociationBranch,
    AssociationMember,
    Clan,
    ClanHousehold,
    DigitalSkill,
    EducationLevel,
    ForeignLanguage,
    Household,
    HouseholdMember,
    LearningCentre,
    Literacy,
    Occupation,
    Organisation,
    OrgMembership,
    Person,
    PersonDistinct,
    PersonStatus,
    Residence,
    Sex,
    TechnicalQualification,
    Training,
)

PAGE_SIZE = 50


# ---------------------------------------------------------------- keyset pagination


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) else None


def bad_cursor() -> BadParameter:
    return BadParameter(
        _("Đường dẫn trang tiếp theo («sau») không hợp lệ; hãy mở lại trang đầu của danh sách."),
        param="sau",
        code="invalid_cursor",
    )


def cursor_values(qs: QuerySet, order: tuple[str, ...], after: str | None) -> list | None:
    """The cursor ``after`` read back as one value per field of ``order``, each checked against its
    model field, or None for the first page. A cursor the pages did not make (not base64 JSON, the
    wrong number of values, text where an id goes, an id beyond 64 bits, a NUL) is the client's
    error: :class:`BadParameter` (400), never a database error."""
    if not after:
        return None
    values = decode_cursor(after)
    if values is None or len(values) != len(order):
        raise bad_cursor()
    out = []
    for dotted, value in zip(order, values, strict=True):
        f = _field(qs, dotted)
        if value is None or isinstance(value, bool | list | dict):
            raise bad_cursor()
        try:
            v = f.to_python(value)
        except (ValidationError, TypeError, ValueError, OverflowError):
            raise bad_cursor()
        if isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX or isinstance(v, str) and "\x00" in v:
            raise bad_cursor()
        out.append(v)
    return out


def _field(qs: QuerySet, dotted: str):
    """The model field (or annotation's output field) ``dotted`` names in ``qs``."""
    if dotted in qs.query.annotations:
        return qs.query.annotations[dotted].output_field
    model = qs.model
    *path, last = dotted.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(last)


@dataclass
class Page:
    rows: list
    next_cursor: str | None = None
    extra: dict = field(default_factory=dict)


def keyset_page(qs: QuerySet, order: tuple[str, str], after: str | None, limit: int = PAGE_SIZE) -> Page:
    """Rows of ``qs`` ordered by ``order`` (a sort field then the unique ``id``), after the cursor."""
    first, tie = order
    values = cursor_values(qs, order, after)
    if values:
        qs = qs.filter(Q(**{f"{first}__gt": values[0]}) | Q(**{first: values[0], f"{tie}__gt": values[1]}))
    rows = list(qs.order_by(first, tie)[: limit + 1])
    nxt = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        nxt = encode_cursor([_attr(last, first), _attr(last, tie)])
    return Page(rows=rows, next_cursor=nxt)


def _attr(obj, dotted: str):
    for part in dotted.split("__"):
        obj = getattr(obj, part)
    return obj


# ---------------------------------------------------------------- people


def people_qs(access: Access, perm: str = Perm.REGISTRY_VIEW) -> QuerySet:
    """Everyone the user may see: officers by territory, a citizen only their own record.

    On SQLite a scope as wide as a province is applied through an expression the planner cannot
    use an index for: otherwise it picks the (unit_path, name_sort) index, reads the whole province
    and sorts it, instead of walking the name order and stopping after one page."""
    qs = Person.objects.all()
    paths = access.paths_for(perm)
    # An officer's own record is in their territory anyway; "OR user = me" would keep the planner
    # from using the path index, so the owner rule applies only to those without a territory.
    owner = None if paths else "user"
    if connection.vendor == "sqlite" and paths and all(p.count("/") <= 2 for p in paths):
        qs = qs.annotate(scope_path=Substr("unit_path", 1, 255))
        return access.scope(qs, perm, path_field="scope_path", owner_field=owner)
    return access.scope(qs, perm, path_field="unit_path", owner_field=owner)


def visible_person(access: Access, pk: int) -> Person:
    return access.get_or_404(
        Person.objects.select_related("village", "village__parent", "merged_into"),
        Perm.REGISTRY_VIEW,
        path_field="unit_path",
        owner_field="user",
        pk=pk,
    )


def can_see_pii(access: Access, person_or_path) -> bool:
    path = person_or_path if isinstance(person_or_path, str) else person_or_path.unit_path
    if access.has(Perm.REGISTRY_VIEW_PII, path):
        return True
    user = access.user
    return bool(
        user is not None
        and not isinstance(person_or_path, str)
        and getattr(person_or_path, "user_id", None) == getattr(user, "pk", -1)
    )


class PiiMask:
    """Decides per row whether CCCD and phone are shown or masked (computed once per request)."""

    def __init__(self, access: Access):
        self.access = access
        self.paths = access.paths_for(Perm.REGISTRY_VIEW_PII)
        self.user_id = getattr(access.user, "pk", None)

    def visible(self, person) -> bool:
        if person.user_id is not None and person.user_id == self.user_id:
            return True
        return any(person.unit_path.startswith(p) for p in self.paths)

    def cccd(self, person) -> str:
        return (person.cccd or "") if self.visible(person) else mask_cccd(person.cccd)

    def phone(self, person) -> str:
        return person.phone if self.visible(person) else mask_phone(person.phone)


NOT_ASSESSED = "chua-danh-gia"
FACT_FILTERS: dict[str, tuple[str, list]] = {
    "sex": (_l("Giới tính"), Sex.choices),
    "occupation": (_l("Nhóm nghề nghiệp"), Occupation.choices),
    "education_level": (_l("Trình độ học vấn"), EducationLevel.choices),
    "technical_qualification": (_l("Trình độ chuyên môn kỹ thuật"), TechnicalQualification.choices),
    # "not assessed" (NULL) is a choice of its own: ?digital_skill=chua-danh-gia
    "digital_skill": (
        _l("Kỹ năng số"),
        [(NOT_ASSESSED if v is None else v, label) for v, label in DigitalSkill.choices],
    ),
    "foreign_language": (_l("Ngoại ngữ"), ForeignLanguage.choices),
    "literacy": (_l("Biết chữ"), Literacy.choices),
    "status": (_l("Tình trạng"), PersonStatus.choices),
}
BOOL_FILTERS = {"it_competency": _l("Năng lực ứng dụng CNTT"), "life_skills": _l("Kỹ năng sống")}
_DIGITS = re.compile(r"^[\d\s.+\-()]+$")


def name_words(q: str) -> list[str]:
    """The folded words of a name query ("Nguyễn  Thị" in NFC or NFD -> ["nguyen", "thi"])."""
    return re.findall(r"[a-z0-9]+", fold(q or ""))


def _is_number_query(q: str) -> bool:
    return bool(_DIGITS.match(q)) and sum(c.isdigit() for c in q) >= 4


def apply_people_filters(
    access: Access, qs: QuerySet, *, q: str = "", filters: dict | None = None, names_done: bool = False
) -> QuerySet:
    """Name (any normal form, with or without diacritics, any part), CCCD or phone, and every fact."""
    filters = filters or {}
    q = (q or "").strip()
    if q:
        if _is_number_query(q):
            digits = re.sub(r"\D", "", q)
            phone = normalize_phone(q)
            # Searching by a number would tell who holds it: only for those who may see the numbers.
            pii_paths = access.paths_for(Perm.REGISTRY_VIEW_PII)
            if not pii_paths:
                return qs.none()
            if len(digits) == 12:
                cond = Q(cccd=digits) | Q(phone=phone)
            else:
                cond = Q(phone=phone) | Q(phone__startswith=phone) | Q(cccd__startswith=digits)
            from xhht.core.fields import subtrees_q

            qs = qs.filter(cond).filter(subtrees_q(pii_paths, "unit_path"))
        elif names_done:
            pass  # the caller restricts the names itself (people_search walks the matching names)
        else:
            for w in name_words(q):
                qs = qs.filter(name_folded__contains=w)
    for name in FACT_FILTERS:
        value = filters.get(name)
        if value == NOT_ASSESSED and Person._meta.get_field(name).null:
            qs = qs.filter(**{f"{name}__isnull": True})
        elif value not in (None, ""):
            v = _fact_value(name, value)
            qs = qs.none() if v is None else qs.filter(**{name: v})
    if not filters.get("status"):
        qs = qs.exclude(status=PersonStatus.MERGED)
    for name in BOOL_FILTERS:
        value = filters.get(name)
        if value in ("1", "0", True, False):
            qs = qs.filter(**{name: value in ("1", True)})
    village = filters.get("village")
    if village:
        # a village that cannot exist matches nobody (an id of another commune does the same)
        v = int_or_none(village, min_value=0)
        qs = qs.none() if v is None else qs.filter(village_id=v)
    commune = filters.get("commune")
    if commune:
        commune = int_or_none(commune, min_value=0)
        unit = AdminUnit.objects.filter(pk=commune).only("path").first() if commune is not None else None
        if unit is not None:
            from xhht.core.fields import subtree_q

            qs = qs.filter(subtree_q(unit.path, "unit_path"))
    ethnicity = (filters.get("ethnicity") or "").strip()
    if ethnicity:
        qs = qs.filter(ethnicity__iexact=ethnicity)
    for bound, lookup in (("birth_year_from", "gte"), ("birth_year_to", "lte")):
        value = int_or_none(filters.get(bound), min_value=0, max_value=9999)
        if value is not None:
            qs = qs.filter(**{f"birth_year__{lookup}": value})
    return qs


def _fact_value(name: str, value):
    """A value of a choice filter as its field stores it; a value no choice has matches nobody
    (``?digital_skill=abc`` is an empty list, not a server error)."""
    f = Person._meta.get_field(name)
    try:
        v = f.to_python(value)
    except (ValidationError, TypeError, ValueError, OverflowError):
        return None
    if f.choices and v not in {c[0] for c in f.flatchoices}:
        return None
    return v


PERSON_LIST_FIELDS = (
    "id",
    "full_name",
    "name_sort",
    "birth_date",
    "birth_year",
    "sex",
    "cccd",
    "phone",
    "unit_path",
    "user_id",
    "status",
    "village_id",
    "occupation",
)


def people_search(
    access: Access,
    *,
    q: str = "",
    filters: dict | None = None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of people in Vietnamese alphabetical order (keyset on (name_sort, id)).

    A name query ("thi hoa": every word is a part of the name, anywhere in it) first finds the
    matching *names* in ``PersonName`` (tens of thousands of rows, not millions), then walks them in
    order, a growing slice of names per query, reading only the people bearing them through the
    (name_sort, unit_path, id) index, until the page is full. The cost follows the rows that match,
    never the size of the province nor the place of the first match in the alphabet."""
    q = (q or "").strip()
    words = [] if (not q or _is_number_query(q)) else name_words(q)
    qs = apply_people_filters(access, people_qs(access), q=q, filters=filters, names_done=bool(words))
    qs = qs.only(*PERSON_LIST_FIELDS)
    if words:
        from .search_index import matching_names

        return _with_villages(_walk_names(qs, matching_names(words), after, limit))
    order = ("name_sort", "id")
    paths = access.paths_for(Perm.REGISTRY_VIEW)
    if connection.vendor == "sqlite" and paths and all(p.count("/") >= 3 for p in paths):
        # A commune or village: read its rows through the (unit_path, name_sort) index and sort
        # them, rather than walk the whole province's name order looking for the commune's rows.
        qs = qs.annotate(sort_x=Substr("name_sort", 1, 400))
        order = ("sort_x", "id")
    return _with_villages(keyset_page(qs, order, after, limit))


def _with_villages(page: Page) -> Page:
    """Attach ``village_name`` to each row with one query (not a join in every walked query)."""
    ids = {p.village_id for p in page.rows}
    names = dict(AdminUnit.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}
    for p in page.rows:
        p.village_name = names.get(p.village_id, "")
    return page


def _walk_names(qs: QuerySet, names: list[str], after: str | None, limit: int) -> Page:
    cursor = cursor_values(qs, ("name_sort", "id"), after)
    if cursor:
        start = bisect.bisect_left(names, str(cursor[0]))
        qs = qs.filter(Q(name_sort__gt=cursor[0]) | Q(name_sort=cursor[0], id__gt=cursor[1]))
    else:
        start = 0
    rows: list = []
    step = 16
    i = start
    while i < len(names) and len(rows) <= limit:
        part = names[i : i + step]
        rows.extend(qs.filter(name_sort__in=part).order_by("name_sort", "id")[: limit + 1 - len(rows)])
        i += step
        step = min(step * 4, 2048)
    nxt = None
    if len(rows) > limit:
        rows = rows[:limit]
        nxt = encode_cursor([rows[-1].name_sort, rows[-1].id])
    return Page(rows=rows, next_cursor=nxt)


def people_for_export(access: Access, *, q: str = "", filters: dict | None = None):
    qs = apply_people_filters(access, people_qs(access, Perm.REGISTRY_EXPORT), q=q, filters=filters)
    return qs.select_related("village").order_by("name_sort", "id")


def villages_for(access: Access, perm: str = Perm.REGISTRY_VIEW) -> QuerySet:
    """Current villages in the user's scope (for filters and forms)."""
    qs = AdminUnit.objects.filter(level=Level.VILLAGE, valid_to__isnull=True)
    return (
        access.scope(qs, perm, path_field="path")
        .select_related("parent")
        .order_by("parent__sort_key", "sort_key")
    )


def communes_for(access: Access, perm: str = Perm.REGISTRY_VIEW) -> QuerySet:
    qs = AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
    return access.scope(qs, perm, path_field="path").order_by("sort_key")


def person_history(person: Person) -> dict:
    return {
        "residences": list(
            Residence.objects.filter(person=person)
            .select_related("village", "village__parent")
            .order_by("-valid_to", "-valid_from", "-id")
        ),
        "households": list(
            HouseholdMember.objects.filter(person=person)
            .select_related("household", "household__head")
            .order_by("valid_to", "-valid_from")
        ),
        "orgs": list(
            OrgMembership.objects.filter(person=person)
            .select_related("organisation")
            .order_by("valid_to", "-valid_from")
        ),
        "association": list(
            AssociationMember.objects.filter(person=person)
            .select_related("branch")
            .prefetch_related("trainings__training")
        ),
        "merged_from": list(Person.objects.filter(merged_into=person)),
    }


# ---------------------------------------------------------------- duplicates


def likely_duplicates(
    access: Access, *, commune: AdminUnit | None = None, limit: int = 100
) -> list[list[Person]]:
    """Groups of records with the same name without diacritics, the same year of birth and the same
    commune, not yet merged nor declared distinct."""
    qs = (
        people_qs(access, Perm.REGISTRY_EDIT)
        .exclude(status=PersonStatus.MERGED)
        .filter(birth_year__isnull=False)
    )
    if commune is not None:
        from xhht.core.fields import subtree_q

        qs = qs.filter(subtree_q(commune.path, "unit_path"))
    keys = (
        qs.annotate(commune_key=Substr("unit_path", 1, 12))
        .values("commune_key", "name_folded", "birth_year")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name_folded", "birth_year")[: limit * 2]
    )
    wanted = [(k["commune_key"], k["name_folded"], k["birth_year"]) for k in keys]
    if not wanted:
        return []
    # the members of every group in one statement: one pass over the scope (an index on name and
    # birth year would serve each group by a seek, but cost every bulk import a sort of all people)
    found: dict[tuple, list[Person]] = {key: [] for key in wanted}
    for p in (
        qs.filter(name_folded__in={w[1] for w in wanted}, birth_year__in={w[2] for w in wanted})
        .select_related("village")
        .order_by("id")
    ):
        group = found.get((p.unit_path[:12], p.name_folded, p.birth_year))
        if group is not None:
            group.append(p)
    groups: list[list[Person]] = []
    for key in wanted:
        members = found[key]
        ids = [p.pk for p in members]
        distinct = set(
            PersonDistinct.objects.filter(low_id__in=ids, high_id__in=ids).values_list("low_id", "high_id")
        )
        # keep the group when at least one pair is still undecided
        pending = any((a.pk, b.pk) not in distinct for i, a in enumerate(members) for b in members[i + 1 :])
        if len(members) > 1 and pending:
            groups.append(members)
        if len(groups) >= limit:
            break
    return groups


# ---------------------------------------------------------------- other registries


def person_name_q(q: str, prefix: str = "") -> Q:
    """A condition on a person (``prefix`` "person__", "head__"…) matching a name query through the
    names table: an IN list of sort keys (indexed) rather than a substring scan of every person."""
    from .search_index import matching_names

    words = name_words(q)
    names = matching_names(words) if words else []
    if len(names) > 5000:  # a very common fragment: the scan is as good
        cond = Q()
        for w in words:
            cond &= Q(**{f"{prefix}name_folded__contains": w})
        return cond
    return Q(**{f"{prefix}name_sort__in": names})


def _search_name(qs: QuerySet, q: str, field: str = "name_folded") -> QuerySet:
    for w in re.findall(r"[a-z0-9]+", fold(q or "")):
        qs = qs.filter(**{f"{field}__contains": w})
    return qs


def households_qs(access: Access) -> QuerySet:
    return access.scope(Household.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def households_search(access: Access, *, q: str = "", village: str | None = None, after=None) -> Page:
    qs = households_qs(access).select_related("head", "village").filter(merged_into__isnull=True)
    if q:
        qs = qs.filter(Q(code__iexact=q.strip()) | person_name_q(q, "head__"))
    if village not in (None, ""):
        v = int_or_none(village, min_value=0)
        qs = qs.none() if v is None else qs.filter(village_id=v)
    return keyset_page(qs, ("code", "id"), after)


def visible_household(access: Access, pk: int) -> Household:
    return access.get_or_404(
        Household.objects.select_related("head", "village", "village__parent", "merged_into"),
        Perm.REGISTRY_VIEW,
        path_field="unit_path",
        pk=pk,
    )


def household_members(household: Household, *, current: bool = True):
    qs = HouseholdMember.objects.filter(household=household).select_related("person")
    if current:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("valid_to", "-relation", "person__name_sort")


def clans_qs(access: Access) -> QuerySet:
    return access.scope(Clan.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def clans_search(access: Access, *, q: str = "", after=None) -> Page:
    qs = _search_name(clans_qs(access).select_related("commune", "head"), q)
    return keyset_page(qs, ("name_folded", "id"), after)


def visible_clan(access: Access, pk: int) -> Clan:
    return access.get_or_404(
        Clan.objects.select_related("commune", "head"), Perm.REGISTRY_VIEW, path_field="unit_path", pk=pk
    )


def clan_households(clan: Clan) -> QuerySet:
    return (
        ClanHousehold.objects.filter(clan=clan)
        .select_related("household", "household__head", "household__village")
        .order_by("valid_to", "id")
    )


def organisations_qs(access: Access) -> QuerySet:
    return access.scope(Organisation.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def organisations_search(access: Access, *, q: str = "", kind: str = "", after=None) -> Page:
    qs = _search_name(organisations_qs(access).select_related("unit").filter(merged_into__isnull=True), q)
    if kind:
        qs = qs.filter(kind=kind)
    return keyset_page(qs, ("name_folded", "id"), after)


def visible_organisation(access: Access, pk: int) -> Organisation:
    return access.get_or_404(
        Organisation.objects.select_related("unit", "head", "head_user", "merged_into"),
        Perm.REGISTRY_VIEW,
        path_field="unit_path",
        pk=pk,
    )


def org_staff(org: Organisation):
    return (
        OrgMembership.objects.filter(organisation=org)
        .select_related("person")
        .order_by("valid_to", "person__name_sort")
    )


def centres_qs(access: Access) -> QuerySet:
    return access.scope(LearningCentre.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def centres_search(access: Access, *, q: str = "", after=None) -> Page:
    qs = centres_qs(access)
    if q:
        # a commune has one centre or two: their names are folded here rather than stored folded
        words = fold(q).split()
        ids = [pk for pk, name in qs.values_list("id", "name") if all(w in fold(name) for w in words)]
        qs = qs.filter(pk__in=ids)
    qs = qs.select_related("commune", "director", "merged_into")
    return keyset_page(qs, ("name", "id"), after)


def visible_centre(access: Access, pk: int) -> LearningCentre:
    return access.get_or_404(
        LearningCentre.objects.select_related("commune", "director", "merged_into"),
        Perm.REGISTRY_VIEW,
        path_field="unit_path",
        pk=pk,
    )


def branches_qs(access: Access) -> QuerySet:
    return access.scope(AssociationBranch.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def members_qs(access: Access) -> QuerySet:
    return access.scope(AssociationMember.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def members_search(
    access: Access, *, q: str = "", branch: str | None = None, officers: bool = False, after=None
) -> Page:
    qs = members_qs(access).select_related("person", "branch").filter(left__isnull=True)
    if q:
        qs = qs.filter(person_name_q(q, "person__"))
    if branch not in (None, ""):
        v = int_or_none(branch, min_value=0)
        qs = qs.none() if v is None else qs.filter(branch_id=v)
    if officers:
        qs = qs.filter(is_officer=True)
    return keyset_page(qs, ("person__name_sort", "id"), after)


def visible_member(access: Access, pk: int) -> AssociationMember:
    return access.get_or_404(
        AssociationMember.objects.select_related("person", "branch"),
        Perm.REGISTRY_VIEW,
        path_field="unit_path",
        pk=pk,
    )


def trainings_qs(access: Access) -> QuerySet:
    return access.scope(Training.objects.all(), Perm.REGISTRY_VIEW, path_field="unit_path")


def visible_training(access: Access, pk: int) -> Training:
    return access.get_or_404(
        Training.objects.select_related("unit"), Perm.REGISTRY_VIEW, path_field="unit_path", pk=pk
    )


def training_candidates(access: Access, training: Training) -> QuerySet:
    """Current association members of the training's area that the user may record."""
    from xhht.core.fields import subtree_q

    return access.scope(
        AssociationMember.objects.filter(left__isnull=True).filter(
            subtree_q(training.unit_path, "unit_path")
        ),
        Perm.REGISTRY_EDIT,
        path_field="unit_path",
    )


def training_candidates_page(
    access: Access, training: Training, *, q: str = "", after: str | None = None, limit: int = 100
) -> Page:
    qs = training_candidates(access, training).select_related("person", "branch")
    if q:
        qs = qs.filter(person_name_q(q, "person__"))
    return keyset_page(qs, ("person__name_sort", "id"), after, limit)


def visible_unit_for_edit(access: Access, pk, levels=(Level.VILLAGE,)) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=pk, level__in=levels).first() if str(pk).isdigit() else None
    if unit is None or not access.has(Perm.REGISTRY_EDIT, unit):
        raise Http404
    return unit


def person_choices(access: Access, q: str, *, limit: int = 20) -> list[Person]:
    """People for a picker (head of household, staff…): the user's scope, by name, CCCD or phone."""
    if not q:
        return []
    return people_search(access, q=q, filters={"status": PersonStatus.ACTIVE}, limit=limit).rows


def mask_for(access: Access) -> PiiMask:
    return PiiMask(access)


__all__ = ["mask_cccd", "mask_phone"]
