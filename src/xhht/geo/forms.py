import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from xhht.core.forms import ModelMultipleChoiceField

from .models import VILLAGE_KINDS, Kind

VILLAGE_KIND_CHOICES = [(k.value, k.label) for k in VILLAGE_KINDS]


class DateVNField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)


class VillageCreateForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=VILLAGE_KIND_CHOICES, initial=Kind.VILLAGE)
    effective = DateVNField(label=_("Ngày hiệu lực"), initial=dt.date.today)
    legal_basis = forms.CharField(
        label=_("Căn cứ (số quyết định, nghị quyết)"), max_length=300, required=False
    )


class VillageRenameForm(forms.Form):
    new_name = forms.CharField(label=_("Tên mới"), max_length=200)
    effective = DateVNField(label=_("Ngày hiệu lực"), initial=dt.date.today)
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)


class VillageSplitForm(forms.Form):
    names = forms.CharField(
        label=_("Tên các đơn vị mới (mỗi dòng một tên)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=VILLAGE_KIND_CHOICES, initial=Kind.VILLAGE)
    effective = DateVNField(label=_("Ngày hiệu lực"), initial=dt.date.today)
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)


class VillageMergeForm(forms.Form):
    villages = ModelMultipleChoiceField(
        label=_("Các thôn, tổ dân phố sáp nhập"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label=_("Tên đơn vị sau sáp nhập"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=VILLAGE_KIND_CHOICES, initial=Kind.VILLAGE)
    effective = DateVNField(label=_("Ngày hiệu lực"), initial=dt.date.today)
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AdminUnit

        self.fields["villages"].queryset = AdminUnit.objects.filter(
            parent=commune, valid_to__isnull=True
        ).order_by("sort_key")
        self.fields["villages"].label_from_instance = lambda u: u.name
