"""Citizen accounts: sign-up, verification (by an officer who checked the card, or by a code sent to
the phone on the record), and officers starting a password reset that only the citizen can finish.

The rules that keep a stranger out of another person's record:

- Sign-up never links by itself: CCCD, name and birth date are printed on the card and prove nothing.
  It creates an unverified account, whose username is *not* the CCCD, and a pending claim; the answer
  is the same whether or not the CCCD is known or has an account.
- A link is made by an officer whose scope holds both the claim and the person, after checking the
  card, or by the one-time code sent to the phone already on the record. Only then does the account
  take the CCCD as its username; other open claims on that CCCD are closed and their accounts
  disabled. Every link is audited and the citizen is told by a message to the record's phone.
- An officer never holds a working password: a reset gives the citizen a single-use link (printed
  for them in person, or sent to the record's phone); the old password works until the citizen sets
  a new one, which ends every other session (Django checks a session against the password hash).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from xhht.accounts import audit
from xhht.accounts.access import Perm, access_for, grant
from xhht.accounts.models import AuditEvent, Role, RoleAssignment, User
from xhht.core.text import fold, normalize
from xhht.registry.cccd import mask_phone
from xhht.registry.models import Person, PersonStatus

from . import sms
from .models import AccountClaim, ClaimStatus, VerificationCode


def _same_name(a: str, b: str) -> bool:
    return normalize(a).casefold() == normalize(b).casefold()


def _digits(phone: str) -> str:
    d = "".join(ch for ch in phone or "" if ch.isdigit())
    return "0" + d[2:] if d.startswith("84") and len(d) == 11 else d


def _unverified_username() -> str:
    """Not the CCCD: a CCCD is never held by an account that has not proved it."""
    return f"cho-xac-minh-{secrets.token_hex(6)}"


def matching_people(*, cccd: str, full_name: str, birth_date: dt.date) -> list[Person]:
    """Active registry records whose CCCD, name and date of birth all match."""
    return [
        p
        for p in Person.objects.filter(cccd=cccd, status=PersonStatus.ACTIVE).select_related("village")
        if _same_name(p.full_name, full_name) and p.birth_date == birth_date
    ]


@transaction.atomic
def citizen_signup(
    *, cccd: str, full_name: str, birth_date: dt.date, phone: str, password: str
) -> tuple[User, AccountClaim]:
    """Create an unverified account and its claim. When the details match exactly one record that has
    a phone and no account, a code goes to that phone (not to the phone typed here)."""
    cccd = cccd.strip()
    if len(cccd) != 12 or not cccd.isdigit():
        raise ValidationError({"cccd": _("Số CCCD gồm đúng 12 chữ số.")})
    full_name = normalize(full_name)
    user = User(username=_unverified_username(), full_name=full_name, phone=_digits(phone))
    user.set_password(password)
    user.save()
    claim = AccountClaim(
        user=user, cccd=cccd, full_name=full_name, birth_date=birth_date, phone=_digits(phone)
    )
    near = (
        Person.objects.filter(cccd=cccd, status=PersonStatus.ACTIVE).order_by("pk").first()
        or Person.objects.filter(
            name_folded=fold(full_name), birth_date=birth_date, status=PersonStatus.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    claim.unit_path = near.unit_path if near else "VN/"
    claim.note = _("Chờ xác minh")
    claim.save()
    matches = matching_people(cccd=cccd, full_name=full_name, birth_date=birth_date)
    if len(matches) == 1 and matches[0].phone and matches[0].user_id is None:
        _code_send(claim, matches[0])
    return user, claim


def _code_hash(claim_id: int, code: str) -> str:
    return salted_hmac("xhht.portal.code", f"{claim_id}:{code}").hexdigest()


def _code_send(claim: AccountClaim, person: Person) -> VerificationCode | None:
    from xhht.accounts import throttle

    if not throttle.hit("code_send_cccd", claim.cccd):
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.filter(claim=claim, used_at__isnull=True).update(used_at=timezone.now())
    vc = VerificationCode.objects.create(
        claim=claim,
        person=person,
        sent_to=mask_phone(person.phone),
        code_hash=_code_hash(claim.pk, code),
        expires_at=timezone.now() + dt.timedelta(minutes=settings.XHHT_CODE_MINUTES),
    )
    sms.send(
        to=person.phone,
        text=_(
            "XHHT: mã xác minh tài khoản của bạn là %(code)s (dùng trong %(m)s phút). "
            "Nếu bạn không đăng ký, hãy bỏ qua tin này."
        )
        % {"code": code, "m": settings.XHHT_CODE_MINUTES},
    )
    return vc


def code_resend(*, account: User) -> bool:
    """Send a new code when the claim's details match exactly one record with a phone. The answer
    (True) is the same whether or not anything was sent, so it tells nobody what the registry holds;
    False only when the throttle refused."""
    from xhht.accounts import throttle

    claim = AccountClaim.objects.filter(user=account, status=ClaimStatus.PENDING).first()
    if claim is None:
        return True
    if not throttle.allowed("code_send_cccd", claim.cccd):
        return False
    matches = matching_people(cccd=claim.cccd, full_name=claim.full_name, birth_date=claim.birth_date)
    if len(matches) == 1 and matches[0].phone and matches[0].user_id is None:
        with transaction.atomic():
            _code_send(claim, matches[0])
    return True


def code_verify(*, account: User, code: str) -> AccountClaim:
    """The citizen types the code. Wrong tries are counted (and kept) even though this raises."""
    claim = AccountClaim.objects.filter(user=account, status=ClaimStatus.PENDING).first()
    wrong = ValidationError({"code": _("Mã không đúng hoặc đã hết hạn. Bạn có thể xin mã mới.")})
    if claim is None:
        raise wrong
    code = "".join(ch for ch in code or "" if ch.isdigit())
    with transaction.atomic():
        vc = (
            VerificationCode.objects.select_for_update()
            .filter(claim=claim, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if vc is None or vc.attempts >= VerificationCode.MAX_ATTEMPTS:
            raise wrong
        vc.attempts += 1
        ok = len(code) == 6 and constant_time_compare(vc.code_hash, _code_hash(claim.pk, code))
        if ok:
            vc.used_at = timezone.now()
        vc.save(update_fields=["attempts", "used_at"])
    if not ok:
        raise wrong
    with transaction.atomic():
        return _link(
            claim,
            vc.person,
            by=None,
            note=_("Xác minh bằng mã gửi tới số điện thoại %(p)s") % {"p": vc.sent_to},
        )


def _link(claim: AccountClaim, person: Person, *, by: User | None, note: str) -> AccountClaim:
    """Tie the claim's account to ``person``: the account takes the CCCD, the citizen role over the
    person's village; other open claims on the CCCD close. Inside the caller's transaction."""
    person = Person.objects.select_for_update().select_related("village").get(pk=person.pk)
    account = User.objects.select_for_update().get(pk=claim.user_id)
    if person.user_id and person.user_id != account.pk:
        raise ValidationError(_("Hồ sơ %(name)s đã có tài khoản khác.") % {"name": person.full_name})
    cccd = person.cccd or claim.cccd
    if person.cccd and person.cccd != claim.cccd:
        raise ValidationError(
            _("Số CCCD trong hồ sơ %(name)s khác số CCCD người đăng ký đã khai.") % {"name": person.full_name}
        )
    if User.objects.filter(username=cccd).exclude(pk=account.pk).exists():
        raise ValidationError(
            _("Số CCCD này đã có tài khoản đã xác minh. Nếu người dân quên mật khẩu, hãy cấp lại mật khẩu.")
        )
    account.username = cccd
    account.full_name = person.full_name  # the registry spelling wins
    account.save(update_fields=["username", "full_name"])
    person.user = account
    person.save(update_fields=["user", "updated_at"])
    grant(account, Role.CONG_DAN, person.village)
    claim.status = ClaimStatus.LINKED
    claim.person = person
    claim.unit_path = person.unit_path
    claim.note = normalize(note)[:300]
    claim.resolved_by = by
    claim.resolved_at = timezone.now()
    claim.save()
    for other in AccountClaim.objects.filter(cccd=cccd, status=ClaimStatus.PENDING).exclude(pk=claim.pk):
        other.status = ClaimStatus.REJECTED
        other.note = _("Số CCCD đã được xác minh cho một tài khoản khác.")
        other.resolved_at = timezone.now()
        other.save()
        User.objects.filter(pk=other.user_id).update(is_active=False)
        audit.record(
            AuditEvent.Action.UPDATE,
            other.user,
            changes={"is_active": [True, False]},
            note="Khoá tài khoản chưa xác minh trùng số CCCD",
            unit_path=other.unit_path,
        )
    sms.send(
        to=person.phone or claim.phone,
        text=_(
            "XHHT: tài khoản đăng nhập bằng số CCCD của bạn đã được liên kết với hồ sơ trong sổ đăng ký. "
            "Nếu không phải bạn, hãy báo ngay UBND xã."
        ),
    )
    return claim


def candidates_for(claim: AccountClaim, access) -> list[Person]:
    """Records in the officer's scope the claim may be: the same CCCD, or the same name and birth date."""
    scoped = access.scope(
        Person.objects.select_related("village"), Perm.CITIZEN_ACCOUNTS, path_field="unit_path"
    )
    by_cccd = list(scoped.filter(cccd=claim.cccd)[:20])
    by_name = list(scoped.filter(name_folded=fold(claim.full_name), birth_date=claim.birth_date)[:20])
    seen, out = set(), []
    for p in by_cccd + by_name:
        if p.pk not in seen:
            seen.add(p.pk)
            out.append(p)
    return out


