"""The digital-skill column: a blank cell (or a file without the column) is "not assessed" (NULL),
never level 0 ("Chưa có"), which must be written as 0 or by its name."""

from __future__ import annotations

from tests.imports.conftest import HEADER, cccd_for, person_row
from xhht.imports.services import import_file
from xhht.registry.models import Person


def test_blank_digital_skill_is_not_assessed_and_zero_is_level_zero(units, officer, csv_file):
    values = ["", "0", "Chưa có", "2", "Chưa đánh giá", "chuyên sâu"]
    rows = [[*person_row(i + 1), v] for i, v in enumerate(values)]
    out = import_file(
        actor=officer,
        path=csv_file(rows, [*HEADER, "Kỹ năng số"]),
        kind="people",
        commune=units.commune_a,
        dry_run=False,
    )
    assert out.ok and out.committed, (out.report.counts, out.report.warnings)
    got = [Person.objects.get(cccd=cccd_for(i + 1)).digital_skill for i in range(len(values))]
    assert got == [None, 0, 0, 2, None, 4]


def test_a_file_without_the_column_leaves_new_people_not_assessed(units, officer, csv_file):
    out = import_file(
        actor=officer,
        path=csv_file([person_row(1), person_row(2)]),
        kind="people",
        commune=units.commune_a,
        dry_run=False,
    )
    assert out.ok and out.committed
    assert list(Person.objects.values_list("digital_skill", flat=True)) == [None, None]
