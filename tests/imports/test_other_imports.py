"""Clans, organisations with staff, association members; templates; the command; the upload pages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.imports.conftest import cccd_for, db_state, person_row
from xhht.imports.models import ImportJob, ImportKind
from xhht.imports.services import import_file
from xhht.imports.specs import columns_for
from xhht.registry.models import (
    AssociationBranch,
    AssociationMember,
    Clan,
    ClanHousehold,
    Organisation,
    OrgMembership,
)


@pytest.fixture
def registry(units, officer, csv_file):
    rows = [
        person_row(1, household="H1"),
        person_row(
            2, household="H1", relation="Vợ", sex="Nữ", name="Trần Thị Bình", cccd=cccd_for(2, male=False)
        ),
        person_row(3, household="H3"),
    ]
    out = import_file(
        actor=officer, path=csv_file(rows), kind="people", commune=units.commune_a, dry_run=False
    )
    assert out.ok
    return units


def test_clans_import_and_reimport(registry, officer, csv_file):
    header = ["Mã dòng họ", "Tên dòng họ", "Mã hộ", "CCCD trưởng dòng họ"]
    rows = [["DH1", "Họ Nguyễn Văn", "H1", cccd_for(1)], ["DH1", "Họ Nguyễn Văn", "H3", ""]]
    path = csv_file(rows, header=header)
    out = import_file(actor=officer, path=path, kind="clans", commune=registry.commune_a, dry_run=False)
    assert out.ok, out.report.errors
    clan = Clan.objects.get(external_id="DH1")
    assert (
        clan.name_folded == "ho nguyen van"
        and clan.head.cccd == cccd_for(1)
        and clan.unit_path == registry.commune_a.path
    )
    assert ClanHousehold.objects.filter(clan=clan).count() == 2
    out = import_file(actor=officer, path=path, kind="clans", commune=registry.commune_a, dry_run=False)
    assert out.ok and ClanHousehold.objects.count() == 2 and Clan.objects.count() == 1
    bad = csv_file([["DH2", "Họ Lê", "KHONG-CO", ""]], header=header)
    out = import_file(actor=officer, path=bad, kind="clans", commune=registry.commune_a, dry_run=False)
    assert [(i.row, i.field) for i in out.report.errors] == [(2, "Mã hộ")]
    assert Clan.objects.count() == 1


def test_organisations_with_staff(registry, officer, csv_file):
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại hình",
        "Cấp",
        "Số CCCD",
        "Họ và tên",
        "Loại nhân sự",
        "Chức vụ",
        "Từ ngày",
    ]
    rows = [
        [
            "DV1",
            "Trường THCS Đăk Mar",
            "Trường học, cơ sở giáo dục",
            "Cấp xã",
            cccd_for(1),
            "Nguyễn Văn An 1",
            "Viên chức",
            "Hiệu trưởng",
            "01/09/2020",
        ],
        [
            "DV1",
            "Trường THCS Đăk Mar",
            "Trường học, cơ sở giáo dục",
            "Cấp xã",
            cccd_for(2, male=False),
            "Trần Thị Bình",
            "viên chức",
            "Giáo viên",
            "",
        ],
    ]
    path = csv_file(rows, header=header)
    out = import_file(
        actor=officer, path=path, kind="organisations", commune=registry.commune_a, dry_run=False
    )
    assert out.ok, out.report.errors
    org = Organisation.objects.get(external_id="DV1")
    assert (
        org.kind == "truong_hoc"
        and org.unit_id == registry.commune_a.pk
        and org.name_folded == "truong thcs dak mar"
    )
    assert OrgMembership.objects.filter(organisation=org, valid_to__isnull=True).count() == 2
    out = import_file(
        actor=officer, path=path, kind="organisations", commune=registry.commune_a, dry_run=False
    )
    assert out.ok and OrgMembership.objects.count() == 2 and out.report.counts.get("staff_created") == 0
    before = OrgMembership.objects.count()
    bad = csv_file([["DV2", "Công ty A", "Doanh nghiệp", "", "051085999999", "", "", "", ""]], header=header)
    out = import_file(
        actor=officer, path=bad, kind="organisations", commune=registry.commune_a, dry_run=False
    )
    assert [(i.row, i.field) for i in out.report.errors] == [(2, "Số CCCD")]
    assert "nhập sổ công dân trước" in out.report.errors[0].message
    assert OrgMembership.objects.count() == before and Organisation.objects.count() == 1


def test_association_members(registry, officer, csv_file):
    header = ["Chi hội", "Số CCCD", "Là cán bộ hội", "Chức vụ trong hội", "Ngày vào hội"]
    rows = [
        ["Chi hội thôn 1", cccd_for(1), "Có", "Chi hội trưởng", "15/03/2022"],
        ["Chi hội thôn 1", cccd_for(3), "", "", ""],
    ]
    path = csv_file(rows, header=header)
    out = import_file(actor=officer, path=path, kind="association", commune=registry.commune_a, dry_run=False)
    assert out.ok, out.report.errors
    assert AssociationBranch.objects.filter(name="Chi hội thôn 1").count() == 1
    assert (
        AssociationMember.objects.filter(is_officer=True).count() == 1
        and AssociationMember.objects.count() == 2
    )
    out = import_file(actor=officer, path=path, kind="association", commune=registry.commune_a, dry_run=False)
    assert out.ok and AssociationMember.objects.count() == 2 and AssociationBranch.objects.count() == 1
    bad = csv_file([["Chi hội thôn 1", "", "", "", ""]], header=header)
    out = import_file(actor=officer, path=bad, kind="association", commune=registry.commune_a, dry_run=False)
    assert [(i.row, i.field) for i in out.report.errors] == [(2, "Số CCCD")]


@pytest.mark.parametrize("kind", ImportKind.values)
def test_templates_have_header_example_and_instructions(kind, officer, login):
    resp = login(officer).get(reverse("imports:template", args=[kind]))
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    data, info = wb.worksheets
    headers = [c.value for c in data[1]]
    assert headers == [c.header for c in columns_for(kind)]
    assert any(c.value for c in data[2])
    assert info.title == "Hướng dẫn" and info.max_row > len(headers)


def test_people_template_round_trips_through_the_importer(units, officer, login, tmp_path):
    resp = login(officer).get(reverse("imports:template", args=["households"]))
    path = tmp_path / "mau.xlsx"
    path.write_bytes(resp.content)
    out = import_file(actor=officer, path=path, kind="households", commune=units.commune_a, dry_run=True)
    assert out.ok, out.report.errors
    assert out.report.counts["people_created"] == 1


def test_command_dry_run_and_commit(units, csv_file, capsys):
    path = csv_file([person_row(1), person_row(2, cccd="3.8E+10")])
    before = db_state()
    with pytest.raises(CommandError):
        call_command(
            "import", str(path), "--kind", "people", "--commune", units.commune_a.code, "--no-progress"
        )
    out = capsys.readouterr().out
    assert "LỖI dòng 3, cột 'Số CCCD'" in out
    assert db_state() == before
    good = csv_file([person_row(1)])
    call_command("import", str(good), "--commune", units.commune_a.code, "--dry-run", "--no-progress")
    assert db_state() == before
    call_command("import", str(good), "--commune", units.commune_a.code, "--no-progress")
    assert db_state()["people"] == before["people"] + 1


def test_upload_page_flow(units, officer, login, csv_file, django_capture_on_commit_callbacks):
    client = login(officer)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200 and "Xã Đăk Mar" in page.content.decode()
    before = db_state()
    bad = csv_file([person_row(1), person_row(2, village="Tổ dân phố 1")])
    with open(bad, "rb") as f, django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f}
        )
    job = ImportJob.objects.latest("pk")
    assert resp.status_code == 302 and resp.url == reverse("imports:job", args=[job.pk])
    assert job.status == ImportJob.Status.REJECTED
    html = client.get(resp.url).content.decode()
    assert "Tổ dân phố 1" in html and "<td>3</td><td>Thôn/Tổ dân phố</td>" in html
    assert f"kind=people&amp;commune={units.commune_a.pk}" in html  # retry keeps the options
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 302
    assert db_state() == before
    good = csv_file([person_row(1)])
    with open(good, "rb") as f, django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f}
        )
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.CHECKED and db_state() == before
    checked = client.get(resp.url).content.decode()
    assert "Nhập dữ liệu</button>" in checked
    assert "Nếu nhập tệp này (chưa có gì được ghi):" in checked and "<li>Công dân mới: 1</li>" in checked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and db_state()["people"] == before["people"] + 1
    # the uploaded files (citizens' personal data) are gone once imported or refused; reports stay
    from pathlib import Path

    jobs = list(ImportJob.objects.order_by("pk"))
    assert [j.status for j in jobs[-2:]] == [ImportJob.Status.REJECTED, ImportJob.Status.DONE]
    assert not any(Path(j.stored_path).exists() for j in jobs[-2:])
    assert jobs[-1].report["counts"]["people_created"] == 1


def test_purge_removes_files_of_jobs_left_unfinished(units, officer, login, csv_file):
    import datetime as dt
    from pathlib import Path

    from django.core.management import call_command

    client = login(officer)
    with open(csv_file([person_row(1)]), "rb") as f:
        client.post(reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f})
    job = ImportJob.objects.latest("pk")
    assert Path(job.stored_path).exists()  # not checked yet (the task has not run): kept
    call_command("purge_imports", "--days", "7")
    assert Path(job.stored_path).exists()  # younger than 7 days
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(days=8))
    call_command("purge_imports", "--days", "7")
    assert not Path(job.stored_path).exists()
    from xhht.accounts.models import AuditEvent

    assert AuditEvent.objects.filter(action="bulk", model="imports.importjob").exists()


def test_upload_form_keeps_options_when_rejected_and_jobs_are_scoped(
    units, officer, make_user, login, csv_file
):
    from xhht.accounts.models import Role

    client = login(officer)
    resp = client.post(reverse("imports:upload"), {"kind": "clans", "commune": units.commune_a.pk})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert (
        '<option value="clans" selected>' in html
        and f'<option value="{units.commune_a.pk}" selected>' in html
    )
    with open(csv_file([person_row(1)]), "rb") as f:
        client.post(reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f})
    job = ImportJob.objects.latest("pk")
    other = make_user(Role.HKH_XA, units.commune_b)
    assert login(other).get(reverse("imports:job", args=[job.pk])).status_code == 404
    resp = login(other).post(reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk})
    assert resp.status_code == 400  # commune A is not a choice for commune B's officer
    assert (
        login(make_user(Role.TRUONG_THON, units.village_a1)).get(reverse("imports:upload")).status_code == 403
    )
