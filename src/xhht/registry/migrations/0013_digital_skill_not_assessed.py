"""A digital skill "not assessed" (NULL) distinct from level 0 ("Chưa có", assessed: no skill).

Until now 0 meant both: the person form, the importers (a blank cell or a file without the column),
the demo and ``xhht generate`` all wrote 0 for an unknown skill, and nothing recorded whether anyone
had assessed it. So every stored 0 becomes "not assessed", except where the audit trail shows an
officer changing the level to 0 by editing the person's record (the last audited change of the field
set it to 0): that 0 was chosen, it stays. A 0 chosen when the record was created cannot be told
from the form's default and becomes "not assessed" too — the citizen then declares the indicator and
an officer can record the level again.
"""

from django.db import migrations, models

# SQLite rebuilds registry_person for the AlterField: the name-index triggers come back (0005)
_0005 = __import__("xhht.registry.migrations.0005_person_name_folded_no_index", fromlist=["restore_triggers"])
CHUNK = 900  # bound parameters per statement (SQLite)


def _zero_by_officer(apps) -> list[int]:
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    last: dict[str, object] = {}
    events = (
        AuditEvent.objects.filter(
            model="registry.person", action="update", changes__after__has_key="digital_skill"
        )
        .order_by("at", "id")
        .values_list("object_pk", "changes")
    )
    for pk, changes in events.iterator(chunk_size=2000):
        last[pk] = (changes.get("after") or {}).get("digital_skill")
    return [int(pk) for pk, v in last.items() if pk.isdigit() and v in (0, "0")]


def forwards(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    chosen = _zero_by_officer(apps)
    keep = []
    for i in range(0, len(chosen), CHUNK):
        keep += list(
            Person.objects.filter(pk__in=chosen[i : i + CHUNK], digital_skill=0).values_list("pk", flat=True)
        )
    Person.objects.filter(digital_skill=0).update(digital_skill=None)
    for i in range(0, len(keep), CHUNK):
        Person.objects.filter(pk__in=keep[i : i + CHUNK]).update(digital_skill=0)


def backwards(apps, schema_editor):
    apps.get_model("registry", "Person").objects.filter(digital_skill__isnull=True).update(digital_skill=0)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_drop_person_year_name"),
        ("accounts", "0003_audit_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="digital_skill",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (None, "Chưa đánh giá"),
                    (0, "Chưa có"),
                    (1, "Cơ bản (bậc 1–2)"),
                    (2, "Trung cấp (bậc 3–4)"),
                    (3, "Khá (bậc 5–6)"),
                    (4, "Chuyên sâu (bậc 7–8)"),
                ],
                default=None,
                null=True,
                verbose_name="kỹ năng số (TT 02/2025)",
            ),
        ),
        migrations.RunPython(_0005.restore_triggers, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