def claims_visible(access):
    """Pending claims in the officer's scope."""
    return access.scope(
        AccountClaim.objects.filter(status=ClaimStatus.PENDING).select_related("user"),
        Perm.CITIZEN_ACCOUNTS,
        path_field="unit_path",
    )


@transaction.atomic
def claim_resolve(
    *, user, claim: AccountClaim, person: Person | None, note: str = "", card_checked: bool = False
) -> AccountClaim:
    """An officer links the claim to ``person`` after checking the card, or rejects it (``person``
    None). Both the claim and the person must be in the officer's scope."""
    access = access_for(user)
    claim = access.get_or_404(
        AccountClaim.objects.select_for_update(), Perm.CITIZEN_ACCOUNTS, path_field="unit_path", pk=claim.pk
    )
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("Yêu cầu này đã được xử lý."))
    if person is not None:
        person = access.get_or_404(
            Person.objects.all(), Perm.CITIZEN_ACCOUNTS, path_field="unit_path", pk=person.pk
        )
        if not card_checked:
            raise ValidationError(_("Hãy đối chiếu CCCD bản gốc của người dân rồi đánh dấu ô xác nhận."))
        return _link(
            claim,
            person,
            by=user,
            note=normalize(note) or _("Cán bộ %(who)s đã đối chiếu CCCD") % {"who": user.get_username()},
        )
    claim.status = ClaimStatus.REJECTED
    claim.note = normalize(note)[:300] or _("Không xác minh được")
    claim.resolved_by = user
    claim.resolved_at = timezone.now()
    claim.save()
    return claim


