"""Citizen accounts: sign-up with matching against the registry, and officers' resolution."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for, grant
from xhht.accounts.models import Role, RoleAssignment, User
from xhht.core.text import normalize
from xhht.registry.models import Person, PersonStatus

from .models import AccountClaim, ClaimStatus


def _same_name(a: str, b: str) -> bool:
    return normalize(a).casefold() == normalize(b).casefold()


def _digits(phone: str) -> str:
    d = "".join(ch for ch in phone or "" if ch.isdigit())
    return "0" + d[2:] if d.startswith("84") and len(d) == 11 else d


def matching_people(*, cccd: str, full_name: str, birth_date: dt.date, phone: str) -> list[Person]:
    """Registry records whose CCCD, name, date of birth (and phone, when the record has one) all match."""
    out = []
    for p in Person.objects.filter(cccd=cccd, status=PersonStatus.ACTIVE).select_related("village"):
        if not _same_name(p.full_name, full_name) or p.birth_date != birth_date:
            continue
        if p.phone and _digits(p.phone) != _digits(phone):
            continue
        out.append(p)
    return out


def link(user: User, person: Person) -> None:
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    if user.full_name != person.full_name:  # the registry spelling wins
        user.full_name = person.full_name
        user.save(update_fields=["full_name"])
    grant(user, Role.CONG_DAN, person.village)


@transaction.atomic
def citizen_signup(
    *, cccd: str, full_name: str, birth_date: dt.date, phone: str, password: str
) -> tuple[User, AccountClaim]:
    """Create the account (username = CCCD). Linked at once when the details match exactly one record."""
    cccd = cccd.strip()
    if len(cccd) != 12 or not cccd.isdigit():
        raise ValidationError({"cccd": _("Số CCCD gồm đúng 12 chữ số.")})
    if User.objects.filter(username=cccd).exists():
        raise ValidationError(
            {"cccd": _("Số CCCD này đã có tài khoản. Hãy đăng nhập hoặc liên hệ cán bộ xã.")}
        )
    full_name = normalize(full_name)
    user = User(username=cccd, full_name=full_name, phone=_digits(phone))
    user.set_password(password)
    user.save()
    matches = matching_people(cccd=cccd, full_name=full_name, birth_date=birth_date, phone=phone)
    claim = AccountClaim(
        user=user, cccd=cccd, full_name=full_name, birth_date=birth_date, phone=_digits(phone)
    )
    if len(matches) == 1 and matches[0].user_id is None:
        link(user, matches[0])
        claim.status = ClaimStatus.LINKED
        claim.person = matches[0]
        claim.unit_path = matches[0].unit_path
        claim.note = _("Tự động liên kết: thông tin khớp đúng một hồ sơ.")
    else:
        near = Person.objects.filter(cccd=cccd).first()
        claim.unit_path = near.unit_path if near else "VN/"
        claim.note = (
            _("Thông tin chưa khớp với sổ đăng ký.") if not matches else _("Hồ sơ đã có tài khoản khác.")
        )
    claim.save()
    return user, claim


def candidates_for(claim: AccountClaim) -> list[Person]:
    from xhht.core.text import fold

    by_cccd = list(Person.objects.filter(cccd=claim.cccd).select_related("village"))
    by_name = list(
        Person.objects.filter(name_folded=fold(claim.full_name), birth_date=claim.birth_date).select_related(
            "village"
        )[:20]
    )
    seen, out = set(), []
    for p in by_cccd + by_name:
        if p.pk not in seen:
            seen.add(p.pk)
            out.append(p)
    return out


@transaction.atomic
def claim_resolve(*, user, claim: AccountClaim, person: Person | None, note: str = "") -> AccountClaim:
    """An officer links the account to ``person`` (in their scope), or rejects it (``person`` None)."""
    access = access_for(user)
    if person is not None:
        access.require(Perm.REGISTRY_EDIT, person.unit_path)
        if person.user_id and person.user_id != claim.user_id:
            raise ValidationError(_("Hồ sơ %(name)s đã có tài khoản khác.") % {"name": person.full_name})
        link(claim.user, person)
        claim.status = ClaimStatus.LINKED
        claim.person = person
    else:
        if not access.has(Perm.REGISTRY_EDIT, claim.unit_path or "VN/"):
            raise PermissionDenied
        claim.status = ClaimStatus.REJECTED
    claim.note = normalize(note)[:300] or claim.note
    claim.resolved_by = user
    claim.resolved_at = timezone.now()
    claim.save()
    return claim


@transaction.atomic
def citizen_account_create(*, user, person: Person, password: str | None) -> User:
    """An officer creates the account for a resident (username = CCCD) and links it. ``password``
    None leaves it unusable until the resident sets one through a link."""
    access_for(user).require(Perm.REGISTRY_EDIT, person.unit_path)
    if person.user_id:
        raise ValidationError(_("%(name)s đã có tài khoản.") % {"name": person.full_name})
    if not person.cccd:
        raise ValidationError(_("Hồ sơ %(name)s chưa có số CCCD.") % {"name": person.full_name})
    if User.objects.filter(username=person.cccd).exists():
        raise ValidationError(_("Số CCCD này đã có tài khoản."))
    citizen = User(username=person.cccd, full_name=person.full_name, phone=person.phone)
    if password is None:
        citizen.set_unusable_password()
    else:
        citizen.set_password(password)
    citizen.save()
    link(citizen, person)
    AccountClaim.objects.create(
        user=citizen,
        cccd=person.cccd,
        full_name=person.full_name,
        birth_date=person.birth_date or dt.date(1900, 1, 1),
        phone=person.phone,
        status=ClaimStatus.LINKED,
        person=person,
        unit_path=person.unit_path,
        note=_("Cán bộ tạo tài khoản"),
        resolved_by=user,
        resolved_at=timezone.now(),
    )
    return citizen


# A one-time password a person can read out and type on a phone: no 0/o, 1/l/i.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    return "-".join("".join(secrets.choice(_OTP_ALPHABET) for _ in range(4)) for _ in range(3))


class Issue:
    PASSWORD = "password"
    LINK = "link"


def _is_plain_citizen(account: User) -> bool:
    """Only citizens' accounts may be handed out by an officer — never a colleague's."""
    if account.is_superuser or account.is_staff:
        return False
    roles = set(RoleAssignment.objects.active().filter(user=account).values_list("role", flat=True))
    return roles <= {Role.CONG_DAN}


@transaction.atomic
def citizen_access_issue(*, user, person: Person, method: str) -> tuple[User, str]:
    """Give a resident a way in: a new account when they have none, or new credentials for their
    citizen account (forgotten password). ``method`` = "password": a one-time password to print,
    which must be changed at the first login; "link": a set-password token (valid
    ``PASSWORD_RESET_TIMEOUT``, usable once). Returns (account, password or token)."""
    access_for(user).require(Perm.REGISTRY_EDIT, person.unit_path)
    if method not in (Issue.PASSWORD, Issue.LINK):
        raise ValidationError(_("Chọn cách giao mật khẩu."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    password = one_time_password() if method == Issue.PASSWORD else None
    if person.user_id is None:
        account = citizen_account_create(user=user, person=person, password=password)
    else:
        account = User.objects.select_for_update().get(pk=person.user_id)
        if not _is_plain_citizen(account):
            raise ValidationError(
                _("Tài khoản của %(name)s là tài khoản cán bộ; chỉ quản trị hệ thống cấp lại được.")
                % {"name": person.full_name}
            )
        if password is None:
            account.set_unusable_password()
        else:
            account.set_password(password)
        account.save(update_fields=["password"])  # audited; the hash itself is never written to the trail
    claim, _created = AccountClaim.objects.get_or_create(
        user=account,
        defaults={
            "cccd": person.cccd or account.username,
            "full_name": person.full_name,
            "birth_date": person.birth_date or dt.date(1900, 1, 1),
            "phone": person.phone,
            "status": ClaimStatus.LINKED,
            "person": person,
            "unit_path": person.unit_path,
        },
    )
    claim.must_set_password = method == Issue.PASSWORD
    claim.note = (
        _("Cán bộ %(who)s in mật khẩu một lần")
        if method == Issue.PASSWORD
        else _("Cán bộ %(who)s cấp đường dẫn đặt mật khẩu")
    ) % {"who": user.get_username()}
    claim.save(update_fields=["must_set_password", "note"])
    if method == Issue.LINK:
        return account, default_token_generator.make_token(account)
    return account, password


@transaction.atomic
def citizen_password_set(*, account: User, password: str) -> User:
    """The citizen chose their own password (after a one-time password or through a link)."""
    password_validation.validate_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    AccountClaim.objects.filter(user=account, must_set_password=True).update(must_set_password=False)
    return account


def must_set_password(account) -> bool:
    return AccountClaim.objects.filter(user=account, must_set_password=True).exists()
