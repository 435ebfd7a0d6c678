"""Citizens' pages (/cong-dan/): sign-up and verification, home, self-assessment one question per
screen, certificates; the officers' pages that verify sign-ups and give residents a way in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xhht.accounts import throttle
from xhht.accounts.access import Perm, access_for
from xhht.accounts.middleware import client_ip
from xhht.core.params import int_or_none
from xhht.core.titles import SubjectType, Title
from xhht.recognition import pdf, wizard
from xhht.recognition import services as rec_services
from xhht.recognition.forms import AppealForm
from xhht.recognition.models import AppealStatus, Assessment, Campaign, Recognition
from xhht.registry.cccd import mask_phone
from xhht.registry.models import Clan, Household, Organisation, Person

from . import services
from .models import AccountClaim, ClaimStatus


def citizen_page(view):
    """Login required (the citizen's own pages)."""
    return login_required(view)


class SignupForm(forms.Form):
    cccd = forms.CharField(
        label=gettext_lazy("Số CCCD (12 chữ số)"),
        max_length=12,
        min_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    full_name = forms.CharField(label=gettext_lazy("Họ và tên (có dấu, như trên CCCD)"), max_length=150)
    birth_date = forms.DateField(
        label=gettext_lazy("Ngày sinh"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Mật khẩu (ít nhất 8 ký tự)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Nhập lại mật khẩu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_cccd(self):
        v = self.cleaned_data["cccd"].strip()
        if not v.isdigit():
            raise ValidationError(_("Số CCCD chỉ gồm chữ số."))
        return v

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


def signup(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        ip = client_ip(request) or "-"
        if not throttle.allowed("signup_ip", ip):
            return throttle.refused(request, "signup_ip", ip)
        if form.is_valid():
            throttle.hit("signup_ip", ip)
            d = form.cleaned_data
            try:
                user, _claim = services.citizen_signup(
                    cccd=d["cccd"],
                    full_name=d["full_name"],
                    birth_date=d["birth_date"],
                    phone=d["phone"],
                    password=d["password1"],
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                # The same answer whether or not the CCCD is in the registry or has an account.
                messages.success(request, _("Đã tạo tài khoản. Tài khoản cần được xác minh trước khi dùng."))
                return redirect("portal:home")
    return render(request, "portal/signup.html", {"form": form})


def _my_subjects(user) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    person = Person.objects.filter(user=user).select_related("village").first()
    if person:
        out.append((SubjectType.PERSON, person))
    for h in Household.objects.filter(head__user=user).select_related("head", "village"):
        out.append((SubjectType.HOUSEHOLD, h))
    for c in Clan.objects.filter(head__user=user):
        out.append((SubjectType.CLAN, c))
    for o in Organisation.objects.filter(Q(head_user=user) | Q(head__user=user)).distinct():
        out.append((SubjectType.ORGANISATION, o))
    return out


_TITLE_FOR = {
    SubjectType.PERSON: Title.CDHT,
    SubjectType.HOUSEHOLD: Title.GDHT,
    SubjectType.CLAN: Title.DHHT,
    SubjectType.ORGANISATION: Title.DVHT,
}


def _subject_q(subjects) -> Q:
    q = Q(pk__in=[])
    for stype, obj in subjects:
        q |= Q(subject_type=stype, subject_id=obj.pk)
    return q


@citizen_page
def home(request):
    user = request.user
    subjects = _my_subjects(user)
    claim = AccountClaim.objects.filter(user=user).first()
    if claim is not None and claim.status != ClaimStatus.LINKED and not subjects:
        return render(
            request,
            "portal/verify.html",
            {"claim": claim, "form": CodeForm(), "can_code": claim.status == ClaimStatus.PENDING},
        )
    files = list(
        Assessment.objects.filter(_subject_q(subjects)).select_related("campaign").order_by("-year", "title")
    )
    taken = {(a.title, a.year, a.subject_type, a.subject_id) for a in files}
    offers = []
    for stype, obj in subjects:
        title = _TITLE_FOR[stype]
        path = obj.unit_path
        for c in Campaign.objects.filter(title=title, is_open=True).order_by("-year"):
            if path.startswith(c.unit_path) and (title, c.year, stype, obj.pk) not in taken:
                offers.append(
                    {
                        "campaign": c,
                        "subject": obj,
                        "stype": stype,
                        "label": rec_services.load_subject(stype, obj.pk).name,
                    }
                )
    recs = list(
        Recognition.objects.filter(_subject_q(subjects))
        .select_related("decision", "certificate")
        .order_by("-year")
    )
    return render(
        request,
        "portal/home.html",
        {
            "subjects": subjects,
            "claim": claim,
            "files": files,
            "offers": offers,
            "recognitions": recs,
            "linked": any(s == SubjectType.PERSON for s, _o in subjects),
        },
    )


@citizen_page
@require_POST
def register(request, campaign_pk: int):
    campaign = get_object_or_404(Campaign, pk=campaign_pk, is_open=True)
    try:
        a = rec_services.register(
            user=request.user, campaign=campaign, subject_id=int(request.POST.get("subject", 0))
        )
    except (ValueError, Http404):
        raise Http404
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:home")
    messages.success(
        request, _("Đã đăng ký danh hiệu %(t)s năm %(y)s.") % {"t": a.get_title_display(), "y": a.year}
    )
    return redirect("portal:fill", a.pk, a.step)


def _own_file(request, pk: int) -> Assessment:
    a = Assessment.objects.select_related("campaign", "criteria_set", "unit").filter(pk=pk).first()
    if a is None:
        raise Http404
    subject = rec_services.load_subject(a.subject_type, a.subject_id)
    if not subject.is_owner(request.user, access_for(request.user)):
        raise Http404
    return a


@citizen_page
def file(request, pk: int):
    a = _own_file(request, pk)
    appeals = list(a.appeals.order_by("lodged_at"))
    return render(
        request,
        "portal/file.html",
        {
            "a": a,
            "recognitions": a.recognitions.select_related("certificate"),
            "appeals": appeals,
            "can_appeal": rec_services.can_appeal(a)
            and not any(ap.status == AppealStatus.OPEN for ap in appeals),
            "appeal_form": AppealForm(request.POST or None),
        },
    )


@citizen_page
@require_POST
def appeal(request, pk: int):
    """The subject appeals the result of their file (returned, not passed, recognised or revoked)."""
    a = _own_file(request, pk)
    try:
        rec_services.appeal_lodge(user=request.user, assessment=a, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã gửi kiến nghị. Hội Khuyến học xã sẽ xem xét và trả lời trên trang này.")
        )
    return redirect("portal:file", a.pk)


@citizen_page
def fill(request, pk: int, n: int):
    a = _own_file(request, pk)
    return wizard.fill_step(request, a, n, ns="portal", detail_url=reverse("portal:file", args=[a.pk]))


@citizen_page
def certificate(request, pk: int):
    rec = get_object_or_404(Recognition.objects.select_related("decision"), pk=pk)
    subject = rec_services.load_subject(rec.subject_type, rec.subject_id)
    if not subject.is_owner(request.user, access_for(request.user)):
        raise Http404
    cert = getattr(rec, "certificate", None)
    if cert is None:
        raise Http404
    resp = HttpResponse(pdf.certificate_pdf(cert, request), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="giay-cong-nhan-{cert.serial}.pdf"'
    return resp


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác minh (6 chữ số)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


@login_required
@require_POST
def verify_code(request):
    """The citizen types the code sent to the phone on their registry record."""
    claim = AccountClaim.objects.filter(user=request.user, status=ClaimStatus.PENDING).first()
    if claim is None:
        return redirect("portal:home")
    ip = client_ip(request) or "-"
    for rule, key in (("code_check_account", str(request.user.pk)), ("code_check_ip", ip)):
        if not throttle.hit(rule, key):
            return throttle.refused(request, rule, key)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.code_verify(account=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(
                request, _("Đã xác minh. Tài khoản của bạn đã được liên kết với hồ sơ trong sổ đăng ký.")
            )
            return redirect("portal:home")
    return render(request, "portal/verify.html", {"claim": claim, "form": form, "can_code": True}, status=400)


@login_required
@require_POST
def resend_code(request):
    if not services.code_resend(account=request.user):
        claim = AccountClaim.objects.filter(user=request.user).first()
        return throttle.refused(request, "code_send_cccd", claim.cccd if claim else "-")
    messages.info(
        request,
        _(
            "Nếu thông tin bạn khai khớp với một hồ sơ có số điện thoại, mã mới đã được gửi tới số đó. "
            "Nếu không nhận được, hãy mang CCCD tới UBND xã để cán bộ xác minh."
        ),
    )
    return redirect("portal:home")


@login_required
def claims(request):
    """Officers: sign-ups waiting for verification in their communes."""
    access = access_for(request.user)
    access.require(Perm.CITIZEN_ACCOUNTS)
    rows = [
        {"claim": c, "candidates": services.candidates_for(c, access)}
        for c in services.claims_visible(access).order_by("created_at")[:100]
    ]
    return render(request, "portal/claims.html", {"rows": rows})


@login_required
@require_POST
def claim_resolve(request, pk: int):
    access = access_for(request.user)
    access.require(Perm.CITIZEN_ACCOUNTS)
    claim = access.get_or_404(
        AccountClaim.objects.filter(status=ClaimStatus.PENDING),
        Perm.CITIZEN_ACCOUNTS,
        path_field="unit_path",
        pk=pk,
    )
    person = None
    if request.POST.get("action") != "reject" and request.POST.get("person"):
        person = access.get_or_404(
            Person.objects.all(),
            Perm.CITIZEN_ACCOUNTS,
            path_field="unit_path",
            pk=int_or_none(request.POST["person"], min_value=1) or 0,
        )
    elif request.POST.get("action") != "reject":
        messages.error(request, _("Hãy chọn hồ sơ để liên kết, hoặc bấm Từ chối."))
        return redirect("portal:claims")
    try:
        done = services.claim_resolve(
            user=request.user,
            claim=claim,
            person=person,
            note=request.POST.get("note", ""),
            card_checked=request.POST.get("card_checked") == "1",
        )
        if done.status == ClaimStatus.LINKED:
            messages.success(
                request,
                _("Đã liên kết tài khoản của %(n)s với hồ sơ; người dân được báo bằng tin nhắn.")
                % {"n": claim.full_name},
            )
        else:
            messages.success(request, _("Đã từ chối yêu cầu của %(n)s.") % {"n": claim.full_name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("portal:claims")


# ------------------------------------------------------------------ accounts made by an officer


def _cccd_tail(cccd: str | None) -> str:
    return f"…{cccd[-4:]}" if cccd else ""


@login_required
def account_create(request):
    """Officers: find a resident in their area and give them an account, or a password reset: a
    single-use set-password link printed on a slip for them, or sent to the phone on their record.
    The officer never sees a password; the citizen's old password works until they set a new one."""
    from xhht.core.text import fold
    from xhht.registry.models import PersonStatus

    access = access_for(request.user)
    access.require(Perm.CITIZEN_ACCOUNTS)
    if request.method == "POST":
        person = access.get_or_404(
            Person.objects.select_related("village"),
            Perm.CITIZEN_ACCOUNTS,
            path_field="unit_path",
            pk=int_or_none(request.POST.get("person"), min_value=1) or 0,
        )
        method = request.POST.get("method", "")
        try:
            account, token = services.citizen_access_issue(user=request.user, person=person, method=method)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{reverse('portal:account_create')}?q={person.full_name}")
        link = services.set_password_link(request, account, token)
        if method == services.Issue.SEND:
            services.send_link(person=person, link=link)
            messages.success(
                request,
                _("Đã gửi đường dẫn đặt mật khẩu tới số điện thoại %(p)s của %(n)s.")
                % {"p": mask_phone(person.phone), "n": person.full_name},
            )
            return redirect(f"{reverse('portal:account_create')}?q={person.full_name}")
        from xhht.recognition.pdf import qr_svg

        resp = render(
            request,
            "portal/account_slip.html",
            {
                "person": person,
                "cccd_tail": _cccd_tail(person.cccd),
                "link": link,
                "qr": qr_svg(link),
                "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            },
        )
        resp["Cache-Control"] = "no-store"
        return resp
    q = (request.GET.get("q") or "").strip()[:100]
    people = []
    if q:
        qs = access.scope(
            Person.objects.select_related("village", "user"), Perm.CITIZEN_ACCOUNTS, path_field="unit_path"
        ).filter(status=PersonStatus.ACTIVE)
        digits = "".join(ch for ch in q if ch.isdigit())
        if digits and len(digits) == len(q.replace(" ", "")):
            qs = qs.filter(cccd__endswith=digits) if len(digits) < 12 else qs.filter(cccd=digits)
        else:
            qs = qs.filter(name_folded__contains=fold(q))
        people = [
            {"p": p, "cccd_tail": _cccd_tail(p.cccd), "phone": mask_phone(p.phone)}
            for p in qs.order_by("name_sort", "pk")[:30]
        ]
    return render(request, "portal/account_create.html", {"q": q, "people": people})


def set_password(request, uidb64: str, token: str):
    """Public: the single-use link a citizen received (printed or by SMS), for PASSWORD_RESET_TIMEOUT."""
    from django.contrib.auth.forms import SetPasswordForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    from xhht.accounts.models import User

    try:
        account = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        account = None
    valid = account is not None and account.is_active and default_token_generator.check_token(account, token)
    form = SetPasswordForm(account, request.POST or None) if valid else None
    if valid and request.method == "POST" and form.is_valid():
        services.citizen_password_set(account=account, password=form.cleaned_data["new_password1"])
        auth_login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Đã đặt mật khẩu. Từ nay bạn đăng nhập bằng số CCCD và mật khẩu này."))
        return redirect("portal:home")
    resp = render(
        request,
        "portal/set_password.html",
        {"form": form, "valid": valid, "account": account if valid else None},
        status=200 if valid else 404,
    )
    # Not "no-referrer": browsers then send "Origin: null" and the form fails the CSRF check.
    resp["Referrer-Policy"] = "same-origin"
    resp["X-Robots-Tag"] = "noindex, nofollow"
    resp["Cache-Control"] = "no-store"
    return resp


class ForgottenForm(forms.Form):
    cccd = forms.CharField(
        label=gettext_lazy("Số CCCD (tên đăng nhập)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )


def password_forgotten(request):
    """Public: a set-password link to the phone on the citizen's record. The same answer for every
    CCCD; without a phone on the record the citizen goes to the commune office."""
    form = ForgottenForm(request.POST or None)
    if request.method == "POST":
        ip = client_ip(request) or "-"
        if not throttle.hit("reset_ip", ip):
            return throttle.refused(request, "reset_ip", ip)
        if form.is_valid():
            services.password_forgotten(cccd=form.cleaned_data["cccd"], request=request)
            messages.info(
                request,
                _(
                    "Nếu số CCCD có tài khoản và hồ sơ có số điện thoại, đường dẫn đặt lại mật khẩu đã được "
                    "gửi tới số đó. Nếu không nhận được, hãy mang CCCD tới UBND xã."
                ),
            )
            return redirect("accounts:login")
    return render(request, "portal/password_forgotten.html", {"form": form})
