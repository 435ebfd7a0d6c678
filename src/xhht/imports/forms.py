from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind

MAX_UPLOAD = 200 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    commune = forms.TypedChoiceField(label=_("Nhập vào xã/phường"), coerce=int, choices=())
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.pk, c.name) for c in communes]
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_file(self):
        f = self.cleaned_data["file"]
        if Path(f.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 200 MB)."))
        return f
