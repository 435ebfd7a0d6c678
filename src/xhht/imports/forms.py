from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .limits import limit
from .models import ImportKind


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
        max_bytes = limit("XHHT_IMPORT_MAX_FILE_BYTES")
        if f.size > max_bytes:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(n)s MB).")
                % {"n": number_format(max_bytes // (1024 * 1024), force_grouping=True)}
            )
        return f
