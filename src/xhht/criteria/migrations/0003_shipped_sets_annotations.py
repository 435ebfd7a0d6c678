"""Mark the shipped criteria sets already in the database as their files now do: the numbers the
known legal texts do not give are provisional, Đơn vị học tập of district/province-level units use
TT 24/2023 (``applies_to``). Annotations only: content and ``content_hash`` do not change."""

from pathlib import Path

import yaml
from django.db import migrations, models

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _note(node):
    note = str(node.get("provisional_note") or "").strip()
    return bool(node.get("provisional")) or bool(note), note


def forwards(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    names = ("CriteriaGroup", "Criterion", "Indicator", "OutcomeRule")
    Group, Criterion, Indicator, OutcomeRule = (apps.get_model("criteria", n) for n in names)

    def mark(model, node, **filters):
        flag, note = _note(node)
        models.QuerySet.update(model.objects.filter(**filters), provisional=flag, provisional_note=note)
        return flag

    for path in sorted(DATA_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        s = doc["settings"]
        for pk in CriteriaSet.objects.filter(code=s["code"], version=s.get("version") or 1).values_list(
            "pk", flat=True
        ):
            any_part = False
            for g in doc.get("groups") or []:
                any_part |= mark(Group, g, criteria_set_id=pk, code=str(g["code"]))
                for c in g.get("criteria") or []:
                    any_part |= mark(Criterion, c, criteria_set_id=pk, code=str(c["code"]))
                    for i in c.get("indicators") or []:
                        any_part |= mark(Indicator, i, criteria_set_id=pk, code=str(i["code"]))
            for o in doc.get("outcomes") or []:
                any_part |= mark(OutcomeRule, o, criteria_set_id=pk, level=o["level"])
            flag, note = _note(s)
            models.QuerySet.update(
                CriteriaSet.objects.filter(pk=pk),
                provisional=flag or any_part,
                provisional_note=note,
                applies_to=str(s.get("applies_to") or ""),
            )


class Migration(migrations.Migration):
    dependencies = [("criteria", "0002_provisional_confirmation_applies_to")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
