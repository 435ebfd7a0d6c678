"""The import pages speak English when the user picks English (catalogue compiled by ``make``)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.imports.conftest import person_row
from xhht.imports.models import ImportJob


@pytest.fixture
def english(login, officer):
    """A client of the commune officer with the UI in English; the thread goes back to Vietnamese."""
    client = login(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    yield client
    translation.activate("vi")


def _upload(client, units, path, django_capture_on_commit_callbacks) -> str:
    with open(path, "rb") as f, django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f}
        )
    job = ImportJob.objects.latest("pk")
    assert resp.status_code == 302 and resp.url == reverse("imports:job", args=[job.pk])
    return client.get(resp.url).content.decode()


def test_upload_and_job_pages_in_english(units, english, csv_file, django_capture_on_commit_callbacks):
    body = english.get(reverse("imports:upload")).content.decode()
    assert '<html lang="en"' in body
    assert "Import data from a file" in body and "Nhập dữ liệu từ tệp" not in body
    assert (
        "Upload and check" in body
        and "<h2>Templates</h2>" in body
        and "Households and members (.xlsx)" in body
    )

    # a refused file: the status, the error table and each reason are in English; the file's data is not
    bad = csv_file([person_row(1), person_row(2, village="Tổ dân phố 1"), person_row(3, village="Thôn 99")])
    html = _upload(english, units, bad, django_capture_on_commit_callbacks)
    assert ImportJob.objects.latest("pk").status == ImportJob.Status.REJECTED
    assert "<strong>Status:</strong>" in html and "Has errors" in html
    assert "The file has errors: no row was imported." in html and "Upload the corrected file" in html
    assert "<h2>Error</h2>" in html and "<th>Row</th><th>Column</th><th>Reason</th>" in html
    assert (
        "Village / residential group &#x27;Tổ dân phố 1&#x27; belongs to Phường Kon Tum, not to Xã Đăk Mar: "
        "rows can only be imported into the chosen commune." in html
    )
    assert "No village / residential group &#x27;Thôn 99&#x27; in Xã Đăk Mar." in html
    assert "<td>3</td><td>Thôn/Tổ dân phố</td>" in html  # the column as the file names it
    assert "Data rows: 3 · Errors: 2 (rows with errors: 2) · Warnings: 0" in html
    assert "Không có thôn" not in html and "Tệp có lỗi" not in html and "Trạng thái" not in html

    # a checked file: the counters say what an import would write
    html = _upload(english, units, csv_file([person_row(1)]), django_capture_on_commit_callbacks)
    assert ImportJob.objects.latest("pk").status == ImportJob.Status.CHECKED
    assert "If this file is imported (nothing has been written yet):" in html
    assert "<li>New citizens: 1</li>" in html and "<li>New households: 1</li>" in html
    assert "Import</button>" in html and "Công dân mới" not in html and "Nhập dữ liệu</button>" not in html

    body = english.get(reverse("imports:upload")).content.decode()
    assert "<h2>Recent imports</h2>" in body and "<td>Checked</td>" in body and "<td>Has errors</td>" in body
