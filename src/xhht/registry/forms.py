"""Forms of the registry pages. They only parse input; rules live in ``services``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from xhht.core.forms import ModelMultipleChoiceField

from .models import (
    DigitalSkill,
    EducationLevel,
    ForeignLanguage,
    Literacy,
    Occupation,
    OrgKind,
    OrgLevel,
    PersonStatus,
    Relation,
    Sex,
    StaffCategory,
    TechnicalQualification,
    TrainingKind,
)


class DateVNField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def _blank(choices):
    return [("", "—")] + list(choices)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.parent_id and obj.level == 4:
            return f"{obj.name} — {obj.parent.name}"
        return obj.name


class PersonPickField(forms.IntegerField):
    """The id of a person chosen with the search picker (``registry/_person_picker.html``)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"required": _("Hãy tìm và chọn một công dân."), "invalid": _("Hãy tìm và chọn một công dân.")},
        )
        super().__init__(**kwargs)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    birth_date = DateVNField(label=_("Ngày sinh"))
    birth_year = forms.IntegerField(
        label=_("Năm sinh (nếu chỉ biết năm)"), required=False, min_value=1890, max_value=2100
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=_blank(Sex.choices), required=False)
    ethnicity = forms.CharField(label=_("Dân tộc"), max_length=50, required=False, initial="Kinh")
    religion = forms.CharField(label=_("Tôn giáo"), max_length=50, required=False)
    cccd = forms.CharField(label=_("Số CCCD (12 chữ số)"), max_length=20, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    village = UnitChoiceField(label=_("Thôn, tổ dân phố"), queryset=None)
    occupation = forms.ChoiceField(
        label=_("Nhóm nghề nghiệp"), choices=Occupation.choices, initial=Occupation.OTHER
    )
    education_level = forms.ChoiceField(
        label=_("Trình độ học vấn"), choices=_blank(EducationLevel.choices), required=False
    )
    technical_qualification = forms.ChoiceField(
        label=_("Trình độ chuyên môn kỹ thuật"), choices=TechnicalQualification.choices
    )
    it_competency = forms.BooleanField(label=_("Có năng lực ứng dụng CNTT"), required=False)
    digital_skill = forms.TypedChoiceField(  # empty: not assessed (distinct from 0, "Chưa có")
        label=_("Kỹ năng số (TT 02/2025)"),
        choices=DigitalSkill.choices,
        coerce=int,
        required=False,
        empty_value=None,
    )
    foreign_language = forms.ChoiceField(label=_("Ngoại ngữ"), choices=ForeignLanguage.choices)
    life_skills = forms.BooleanField(label=_("Có kỹ năng sống"), required=False)
    literacy = forms.ChoiceField(label=_("Biết chữ"), choices=_blank(Literacy.choices), required=False)
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[c for c in PersonStatus.choices if c[0] != PersonStatus.MERGED]
    )
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    moved_on = DateVNField(label=_("Ngày chuyển đến (khi đổi nơi cư trú)"))
    move_reason = forms.CharField(label=_("Lý do chuyển"), max_length=200, required=False)

    def __init__(self, *args, villages=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if not editing:
            del self.fields["moved_on"]
            del self.fields["move_reason"]
            del self.fields["status"]


class MoveForm(forms.Form):
    village = UnitChoiceField(label=_("Chuyển đến thôn, tổ dân phố"), queryset=None)
    on = DateVNField(label=_("Từ ngày"), initial=dt.date.today, required=True)
    reason = forms.CharField(label=_("Lý do"), max_length=200, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class HouseholdForm(forms.Form):
    village = UnitChoiceField(label=_("Thôn, tổ dân phố"), queryset=None)
    code = forms.CharField(label=_("Mã hộ (để trống để tự cấp)"), max_length=64, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    head = PersonPickField(label=_("Chủ hộ"))

    def __init__(self, *args, villages=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if editing:
            del self.fields["code"]
            del self.fields["head"]


class MemberAddForm(forms.Form):
    person = PersonPickField(label=_("Thành viên"))
    relation = forms.ChoiceField(
        label=_("Quan hệ với chủ hộ"), choices=[c for c in Relation.choices if c[0] != Relation.HEAD]
    )
    since = DateVNField(label=_("Từ ngày"))


class SetHeadForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    old_head_relation = forms.ChoiceField(
        label=_("Quan hệ của chủ hộ cũ với chủ hộ mới"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )


class ClanForm(forms.Form):
    name = forms.CharField(label=_("Tên dòng họ"), max_length=200)
    commune = UnitChoiceField(label=_("Xã đăng ký"), queryset=None)
    head = PersonPickField(label=_("Trưởng dòng họ"), required=False)

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class ClanHouseholdForm(forms.Form):
    household_code = forms.CharField(label=_("Mã hộ"), max_length=64)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ quan, đơn vị"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=OrgKind.choices)
    level = forms.ChoiceField(label=_("Cấp"), choices=OrgLevel.choices)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None)
    tax_code = forms.CharField(label=_("Mã số thuế / mã đơn vị"), max_length=20, required=False)
    head = PersonPickField(label=_("Thủ trưởng"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StaffAddForm(forms.Form):
    person = PersonPickField(label=_("Cán bộ, nhân viên"))
    category = forms.ChoiceField(label=_("Loại"), choices=StaffCategory.choices)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    since = DateVNField(label=_("Từ ngày"))


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Tên trung tâm"), max_length=255)
    commune = UnitChoiceField(label=_("Xã"), queryset=None)
    director = PersonPickField(label=_("Giám đốc"), required=False)
    hkh_in_management = forms.BooleanField(
        label=_("Chủ tịch/Phó Chủ tịch Hội Khuyến học xã tham gia ban quản lý"), required=False
    )
    uses_it_management = forms.BooleanField(label=_("Ứng dụng CNTT trong quản lý"), required=False)
    uses_it_activities = forms.BooleanField(label=_("Ứng dụng CNTT trong hoạt động"), required=False)
    established = DateVNField(label=_("Ngày thành lập"))

    def __init__(self, *args, communes=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if editing:
            del self.fields["commune"]


class CentreStaffForm(forms.Form):
    person = PersonPickField(label=_("Cán bộ"))
    role = forms.CharField(label=_("Vai trò"), max_length=100, required=False)
    since = DateVNField(label=_("Từ ngày"))


class CentreMergeForm(forms.Form):
    centres = ModelMultipleChoiceField(
        label=_("Các trung tâm sáp nhập vào trung tâm này"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    effective = DateVNField(label=_("Ngày hiệu lực"), initial=dt.date.today, required=True)

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = centres


class BranchForm(forms.Form):
    name = forms.CharField(label=_("Tên chi hội / hội"), max_length=255)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None)
    parent = forms.ModelChoiceField(label=_("Trực thuộc"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Chi hội của cơ quan, đơn vị"), queryset=None, required=False
    )

    def __init__(self, *args, units=None, parents=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations


class HouseholdMergeForm(forms.Form):
    other = forms.CharField(label=_("Mã hộ bị gộp vào hộ này"), max_length=64)
    drop_head_relation = forms.ChoiceField(
        label=_("Quan hệ của chủ hộ bị gộp với chủ hộ này"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
        initial=Relation.OTHER,
    )
    on = DateVNField(label=_("Ngày gộp"), initial=dt.date.today, required=True)


class OrganisationMergeForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Cơ quan, đơn vị bị gộp vào đơn vị này"), queryset=None)
    on = DateVNField(label=_("Ngày hiệu lực"), initial=dt.date.today, required=True)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = organisations


class AssociationMemberForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Chi hội"), queryset=None)
    person = PersonPickField(label=_("Hội viên"))
    is_officer = forms.BooleanField(label=_("Là cán bộ hội"), required=False)
    position = forms.CharField(label=_("Chức vụ trong hội"), max_length=150, required=False)
    joined = DateVNField(label=_("Ngày vào hội"))
    left = DateVNField(label=_("Ngày rời hội"))

    def __init__(self, *args, branches=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if editing:
            del self.fields["branch"]
            del self.fields["person"]
            del self.fields["joined"]
        else:
            del self.fields["left"]


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("Tên lớp, hội nghị"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=TrainingKind.choices)
    date = DateVNField(label=_("Ngày"), required=True)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AttendanceForm(forms.Form):
    members = ModelMultipleChoiceField(
        label=_("Hội viên tham dự"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
