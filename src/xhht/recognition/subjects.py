"""The subjects a title is awarded to, seen uniformly: its registry row, display name, the unit it is
placed in, and who may act for it (the citizen, household head, clan head, organisation head,
village head)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.http import Http404

from xhht.accounts.models import Role
from xhht.core.titles import SUBJECT_MODEL, TITLE_SUBJECT, SubjectType
from xhht.geo.models import AdminUnit


@dataclass
class Subject:
    type: str
    obj: object

    @property
    def id(self) -> int:
        return self.obj.pk

    @property
    def name(self) -> str:
        o = self.obj
        if self.type == SubjectType.HOUSEHOLD:
            return f"Hộ {o.head.full_name}" if o.head_id else f"Hộ {o.code}"
        if self.type == SubjectType.PERSON:
            return o.full_name
        return o.name

    @property
    def unit(self) -> AdminUnit:
        o = self.obj
        if self.type in (SubjectType.PERSON, SubjectType.HOUSEHOLD):
            return o.village
        if self.type in (SubjectType.CLAN, SubjectType.CENTRE):
            return o.commune
        if self.type == SubjectType.ORGANISATION:
            return o.unit
        return o  # an administrative unit is placed at itself

    def owner_users(self) -> list:
        """Accounts that act for the subject in their own name (not on behalf)."""
        o = self.obj
        users = []
        if self.type == SubjectType.PERSON and o.user_id:
            users.append(o.user)
        elif self.type in (SubjectType.HOUSEHOLD, SubjectType.CLAN) and o.head_id and o.head.user_id:
            users.append(o.head.user)
        elif self.type == SubjectType.ORGANISATION:
            if o.head_user_id:
                users.append(o.head_user)
            if o.head_id and o.head.user_id:
                users.append(o.head.user)
        return users

    def is_owner(self, user, access=None) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if any(u.pk == user.pk for u in self.owner_users()):
            return True
        if self.type == SubjectType.UNIT and access is not None:
            # A village head acts for the village (Cộng đồng học tập thôn).
            return any(a.role == Role.TRUONG_THON and a.unit_id == self.obj.pk for a in access.assignments)
        return False


def subject_model(subject_type: str):
    return apps.get_model(SUBJECT_MODEL[subject_type])


def load_subject(subject_type: str, subject_id: int) -> Subject:
    model = subject_model(subject_type)
    qs = model.objects.all()
    if subject_type == SubjectType.HOUSEHOLD:
        qs = qs.select_related("head", "head__user", "village")
    elif subject_type == SubjectType.PERSON:
        qs = qs.select_related("village", "user")
    elif subject_type == SubjectType.CLAN:
        qs = qs.select_related("head", "head__user", "commune")
    elif subject_type == SubjectType.ORGANISATION:
        qs = qs.select_related("head", "head__user", "unit")
    try:
        return Subject(subject_type, qs.get(pk=subject_id))
    except model.DoesNotExist:
        raise Http404


def subject_for_title(title: str, subject_id: int) -> Subject:
    return load_subject(TITLE_SUBJECT[title], subject_id)


def unit_label(unit: AdminUnit) -> str:
    """The unit and its ancestors below the country, as named that day: 'Thôn 1, Xã Đăk Mar, Tỉnh Quảng Ngãi'."""
    chain = [a for a in unit.ancestors() if a.level > 0] + [unit]
    return ", ".join(a.name for a in reversed(chain))


def mask_name(name: str) -> str:
    """'Nguyễn Thị Hoa' -> 'Nguyễn T** H**': the family name and initials only."""
    parts = (name or "").split()
    if len(parts) <= 1:
        return (parts[0][:1] + "**") if parts else ""
    return " ".join([parts[0], *(p[:1] + "**" for p in parts[1:])])


def holder_display(subject_type: str, name: str) -> str:
    """What the public verification page may show of the holder."""
    if subject_type == SubjectType.PERSON:
        return mask_name(name)
    if subject_type == SubjectType.HOUSEHOLD and name.startswith("Hộ "):
        return "Hộ " + mask_name(name[3:])
    return name
