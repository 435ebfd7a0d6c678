"""The people/household importer: every malformed file gets a clear Vietnamese error naming the row
and the column, and the database is unchanged."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied

from tests.imports.conftest import cccd_for, db_state, person_row
from xhht.accounts.models import AuditEvent
from xhht.imports.services import import_file
from xhht.registry.models import Household, HouseholdMember, Person, Residence


def run(path, units, officer, *, dry_run=False, kind="people", commune=None):
    return import_file(
        actor=officer, path=path, kind=kind, commune=commune or units.commune_a, dry_run=dry_run
    )


def errors_of(out):
    return [(i.row, i.field, i.message) for i in out.report.errors]


def test_valid_file_commits_people_households_history_and_one_audit_event(units, officer, csv_file):
    rows = [
        person_row(1, household="HGD-1", relation="Chủ hộ"),
        person_row(
            2, household="HGD-1", relation="vợ", name="Trần Thị Bình", sex="nữ", cccd=cccd_for(2, male=False)
        ),
        person_row(3, household="HGD-1", relation="Con", name="Nguyễn Văn Cường", birth="2012", cccd=""),
        person_row(
            4, household="HGD-2", relation="Chủ hộ", village="thon 2", birth="5/3/62", cccd=cccd_for(4, 1962)
        ),
    ]
    before_audit = AuditEvent.objects.filter(action="bulk").count()
    out = run(csv_file(rows), units, officer)
    assert out.ok, errors_of(out)
    assert out.committed
    assert Person.objects.count() == 4
    p2 = Person.objects.get(cccd=cccd_for(2, male=False))
    assert (p2.full_name, p2.sex, p2.birth_date.isoformat(), p2.village_id) == (
        "Trần Thị Bình",
        "F",
        "1985-09-02",
        units.village_a1.pk,
    )
    child = Person.objects.get(full_name="Nguyễn Văn Cường")
    assert child.birth_date is None and child.birth_year == 2012 and child.cccd is None
    p4 = Person.objects.get(cccd=cccd_for(4, 1962))
    assert p4.birth_date.isoformat() == "1962-03-05" and p4.village_id == units.village_a2.pk
    # the stored derived columns equal what Person.save() computes
    for p in Person.objects.all():
        name_folded, name_sort, path = p.name_folded, p.name_sort, p.unit_path
        p.save()
        p.refresh_from_db()
        assert (name_folded, name_sort, path) == (p.name_folded, p.name_sort, p.unit_path)
    h1 = Household.objects.get(code="HGD-1")
    assert h1.head.cccd == cccd_for(1) and h1.village_id == units.village_a1.pk
    assert h1.unit_path == units.village_a1.path
    assert sorted(h1.members.values_list("relation", flat=True)) == ["chu_ho", "con", "vo_chong"]
    assert Residence.objects.filter(valid_to__isnull=True).count() == 4
    events = AuditEvent.objects.filter(action="bulk").order_by("-pk")
    assert events.count() == before_audit + 1
    ev = events.first()
    assert ev.changes["sha256"] == out.sha256 and ev.changes["counts"]["people_created"] == 4
    assert ev.unit_path == units.commune_a.path


def test_dry_run_writes_nothing(units, officer, csv_file):
    before = db_state()
    out = run(csv_file([person_row(1), person_row(2)]), units, officer, dry_run=True)
    assert out.ok and not out.committed
    assert out.report.counts["people_created"] == 2
    assert db_state() == before


def test_wrong_headers_are_rejected_naming_the_missing_columns(units, officer, csv_file):
    before = db_state()
    out = run(csv_file([["Nguyễn Văn An", "1985"]], header=["Name", "DOB"]), units, officer)
    assert not out.ok
    ((row, field, message),) = errors_of(out)
    assert row == 1
    assert "thiếu cột bắt buộc" in message and "Họ và tên" in message and "Thôn/Tổ dân phố" in message
    assert db_state() == before


def test_empty_file_is_rejected(units, officer, tmp_path):
    before = db_state()
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    out = run(empty, units, officer)
    assert not out.ok and "Tệp rỗng" in errors_of(out)[0][2]
    header_only = tmp_path / "chi-tieu-de.csv"
    header_only.write_text("Họ và tên;Thôn/Tổ dân phố\n", encoding="utf-8")
    out = run(header_only, units, officer)
    assert not out.ok and "không có dòng dữ liệu" in errors_of(out)[0][2]
    assert db_state() == before


def test_ten_thousand_rows_with_one_bad_row_at_the_end_import_nothing(units, officer, csv_file):
    rows = [person_row(n, household=f"H{n}") for n in range(1, 10_000)]
    rows.append(person_row(10_000, household="H10000", birth="31/02/1990", cccd=""))
    before = db_state()
    out = run(csv_file(rows), units, officer)
    assert not out.ok and not out.committed
    assert errors_of(out) == [(10_001, "Ngày sinh", "Ngày không tồn tại: 31/02/1990.")]
    assert out.report.rows == 10_000
    assert db_state() == before


def test_mixed_nfc_and_nfd_are_stored_in_nfc_and_match_each_other(units, officer, csv_file):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    rows = [
        person_row(
            1,
            name=nfd,
            sex=unicodedata.normalize("NFD", "Nữ"),
            cccd=cccd_for(1, male=False),
            village=unicodedata.normalize("NFD", "Thôn 1"),
        ),
        person_row(2, name="Lê Văn Đức", household="H2"),
    ]
    out = run(csv_file(rows), units, officer)
    assert out.ok, errors_of(out)
    p = Person.objects.get(cccd=cccd_for(1, male=False))
    assert p.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Hoà") and p.sex == "F"
    assert p.name_folded == "nguyen thi hoa"
    # the same person without CCCD written once in NFC and once in NFD is a duplicate row
    before = db_state()
    dup = [
        person_row(5, name="Phạm Thị Hoà", cccd="", sex="Nữ", household="H5"),
        person_row(
            6,
            name=unicodedata.normalize("NFD", "Phạm Thị Hoà"),
            cccd="",
            sex="Nữ",
            household="H5",
            relation="Con",
        ),
    ]
    out = run(csv_file(dup), units, officer)
    assert not out.ok
    assert errors_of(out)[0][:2] == (3, "Họ và tên") and "trùng với dòng 2" in errors_of(out)[0][2]
    assert db_state() == before


def test_duplicate_cccd_inside_the_file(units, officer, csv_file):
    before = db_state()
    rows = [person_row(1), person_row(2, cccd=cccd_for(1))]
    out = run(csv_file(rows), units, officer)
    assert errors_of(out) == [(3, "Số CCCD", f"Số CCCD {cccd_for(1)} trùng với dòng 2 trong cùng tệp.")]
    assert db_state() == before


def test_duplicate_cccd_against_the_database(units, officer, csv_file):
    # a person of another commune holds the CCCD
    other = Person(full_name="Võ Minh Tâm", village=units.village_b1, cccd=cccd_for(7))
    other.save()
    before = db_state()
    out = run(csv_file([person_row(1), person_row(2, cccd=cccd_for(7))]), units, officer)
    assert not out.ok
    ((row, field, message),) = errors_of(out)
    assert (row, field) == (3, "Số CCCD") and "đơn vị khác" in message
    assert db_state() == before
    # in the same commune, the CCCD belongs to someone with another "Mã công dân"
    mine = Person(
        full_name="Đinh Thị Lan", village=units.village_a1, cccd=cccd_for(8, male=False), external_id="CD-1"
    )
    mine.save()
    before = db_state()
    header = ["Mã công dân", "Họ và tên", "Số CCCD", "Thôn/Tổ dân phố", "Giới tính"]
    out = run(
        csv_file([["CD-2", "Đinh Thị Lan", cccd_for(8, male=False), "Thôn 1", "Nữ"]], header=header),
        units,
        officer,
    )
    assert not out.ok
    assert errors_of(out)[0][:2] == (2, "Số CCCD") and "mã công dân khác" in errors_of(out)[0][2]
    assert db_state() == before


def test_binary_file_renamed_xlsx(units, officer, tmp_path):
    before = db_state()
    fake = tmp_path / "danh-sach.xlsx"
    fake.write_bytes(bytes(range(256)) * 40)
    out = run(fake, units, officer)
    assert not out.ok
    assert "không phải là tệp Excel .xlsx hợp lệ" in errors_of(out)[0][2]
    # a ZIP that is not a workbook
    import zipfile

    z = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    out = run(z, units, officer)
    assert not out.ok and "Không đọc được tệp Excel" in errors_of(out)[0][2]
    assert db_state() == before


def test_excel_scientific_notation_cccd_is_an_error(units, officer, csv_file):
    before = db_state()
    out = run(
        csv_file([person_row(1), person_row(2, cccd="5,11E+11"), person_row(3, cccd="3.8E+10")]),
        units,
        officer,
    )
    errs = errors_of(out)
    assert [(r, f) for r, f, _m in errs] == [(3, "Số CCCD"), (4, "Số CCCD")]
    assert "dạng số mũ (5,11E+11)" in errs[0][2] and "các chữ số đã mất" in errs[0][2]
    assert db_state() == before


def test_cccd_that_lost_its_leading_zero_is_restored_with_a_warning(units, officer, csv_file, tmp_path):
    lost = cccd_for(1, province="038")[1:]  # 11 digits, as Excel shows a number
    out = run(csv_file([person_row(1, cccd=lost)]), units, officer)
    assert out.ok, errors_of(out)
    ((row, field, message),) = [(w.row, w.field, w.message) for w in out.report.warnings]
    assert (row, field) == (2, "Số CCCD") and "0" + lost in message and "mất số 0" in message
    assert Person.objects.filter(cccd="0" + lost).exists()
    # the same from XLSX, where Excel stored the CCCD as a number
    import openpyxl

    from tests.imports.conftest import HEADER

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    lost2 = cccd_for(2, province="038")
    ws.append(
        ["1", "HX", "Lê Văn Bảo", "02/09/1985", "Nam", "Kinh", int(lost2), 905123456, "Thôn 2", "Chủ hộ", ""]
    )
    path = tmp_path / "so.xlsx"
    wb.save(path)
    out = run(path, units, officer)
    assert out.ok, errors_of(out)
    p = Person.objects.get(cccd=lost2)
    assert p.phone == "0905123456" and p.village_id == units.village_a2.pk
    assert {w.field for w in out.report.warnings} == {"Số CCCD", "Số điện thoại"}


def test_reimporting_the_same_file_changes_nothing(units, officer, csv_file):
    rows = [
        person_row(1, household="H1"),
        person_row(2, household="H1", relation="Con", cccd="", birth="2015", name="Nguyễn Văn Bé"),
        person_row(3, household="H3"),
    ]
    path = csv_file(rows)
    first = run(path, units, officer)
    assert first.ok and first.report.counts["people_created"] == 3
    state = db_state()
    again = run(path, units, officer)
    assert again.ok, errors_of(again)
    assert (
        again.report.counts.get("people_created", 0) == 0
        and again.report.counts.get("people_updated", 0) == 0
    )
    assert again.report.counts.get("memberships_created", 0) == 0
    after = db_state()
    assert {k: v for k, v in after.items() if k != "audit_bulk"} == {
        k: v for k, v in state.items() if k != "audit_bulk"
    }


def test_changed_row_updates_and_moving_keeps_the_residence_history(units, officer, csv_file):
    run(csv_file([person_row(1, household="H1")]), units, officer)
    p = Person.objects.get(cccd=cccd_for(1))
    out = run(
        csv_file([person_row(1, household="H9", village="Thôn 2", phone="0905 123 456")]), units, officer
    )
    assert out.ok, errors_of(out)
    p.refresh_from_db()
    assert (
        p.village_id == units.village_a2.pk
        and p.phone == "0905123456"
        and p.unit_path == units.village_a2.path
    )
    history = list(Residence.objects.filter(person=p).order_by("pk").values_list("village_id", "valid_to"))
    assert history[0][0] == units.village_a1.pk and history[0][1] is not None
    assert history[1] == (units.village_a2.pk, None)
    memberships = list(
        HouseholdMember.objects.filter(person=p).order_by("pk").values_list("household__code", "valid_to")
    )
    assert memberships[0][0] == "H1" and memberships[0][1] is not None and memberships[1] == ("H9", None)


def test_village_of_another_commune_is_rejected(units, officer, csv_file):
    before = db_state()
    out = run(
        csv_file([person_row(1), person_row(2, village="Tổ dân phố 1"), person_row(3, village="Thôn 99")]),
        units,
        officer,
    )
    errs = errors_of(out)
    assert [(r, f) for r, f, _m in errs] == [(3, "Thôn/Tổ dân phố"), (4, "Thôn/Tổ dân phố")]
    assert "Phường Kon Tum" in errs[0][2] and "không thuộc Xã Đăk Mar" in errs[0][2]
    assert "Không có thôn/tổ dân phố 'Thôn 99'" in errs[1][2]
    out = run(csv_file([person_row(1, village=units.village_b1.code)]), units, officer)
    assert "không thuộc Xã Đăk Mar" in errors_of(out)[0][2]
    assert db_state() == before


def test_officer_imports_only_into_their_own_commune(units, officer, make_user, csv_file):
    from xhht.accounts.models import Role

    path = csv_file([person_row(1, village="Tổ dân phố 1")])
    with pytest.raises(PermissionDenied):
        run(path, units, officer, commune=units.commune_b)
    reader = make_user(Role.UBND_XA, units.commune_a)  # may edit, may not import
    with pytest.raises(PermissionDenied):
        run(path, units, reader)


def test_household_rules(units, officer, csv_file):
    before = db_state()
    rows = [
        person_row(1, household="A", relation="Chủ hộ"),
        person_row(2, household="A", relation="Chủ hộ"),
        person_row(3, household="B", relation="Con"),
        person_row(4, household="C", relation="Chủ hộ"),
        person_row(5, household="C", relation="Con", village="Thôn 2"),
        person_row(6, household="D", relation="Hàng xóm"),
    ]
    out = run(csv_file(rows), units, officer)
    errs = errors_of(out)
    assert (6, "Thôn/Tổ dân phố", "Thành viên ở thôn khác với hộ C (dòng 5).") in errs
    assert any(r == 7 and f == "Quan hệ với chủ hộ" and "Hàng xóm" in m for r, f, m in errs)
    assert (3, "Quan hệ với chủ hộ", "Hộ A có nhiều hơn một chủ hộ (các dòng 2, 3).") in errs
    assert (4, "Quan hệ với chủ hộ", "Hộ B không có dòng nào là 'Chủ hộ'.") in errs
    assert db_state() == before


def test_households_kind_needs_household_columns(units, officer, csv_file):
    header = ["Họ và tên", "Thôn/Tổ dân phố"]
    out = run(csv_file([["Lê Văn An", "Thôn 1"]], header=header), units, officer, kind="households")
    assert not out.ok and "Mã hộ" in errors_of(out)[0][2]


def test_cccd_must_agree_with_birth_year_and_sex(units, officer, csv_file):
    before = db_state()
    rows = [
        person_row(1, birth="1990", cccd=cccd_for(1, 1985)),
        person_row(2, sex="Nữ", cccd=cccd_for(2)),
        person_row(3, cccd="999185000001"),
        person_row(4, cccd="12345"),
    ]
    errs = errors_of(run(csv_file(rows), units, officer))
    assert [(r, f) for r, f, _m in errs] == [(2, "Số CCCD"), (3, "Số CCCD"), (4, "Số CCCD"), (5, "Số CCCD")]
    assert "năm sinh 1990" in errs[0][2] and "giới tính" in errs[1][2] and "999" in errs[2][2]
    assert "12 chữ số" in errs[3][2]
    assert db_state() == before


def test_cp1258_csv_with_commas_and_header_variants(units, officer, tmp_path):
    path = tmp_path / "windows.csv"
    # Windows-1258 has ê, ă, ơ, ư, đ precomposed and the tones as combining marks ("Đức" = Đ ư + ́ c)
    text = "HO TEN,ngay sinh,GIOI TINH,thon/to dan pho,so cccd\r\nL\u00ea V\u0103n \u0110\u01b0\u0301c,1/2/1980,NAM,Th\u00f4n 1,\r\n"
    path.write_bytes(text.encode("cp1258"))
    out = run(path, units, officer)
    assert out.ok, errors_of(out)
    p = Person.objects.get(full_name="Lê Văn Đức")
    assert p.birth_date.isoformat() == "1980-02-01" and p.sex == "M"


def test_codes_in_scientific_notation_or_too_long_are_rejected(units, officer, csv_file):
    before = db_state()
    rows = [person_row(1, household="1,2E+05"), person_row(2, household="H" * 65)]
    errs = errors_of(run(csv_file(rows), units, officer))
    assert errs[:2] == [
        (2, "Mã hộ", "Mã bị Excel đổi sang dạng số mũ (1,2E+05): hãy định dạng cột là Văn bản (Text)."),
        (3, "Mã hộ", "Quá dài: tối đa 64 ký tự."),
    ]
    assert db_state() == before