class Issue:
    PRINT = "print"  # a set-password link printed on a slip, handed over in person
    SEND = "send"  # the same link sent to the phone on the record; the officer never sees it


def _is_plain_citizen(account: User) -> bool:
    """Only citizens' accounts may be handled by an officer — never a colleague's."""
    if account.is_superuser or account.is_staff:
        return False
    roles = set(RoleAssignment.objects.active().filter(user=account).values_list("role", flat=True))
    return roles <= {Role.CONG_DAN}


@transaction.atomic
def citizen_access_issue(*, user, person: Person, method: str) -> tuple[User, str]:
    """An officer gives a resident a way in: a new account when they have none, or a password reset.
    Returns (account, set-password token). The token sets a password once; until it is used the
    citizen's own password keeps working, so the officer never holds a working password or session.
    ``method`` PRINT: the officer prints the link for the citizen; SEND: it goes to the record's
    phone and the caller must not show it."""
    access_for(user).require(Perm.CITIZEN_ACCOUNTS, person.unit_path)
    if method not in (Issue.PRINT, Issue.SEND):
        raise ValidationError(_("Chọn cách giao đường dẫn đặt mật khẩu."))
    person = Person.objects.select_for_update().select_related("village").get(pk=person.pk)
    if method == Issue.SEND and not person.phone:
        raise ValidationError(
            _("Hồ sơ %(name)s chưa có số điện thoại: hãy in phiếu.") % {"name": person.full_name}
        )
    if person.user_id is None:
        if not person.cccd:
            raise ValidationError(_("Hồ sơ %(name)s chưa có số CCCD.") % {"name": person.full_name})
        if User.objects.filter(username=person.cccd).exists():
            raise ValidationError(_("Số CCCD này đã có tài khoản đã xác minh của hồ sơ khác."))
        account = User(username=_unverified_username(), full_name=person.full_name, phone=person.phone)
        account.set_unusable_password()
        account.save()
        claim = AccountClaim.objects.create(
            user=account,
            cccd=person.cccd,
            full_name=person.full_name,
            birth_date=person.birth_date or dt.date(1900, 1, 1),
            phone=person.phone,
            unit_path=person.unit_path,
        )
        _link(claim, person, by=user, note=_("Cán bộ %(who)s tạo tài khoản") % {"who": user.get_username()})
        account.refresh_from_db()
    else:
        account = User.objects.get(pk=person.user_id)
        if not _is_plain_citizen(account):
            raise ValidationError(
                _("Tài khoản của %(name)s là tài khoản cán bộ; chỉ quản trị hệ thống cấp lại được.")
                % {"name": person.full_name}
            )
    token = default_token_generator.make_token(account)
    audit.record(
        AuditEvent.Action.OTHER,
        account,
        changes={"method": method},
        note=f"Cán bộ {user.get_username()} cấp đường dẫn đặt mật khẩu ({method})",
        unit_path=person.unit_path,
    )
    sms.send(
        to=person.phone,
        text=_(
            "XHHT: cán bộ xã vừa cấp đường dẫn đặt mật khẩu cho tài khoản của bạn. Mật khẩu cũ vẫn dùng "
            "được cho tới khi bạn đặt mật khẩu mới. Nếu bạn không yêu cầu, hãy báo UBND xã."
        ),
    )
    return account, token


