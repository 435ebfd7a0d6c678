"""PDFs read back with pdftotext, the public verification page, evidence checks, staff pages."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.recognition import pdf, services
from xhht.recognition.evidence import MAX_EVIDENCE_BYTES
from xhht.recognition.models import AssessmentStatus, Certificate, Evidence
from xhht.recognition.subjects import mask_name

SIGN = helpers.SIGN


def pdftotext(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def test_decision_pdf_has_the_administrative_layout_and_vietnamese_names(decided):
    text = pdftotext(pdf.decision_pdf(decided.decision))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐĂK MAR",
        "Số: 1/QĐ-UBND",
        "Đăk Mar, ngày 15 tháng 12 năm 2025",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Gia đình học tập",
        "PHÓ CHỦ TỊCH",
        "A Thắng",
        "DANH SÁCH KÈM THEO",
        "Hộ Nguyễn Văn Ánh",
        "Hộ Trần Thị Hương",
        "Hộ Lê Đức Thắng",
        "Thôn 1",
    ):
        assert expected in text, expected
    assert "cho 3 hộ gia đình" in text
    # the list is in Vietnamese order of given names: Ánh, Hương, Thắng
    assert text.index("Văn Ánh") < text.index("Thị Hương") < text.index("Đức Thắng")


def test_certificate_pdf_and_public_verification(decided, client):
    rec = decided.decision.recognitions.get(subject_name="Hộ Trần Thị Hương")
    cert = rec.certificate
    text = pdftotext(pdf.certificate_pdf(cert))
    assert "GIẤY CÔNG NHẬN" in text and "Hộ Trần Thị Hương" in text and "Gia đình học tập" in text
    assert "1/QĐ-UBND" in text

    resp = client.get(f"/xac-thuc/{cert.token}/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "Còn hiệu lực" in body and "Hộ Trần T** H**" in body and "Gia đình học tập" in body
    assert "Ủy ban nhân dân xã Đăk Mar" in body and "2025" in body
    # nothing else: not the full name, not the village, not the points
    assert "Trần Thị Hương" not in body and "Thôn 1" not in body and "85" not in body
    assert resp["X-Robots-Tag"].startswith("noindex")

    services.recognition_revoke(user=decided.chair, recognition=rec, reason="Khai sai")
    body = client.get(f"/xac-thuc/{cert.token}/").content.decode()
    assert "Đã thu hồi" in body and "Còn hiệu lực" not in body and "Khai sai" not in body
    assert client.get(f"/xac-thuc/{cert.token[:-1]}x/").status_code == 404
    assert client.get("/xac-thuc/1/").status_code == 404


def test_tokens_are_random_not_serial(decided):
    tokens = list(Certificate.objects.values_list("token", flat=True))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)
    assert len({t[:8] for t in tokens}) == len(tokens)


def test_mask_name():
    assert mask_name("Nguyễn Thị Hoa") == "Nguyễn T** H**"
    assert mask_name("A Thắng") == "A T**"
    assert mask_name("Hoa") == "H**"


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100
PDF = b"%PDF-1.4\n" + b"\0" * 100


def test_evidence_is_checked_by_content_and_size(cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = cycle
    a = services.register(user=c.manager, campaign=c.campaign, subject_id=c.households[0].pk)
    for name, data, ctype in (
        ("anh.png", PNG, "image/png"),
        ("anh.jpg", JPEG, "image/jpeg"),
        ("giay.pdf", PDF, "application/pdf"),
    ):
        ev = services.evidence_add(
            user=c.manager,
            assessment=a,
            indicator_code="1.1",
            upload=SimpleUploadedFile(name, data, content_type="text/plain"),
        )
        assert ev.content_type == ctype and ev.size == len(data) and len(ev.sha256) == 64
    # an executable renamed to .jpg, with an image content type, is refused
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            user=c.manager,
            assessment=a,
            indicator_code="1.1",
            upload=SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\0" * 50, content_type="image/jpeg"),
        )
    assert "anh.jpg" in exc.value.messages[0]
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"\0" * MAX_EVIDENCE_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(user=c.manager, assessment=a, indicator_code="1.1", upload=big)
    assert "5 MB" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.evidence_add(
            user=c.manager, assessment=a, indicator_code="9.9", upload=SimpleUploadedFile("a.png", PNG)
        )
    assert Evidence.objects.filter(assessment=a).count() == 3


def test_staff_pages_walk(cycle, login, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = cycle
    officer = login(c.manager)
    h = c.households[0]
    r = officer.get(f"/danh-gia/dot/{c.campaign.pk}/")
    assert r.status_code == 200 and "Hộ Nguyễn Văn Ánh" in r.content.decode()
    r = officer.post(f"/danh-gia/dot/{c.campaign.pk}/dang-ky/", {"subject": h.pk})
    a = c.campaign.assessments.get(subject_id=h.pk)
    assert r.status_code == 302 and r["Location"] == f"/danh-gia/ho-so/{a.pk}/cau/0/"
    # one question per screen; a rejected value is kept in the form
    r = officer.post(f"/danh-gia/ho-so/{a.pk}/cau/0/", {"value": "70", "action": "next"})
    assert r.status_code == 200 and 'value="70"' in r.content.decode() and "1.1" in r.content.decode()
    r = officer.post(
        f"/danh-gia/ho-so/{a.pk}/cau/0/", {"value": "45", "action": "next", "evidence": io.BytesIO(PNG)}
    )
    assert r.status_code == 302
    officer.post(f"/danh-gia/ho-so/{a.pk}/cau/1/", {"value": "40", "action": "next"})
    officer.post(f"/danh-gia/ho-so/{a.pk}/cau/2/", {"value": "1", "action": "next"})
    r = officer.get(f"/danh-gia/ho-so/{a.pk}/cau/3/")
    assert "85" in r.content.decode()
    r = officer.post(f"/danh-gia/ho-so/{a.pk}/cau/3/", {"action": "submit"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED and a.evidence.count() == 1
    # bulk review of the village
    r = officer.get(f"/danh-gia/dot/{c.campaign.pk}/tham-dinh-thon/{c.units.village_a1.pk}/")
    assert r.status_code == 200
    r = officer.post(
        f"/danh-gia/dot/{c.campaign.pk}/tham-dinh-thon/{c.units.village_a1.pk}/", {f"o_{a.pk}": "propose"}
    )
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PROPOSED
    # the chair signs
    chair = login(c.chair)
    r = chair.get(f"/danh-gia/dot/{c.campaign.pk}/quyet-dinh/")
    assert r.status_code == 200 and "Hộ Nguyễn Văn Ánh" in r.content.decode()
    r = chair.post(
        f"/danh-gia/dot/{c.campaign.pk}/quyet-dinh/",
        {
            "date": "2025-12-15",
            "signer_name": "A Thắng",
            "signer_position": "Phó Chủ tịch",
            "legal_basis": "Căn cứ Quyết định số 387/QĐ-TTg.",
            "files": [a.pk],
        },
    )
    assert r.status_code == 302
    d = c.campaign.decisions.get()
    r = chair.get(f"/danh-gia/quyet-dinh/{d.pk}/pdf/")
    assert r["Content-Type"] == "application/pdf" and "Hộ Nguyễn Văn Ánh" in pdftotext(r.content)
    rec = d.recognitions.get()
    r = chair.get(f"/danh-gia/cong-nhan/{rec.pk}/giay-cong-nhan.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    # officers of another commune see none of it
    other = login(make_user(Role.HKH_XA, c.units.commune_b))
    for url in (
        f"/danh-gia/dot/{c.campaign.pk}/",
        f"/danh-gia/ho-so/{a.pk}/",
        f"/danh-gia/quyet-dinh/{d.pk}/",
        f"/danh-gia/cong-nhan/{rec.pk}/",
        f"/danh-gia/ho-so/{a.pk}/cau/0/",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.get(f"/danh-gia/dot/{c.campaign.pk}/tham-dinh-thon/{c.units.village_a1.pk}/").status_code == 404
    )
