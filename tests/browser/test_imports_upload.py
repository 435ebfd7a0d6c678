"""An officer uploads a file with errors: the page lists each rejected row with its column and reason,
and nothing is imported; the corrected file is checked, then committed with one click."""

from tests import factories
from tests.imports.conftest import cccd_for, person_row, write_csv
from xhht.accounts.models import Role
from xhht.registry.models import Household, Person


def test_upload_with_errors_shows_rows_and_imports_nothing(page, login_as, tmp_path):
    m = factories.demo_map()
    officer = factories.make_user(Role.HKH_XA, m.commune_a, username="hkh_dakmar", full_name="Nguyễn Thị Hoa")
    bad = write_csv(
        tmp_path / "danh-sach.csv",
        [
            person_row(1, household="H1"),
            person_row(2, household="H1", relation="Con", village="Tổ dân phố 1"),
            person_row(3, household="H3", cccd="3.8E+10"),
        ],
    )
    login_as(page, officer)
    page.goto("/nhap-du-lieu/")
    page.select_option("#id_kind", "households")
    page.select_option("#id_commune", str(m.commune_a.pk))
    page.set_input_files("#id_file", str(bad))
    page.click("main button[type=submit]")
    page.wait_for_selector("#import-errors")
    rows = page.locator("#import-errors tbody tr").all_inner_texts()
    assert any(r.startswith("3\tThôn/Tổ dân phố\t") and "không thuộc Xã Đăk Mar" in r for r in rows), rows
    assert any(r.startswith("4\tSố CCCD\t") and "số mũ" in r for r in rows), rows
    assert "không có dòng nào được nhập" in page.inner_text("main")
    assert page.locator("button:has-text('Nhập dữ liệu')").count() == 0
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px screen"

    # retry keeps the chosen registry and commune
    page.click("text=Tải lên tệp đã sửa")
    assert page.locator("#id_kind").input_value() == "households"
    assert page.locator("#id_commune").input_value() == str(m.commune_a.pk)
    good = write_csv(
        tmp_path / "da-sua.csv",
        [
            person_row(1, household="H1"),
            person_row(2, household="H1", relation="Con", cccd=cccd_for(2)),
        ],
    )
    page.set_input_files("#id_file", str(good))
    page.click("main button[type=submit]")
    page.click("button:has-text('Nhập dữ liệu')")
    page.wait_for_selector("text=Đã nhập xong")
    assert Person.objects.count() == 2 and Household.objects.get(code="H1").members.count() == 2


def test_a_large_file_is_checked_and_committed_through_the_page(page, login_as, tmp_path):
    """25,000 people: large enough for the bulk paths (scratch-file writes on SQLite, bulk-load mode)."""
    m = factories.demo_map()
    officer = factories.make_user(Role.HKH_XA, m.commune_a, username="hkh_lon", full_name="Trần Văn Lớn")
    n = 25_000
    rows = [
        person_row(k, household=f"HL{(k + 4) // 5}", relation="Chủ hộ" if k % 5 == 1 else "Con")
        for k in range(1, n + 1)
    ]
    login_as(page, officer)
    page.goto("/nhap-du-lieu/")
    page.select_option("#id_kind", "households")
    page.select_option("#id_commune", str(m.commune_a.pk))
    page.set_input_files("#id_file", str(write_csv(tmp_path / "ca-xa.csv", rows)))
    page.click("main button[type=submit]")
    page.click("button:has-text('Nhập dữ liệu')", timeout=120_000)
    page.wait_for_selector("text=Đã nhập xong", timeout=120_000)
    assert Person.objects.count() == n and Household.objects.count() == n // 5
    assert Household.objects.get(code="HL7").members.count() == 5
    page.screenshot(path=str(tmp_path / "nhap-lon.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px screen"
