"""Sort keys in syllable-by-syllable Vietnamese order (``core.text.vi_sort_key``): recompute them."""

from django.db import migrations


def recompute(apps, schema_editor):
    from xhht.core.text import vi_sort_key

    AdminUnit = apps.get_model("geo", "AdminUnit")
    rows = list(AdminUnit.objects.values_list("pk", "name"))
    with schema_editor.connection.cursor() as cur:
        cur.executemany(
            "UPDATE geo_adminunit SET sort_key = %s WHERE id = %s",
            [(vi_sort_key(name), pk) for pk, name in rows],
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
