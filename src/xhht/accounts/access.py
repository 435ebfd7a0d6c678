"""The one place that decides what a user may see and do.

Every view, API endpoint, export and service asks ``access_for(user)`` and then either
``.require(perm, unit)`` (raises ``PermissionDenied``) or ``.scope(queryset, perm, path_field=…)``
(returns only the rows under the units where the user holds ``perm``). A role is bound to a unit and
covers its whole subtree; permissions are granted per role in ``ROLE_PERMISSIONS`` below.

Citizens hold no unit-wide permission: they see their own records through ``owner_field``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xhht.core.fields import minimal_paths, subtrees_q

from .models import Role, RoleAssignment


class Perm:
    """Permission names. Keep them grouped by app; roles map to them below."""

    UNIT_VIEW = "unit.view"
    UNIT_MANAGE_VILLAGES = "unit.manage_villages"
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "users.manage"
    REGISTRY_VIEW = "registry.view"
    REGISTRY_EDIT = "registry.edit"
    REGISTRY_IMPORT = "registry.import"
    REGISTRY_EXPORT = "registry.export"
    REGISTRY_VIEW_PII = "registry.view_pii"
    # Verify a citizen's sign-up against the card and start their password resets (commune officers).
    CITIZEN_ACCOUNTS = "accounts.citizens"
    CRITERIA_MANAGE = "criteria.manage"
    CAMPAIGN_MANAGE = "campaign.manage"
    SELF_ASSESS = "recognition.self_assess"
    ASSESS_ON_BEHALF = "recognition.assess_on_behalf"
    REVIEW = "recognition.review"
    DECIDE = "recognition.decide"
    PLANS_VIEW = "plans.view"
    PLANS_MANAGE = "plans.manage"
    DATASET_ENTER = "datasets.enter"
    DATASET_APPROVE = "datasets.approve"
    REPORTS_VIEW = "reports.view"


_OFFICER_READ = {Perm.UNIT_VIEW, Perm.REGISTRY_VIEW, Perm.PLANS_VIEW, Perm.REPORTS_VIEW, Perm.REGISTRY_EXPORT}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(v for k, v in vars(Perm).items() if k.isupper()),
    Role.SO_GDDT: frozenset(
        _OFFICER_READ
        | {
            Perm.REGISTRY_VIEW_PII,
            Perm.AUDIT_VIEW,
            Perm.CRITERIA_MANAGE,
            Perm.CAMPAIGN_MANAGE,
            Perm.DECIDE,
            Perm.PLANS_MANAGE,
            Perm.DATASET_ENTER,
            Perm.DATASET_APPROVE,
        }
    ),
    Role.HKH_TINH: frozenset(
        _OFFICER_READ | {Perm.CRITERIA_MANAGE, Perm.CAMPAIGN_MANAGE, Perm.REVIEW, Perm.DATASET_ENTER}
    ),
    Role.HKH_XA: frozenset(
        _OFFICER_READ
        | {
            Perm.UNIT_MANAGE_VILLAGES,
            Perm.REGISTRY_EDIT,
            Perm.REGISTRY_IMPORT,
            Perm.REGISTRY_VIEW_PII,
            Perm.CITIZEN_ACCOUNTS,
            Perm.ASSESS_ON_BEHALF,
            Perm.REVIEW,
            Perm.CAMPAIGN_MANAGE,
            Perm.DATASET_ENTER,
        }
    ),
    Role.UBND_XA: frozenset(
        _OFFICER_READ
        | {
            Perm.UNIT_MANAGE_VILLAGES,
            Perm.REGISTRY_EDIT,
            Perm.REGISTRY_VIEW_PII,
            Perm.CITIZEN_ACCOUNTS,
            Perm.DECIDE,
            Perm.AUDIT_VIEW,
        }
    ),
    Role.TRUONG_THON: frozenset(
        {Perm.UNIT_VIEW, Perm.REGISTRY_VIEW, Perm.REGISTRY_EDIT, Perm.ASSESS_ON_BEHALF, Perm.SELF_ASSESS}
    ),
    Role.THU_TRUONG: frozenset({Perm.UNIT_VIEW, Perm.SELF_ASSESS}),
    Role.CONG_DAN: frozenset({Perm.SELF_ASSESS}),
}

# Roles whose holders work for the state on a territory (used for navigation and the staff pages).
STAFF_ROLES = frozenset(
    {Role.ADMIN, Role.SO_GDDT, Role.HKH_TINH, Role.HKH_XA, Role.UBND_XA, Role.TRUONG_THON}
)


@dataclass
class Access:
    """What one user may do, computed once per request."""

    user: object
    assignments: list[RoleAssignment] = field(default_factory=list)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @cached_property
    def roles(self) -> set[str]:
        roles = {a.role for a in self.assignments}
        if getattr(self.user, "is_superuser", False):
            roles.add(Role.ADMIN)
        return roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_staff_officer(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_citizen(self) -> bool:
        return Role.CONG_DAN in self.roles

    def paths_for(self, perm: str) -> list[str]:
        """The roots of the subtrees where the user holds ``perm``."""
        if self.is_admin:
            return ["VN/"]
        return minimal_paths(
            a.unit_path for a in self.assignments if perm in ROLE_PERMISSIONS.get(a.role, ())
        )

    def perms(self) -> set[str]:
        out: set[str] = set()
        for role in self.roles:
            out |= ROLE_PERMISSIONS.get(role, frozenset())
        return out

    def has(self, perm: str, unit=None) -> bool:
        """Does the user hold ``perm`` anywhere (``unit`` None) or over ``unit`` (a unit or a path)?"""
        paths = self.paths_for(perm)
        if unit is None:
            return bool(paths)
        path = unit if isinstance(unit, str) else unit.path
        return any(path.startswith(p) for p in paths)

    def require(self, perm: str, unit=None) -> None:
        if not self.has(perm, unit):
            raise PermissionDenied

    def scope(
        self,
        qs: QuerySet,
        perm: str,
        *,
        path_field: str | None = "unit__path",
        owner_field: str | None = None,
    ) -> QuerySet:
        """Only the rows of ``qs`` the user may see with ``perm``.

        ``path_field`` names the materialised path that places a row in the map; ``owner_field``
        names the user who owns the row (a citizen's own record), which is always visible to them.
        """
        cond = Q(pk__in=[])
        if path_field:
            paths = self.paths_for(perm)
            if paths == ["VN/"]:
                return qs
            if paths:
                cond |= subtrees_q(paths, path_field)
        if owner_field and self.is_authenticated:
            cond |= Q(**{owner_field: self.user})
        return qs.filter(cond)

    def get_or_404(
        self, qs: QuerySet, perm: str, *, path_field: str = "unit__path", owner_field=None, **lookup
    ):
        """Fetch one row the user may see, or 404 — never 403, so ids of other communes leak nothing."""
        try:
            return self.scope(qs, perm, path_field=path_field, owner_field=owner_field).get(**lookup)
        except qs.model.DoesNotExist:
            raise Http404

    def units(self, perm: str = Perm.UNIT_VIEW) -> list:
        """The units at the roots of the user's scope, for the home page and the tree."""
        from xhht.geo.models import AdminUnit

        paths = self.paths_for(perm)
        return list(AdminUnit.objects.filter(path__in=paths).order_by("path"))


ANONYMOUS = Access(user=None)


def access_for(user) -> Access:
    """The user's access, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access(user=user)
    cached = getattr(user, "_xhht_access", None)
    if cached is not None:
        return cached
    assignments = list(RoleAssignment.objects.active().filter(user=user).select_related("unit"))
    access = Access(user=user, assignments=assignments)
    user._xhht_access = access
    return access


def grant(user, role: str, unit, *, position: str = "", valid_from=None) -> RoleAssignment:
    """Give ``user`` the ``role`` over ``unit``'s subtree (idempotent)."""
    import datetime as dt

    ra, _ = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        valid_to=None,
        defaults={"position": position, "valid_from": valid_from or dt.date(2025, 7, 1)},
    )
    if hasattr(user, "_xhht_access"):
        del user._xhht_access
    return ra


def require_any(access: Access, perms: Iterable[str]) -> None:
    if not any(access.has(p) for p in perms):
        raise PermissionDenied
