"""The in-page editor of a draft set's indicators (input parsing only; rules live in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xhht.core.titles import Level

from .models import IndicatorKind


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Mã chỉ số"), max_length=30)
    label = forms.CharField(label=_("Nội dung"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    label_en = forms.CharField(
        label=_("Nội dung tiếng Anh"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hint = forms.CharField(
        label=_("Hướng dẫn cho người tự đánh giá"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=IndicatorKind.choices)
    max_points = forms.DecimalField(
        label=_("Điểm tối đa"), max_digits=7, decimal_places=2, min_value=0, required=False, localize=True
    )
    min_points = forms.DecimalField(
        label=_("Mức tối thiểu để đạt"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
    )
    mandatory = forms.BooleanField(label=_("Bắt buộc"), required=False)
    level = forms.ChoiceField(
        label=_("Yêu cầu từ mức"), choices=[("", _("Mọi mức")), *Level.choices], required=False
    )
    evidence = forms.CharField(
        label=_("Minh chứng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rule = forms.CharField(
        label=_("Quy tắc tính tự động (CEL)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("Để trống nếu người đánh giá tự chấm."),
    )
    provisional_note = forms.CharField(
        label=_("Ghi chú tạm tính"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Ghi điều gì của chỉ số chưa có trong văn bản (ví dụ điểm hoặc mức tối thiểu tạm đặt): chỉ số "
            "hiện «Tạm tính — địa phương cần xác nhận». Để trống khi mọi số đã có trong văn bản."
        ),
    )
