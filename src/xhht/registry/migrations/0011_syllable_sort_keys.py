"""People's sort keys in syllable-by-syllable Vietnamese order (``core.text.vi_name_sort_key``):
recompute them in id batches, then rebuild the names index from the new keys."""

from django.db import migrations


def recompute(apps, schema_editor):
    from xhht.imports.normalize import name_keys

    conn = schema_editor.connection
    last = 0
    with conn.cursor() as cur:
        while True:
            cur.execute(
                "SELECT id, full_name FROM registry_person WHERE id > %s ORDER BY id LIMIT 50000", [last]
            )
            rows = cur.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            cur.executemany(
                "UPDATE registry_person SET name_sort = %s WHERE id = %s",
                [(name_keys(name)[1], pk) for pk, name in rows],
            )
        cur.execute("DELETE FROM registry_personname")
        cur.execute(
            "INSERT INTO registry_personname(name_sort, name_folded) "
            "SELECT DISTINCT name_sort, name_folded FROM registry_person"
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_binary_cccd_phone"), ("geo", "0002_syllable_sort_keys")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