def set_password_link(request, account: User, token: str) -> str:
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return request.build_absolute_uri(
        reverse("portal:set_password", args=[urlsafe_base64_encode(force_bytes(account.pk)), token])
    )


def send_link(*, person: Person, link: str) -> None:
    sms.send(
        to=person.phone,
        text=_("XHHT: mở đường dẫn sau để đặt mật khẩu (dùng được một lần): %(link)s") % {"link": link},
    )


@transaction.atomic
def citizen_password_set(*, account: User, password: str) -> User:
    """The citizen chose their own password (through a single-use link). Every other session ends:
    Django checks each session against the password hash."""
    password_validation.validate_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    person = Person.objects.filter(user=account).first()
    sms.send(
        to=(person.phone if person else "") or account.phone,
        text=_(
            "XHHT: mật khẩu tài khoản của bạn vừa được đặt lại; các phiên đăng nhập khác đã kết thúc. "
            "Nếu không phải bạn, hãy báo ngay UBND xã."
        ),
    )
    return account


def password_forgotten(*, cccd: str, request) -> None:
    """Self-service: a set-password link to the phone on the record of the verified account with
    this CCCD. Says nothing about whether there is one."""
    cccd = "".join(ch for ch in cccd or "" if ch.isdigit())
    account = User.objects.filter(username=cccd, is_active=True).first() if len(cccd) == 12 else None
    if account is None or not _is_plain_citizen(account):
        return
    person = Person.objects.filter(user=account).first()
    if person is None or not person.phone:
        return
    send_link(
        person=person, link=set_password_link(request, account, default_token_generator.make_token(account))
    )
