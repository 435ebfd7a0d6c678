from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from xhht.core.titles import Title


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.Form):
    title = forms.ChoiceField(label=_("Danh hiệu"), choices=Title.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2015, max_value=2100, initial=dt.date.today().year)
    unit = forms.ChoiceField(label=_("Đơn vị tổ chức"))
    registration_deadline = forms.DateField(label=_("Hạn đăng ký"), required=False, widget=DateInput())
    self_assessment_deadline = forms.DateField(label=_("Hạn tự đánh giá"), required=False, widget=DateInput())
    review_deadline = forms.DateField(label=_("Hạn thẩm định"), required=False, widget=DateInput())
    decision_deadline = forms.DateField(label=_("Hạn ra quyết định"), required=False, widget=DateInput())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class CampaignEditForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt"), max_length=255)
    registration_deadline = forms.DateField(label=_("Hạn đăng ký"), required=False, widget=DateInput())
    self_assessment_deadline = forms.DateField(label=_("Hạn tự đánh giá"), required=False, widget=DateInput())
    review_deadline = forms.DateField(label=_("Hạn thẩm định"), required=False, widget=DateInput())
    decision_deadline = forms.DateField(label=_("Hạn ra quyết định"), required=False, widget=DateInput())
    is_open = forms.BooleanField(
        label=_("Đang mở (nhận đăng ký và hồ sơ tự đánh giá)"),
        required=False,
        help_text=_(
            "Bỏ chọn để đóng đợt: người dân không đăng ký, không nộp hồ sơ được nữa; cán bộ vẫn thẩm định, ra quyết định."
        ),
    )


class DecisionForm(forms.Form):
    date = forms.DateField(label=_("Ngày ký"), widget=DateInput(), initial=dt.date.today)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=200)
    signer_position = forms.CharField(
        label=_("Chức vụ (mỗi dòng một dòng in)"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ (mỗi căn cứ một dòng)"), widget=forms.Textarea(attrs={"rows": 5})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    indicator_code = forms.CharField(widget=forms.HiddenInput())
    file = forms.FileField(label=_("Tệp minh chứng (ảnh JPEG/PNG hoặc PDF, tối đa 5 MB)"))


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}))
