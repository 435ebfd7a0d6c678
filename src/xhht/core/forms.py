"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .params import INT64_MAX, INT64_MIN


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id beyond the signed 64-bit range as an invalid choice before it
    reaches the database (SQLite raises OverflowError for one in ``IN (…)``)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                n = int(str(pk).strip())
            except ValueError:
                continue  # Django's own check refuses it
            if not INT64_MIN <= n <= INT64_MAX:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
