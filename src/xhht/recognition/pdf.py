"""PDF outputs: the decision (Quyết định công nhận + Danh sách kèm theo) and certificates.

The decision is drawn with fpdf2's low-level calls (``text``, ``line``, ``multi_cell`` for the few
paragraphs of the first page): a list of 10,000 subjects is about 230 A4 pages, which WeasyPrint
(≈85 s) and fpdf2's table helper (≈34 s) draw too slowly; placing each string at computed
coordinates takes a few seconds. The layout follows the Vietnamese administrative style (Nghị định
30/2020/NĐ-CP): issuer and Quốc hiệu/tiêu ngữ side by side, number and place-date, title, căn cứ,
articles, recipients and signer, then the attached list.

Certificates are one page each and come from an HTML template through WeasyPrint, with a QR code
(segno, SVG) pointing to the public verification page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from xhht.core.text import vi_name_sort_key, vi_sort_key
from xhht.core.titles import Level, SubjectType, Title

from .models import Certificate, Decision, Recognition

FONT_DIR = Path(__file__).resolve().parent / "fonts"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

LEVEL_LABEL = {Level.PASS: "Đạt", Level.LEVEL1: "Mức 1", Level.LEVEL2: "Mức 2"}
SUBJECT_NOUN = {
    SubjectType.PERSON: "công dân",
    SubjectType.HOUSEHOLD: "hộ gia đình",
    SubjectType.CLAN: "dòng họ",
    SubjectType.UNIT: "đơn vị",
    SubjectType.ORGANISATION: "cơ quan, đơn vị",
    SubjectType.CENTRE: "trung tâm",
}
NAME_HEADER = {
    SubjectType.PERSON: "Họ và tên",
    SubjectType.HOUSEHOLD: "Hộ gia đình (chủ hộ)",
    SubjectType.CLAN: "Dòng họ",
    SubjectType.UNIT: "Thôn, tổ dân phố / xã",
    SubjectType.ORGANISATION: "Cơ quan, đơn vị",
    SubjectType.CENTRE: "Trung tâm",
}


def vi_date(d: dt.date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _new_pdf():
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_compression(True)
    pdf.add_font("serif", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("serif", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.add_font("serif", "I", str(FONT_DIR / "DejaVuSerif-Italic.ttf"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 15, 15)
    return pdf


def _centered(pdf, x_center: float, y: float, text: str, style: str = "", size: float = 11) -> float:
    pdf.set_font("serif", style, size)
    w = pdf.get_string_width(text)
    pdf.text(x_center - w / 2, y, text)
    return w


def _first_page(pdf, d: Decision, count: int, subject_type: str) -> None:
    pdf.add_page()
    left_c, right_c = 55.0, 140.0
    issuer_parts = _issuer_lines(d.issuer_name)
    y = 20.0
    _centered(pdf, left_c, y, issuer_parts[0], "", 11)
    w = _centered(pdf, left_c, y + 5, issuer_parts[1], "B", 11)
    pdf.line(left_c - w / 4, y + 6.5, left_c + w / 4, y + 6.5)
    _centered(pdf, right_c, y, QUOC_HIEU, "B", 10.5)
    w = _centered(pdf, right_c, y + 5, TIEU_NGU, "B", 11)
    pdf.line(right_c - w / 2, y + 6.5, right_c + w / 2, y + 6.5)
    _centered(pdf, left_c, y + 14, f"Số: {d.number_label}", "", 11)
    _centered(pdf, right_c, y + 14, f"{d.place}, {vi_date(d.date)}", "I", 11)
    y += 28
    _centered(pdf, 105, y, "QUYẾT ĐỊNH", "B", 13)
    title = str(Title(d.title).label)
    _centered(pdf, 105, y + 6, f"Về việc công nhận danh hiệu “{title}” năm {d.year}", "B", 11.5)
    pdf.line(90, y + 10, 120, y + 10)
    _centered(
        pdf, 105, y + 17, (d.signer_title or "Thủ trưởng").upper() + " " + _issuer_tail(d).upper(), "B", 11
    )
    pdf.set_xy(20, y + 22)
    pdf.set_font("serif", "I", 11)
    for line in [ln.strip() for ln in d.legal_basis.splitlines() if ln.strip()]:
        pdf.set_x(20)
        pdf.multi_cell(175, 5.5, line, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _centered(pdf, 105, pdf.get_y() + 3, "QUYẾT ĐỊNH:", "B", 12)
    pdf.set_y(pdf.get_y() + 7)
    noun = SUBJECT_NOUN.get(subject_type, "đối tượng")
    validity = f"{d.validity_years} năm" if d.validity_years != 1 else "01 năm"
    articles = [
        (
            "Điều 1. ",
            f"Công nhận danh hiệu “{title}” năm {d.year} cho {count:,} {noun} "
            "(có danh sách kèm theo).".replace(",", "."),
        ),
        (
            "Điều 2. ",
            f"Danh hiệu có giá trị {validity} kể từ ngày ký. Các {noun} có tên tại Điều 1 được cấp "
            "Giấy công nhận; thông tin công nhận được tra cứu công khai bằng mã QR in trên giấy.",
        ),
        (
            "Điều 3. ",
            "Quyết định này có hiệu lực kể từ ngày ký. Văn phòng, Hội Khuyến học và các "
            f"{noun} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
    ]
    for head, body in articles:
        pdf.set_x(20)
        pdf.set_font("serif", "", 11)
        pdf.multi_cell(175, 5.5, f"**{head}**{body}", align="J", markdown=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    y = pdf.get_y() + 6
    pdf.set_font("serif", "I", 10)
    pdf.text(20, y, "Nơi nhận:")
    pdf.set_font("serif", "", 9.5)
    for i, line in enumerate(["- Như Điều 3;", "- Hội Khuyến học;", "- Lưu: VT."]):
        pdf.text(20, y + 5 + i * 4.5, line)
    lines = [ln.strip().upper() for ln in d.signer_position.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        _centered(pdf, right_c, y + i * 5, line, "B", 11)
    y += 5 * (len(lines) - 1)
    _centered(pdf, right_c, y + 12, "(Đã ký)", "I", 10)
    _centered(pdf, right_c, y + 26, d.signer_name, "B", 11)


def _issuer_lines(issuer_name: str) -> tuple[str, str]:
    """'Ủy ban nhân dân xã Đăk Mar' -> ('', 'ỦY BAN NHÂN DÂN XÃ ĐĂK MAR') split in two header lines."""
    upper = issuer_name.upper()
    for prefix in ("ỦY BAN NHÂN DÂN ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO "):
        if upper.startswith(prefix):
            return prefix.strip(), upper[len(prefix) :]
    return "", upper


def _issuer_tail(d: Decision) -> str:
    parts = _issuer_lines(d.issuer_name)
    return parts[1] if parts[0] else ""


# ------------------------------------------------------------------------------ the attached list

ROW_H = 5.6
COLS = [  # (header, x, width, align)
    ("STT", 20, 12, "R"),
    ("", 32, 78, "L"),
    ("Địa bàn", 110, 55, "L"),
    ("Mức", 165, 15, "L"),
    ("Điểm", 180, 15, "R"),
]
RIGHT = 195


def _fit(pdf, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _list_rows(d: Decision) -> list[tuple]:
    rows = list(
        Recognition.objects.filter(decision=d).values_list(
            "subject_type", "subject_name", "unit_label", "level", "total_points"
        )
    )

    def key(r):
        place = (r[2] or "").split(",")[0]
        name = r[1][3:] if r[0] == SubjectType.HOUSEHOLD and r[1].startswith("Hộ ") else r[1]
        by_name = (
            vi_name_sort_key(name)
            if r[0] in (SubjectType.PERSON, SubjectType.HOUSEHOLD)
            else vi_sort_key(name)
        )
        return vi_sort_key(place), by_name

    rows.sort(key=key)
    return rows


def _list_pages(pdf, d: Decision, rows: list[tuple], subject_type: str) -> None:
    top, bottom = 30.0, 282.0
    per_page = int((bottom - top - ROW_H * 1.3) // ROW_H)
    headers = [(h or NAME_HEADER.get(subject_type, "Tên"), x, w, a) for h, x, w, a in COLS]
    caption = f"DANH SÁCH KÈM THEO QUYẾT ĐỊNH SỐ {d.number_label.upper()} {vi_date(d.date).upper()}"
    sub = f"của {d.issuer_name} công nhận danh hiệu “{Title(d.title).label}” năm {d.year}"
    name_w = headers[1][2] - 2
    place_w = headers[2][2] - 2
    total_pages = max(1, -(-len(rows) // per_page))
    for p in range(total_pages):
        pdf.add_page()
        y = 15.0
        if p == 0:
            _centered(pdf, 105, y, caption, "B", 10.5)
            _centered(pdf, 105, y + 5, sub, "I", 10)
            y += 9
        pdf.set_font("serif", "B", 9.5)
        y_head = y + 2
        pdf.line(20, y_head, RIGHT, y_head)
        for h, x, w, a in headers:
            tx = x + w - 1 - pdf.get_string_width(h) if a == "R" else x + 1
            pdf.text(tx, y_head + 4.2, h)
        y = y_head + ROW_H + 0.4
        pdf.line(20, y, RIGHT, y)
        pdf.set_font("serif", "", 9.5)
        chunk = rows[p * per_page : (p + 1) * per_page]
        start = p * per_page
        for i, (_st, name, place, level, total) in enumerate(chunk):
            base = y + 4.1
            stt = str(start + i + 1)
            pdf.text(20 + 11 - pdf.get_string_width(stt), base, stt)
            pdf.text(33, base, _fit(pdf, name, name_w))
            pdf.text(111, base, _fit(pdf, (place or "").split(",")[0], place_w))
            pdf.text(166, base, LEVEL_LABEL.get(level, level))
            if total is not None:
                pts = f"{total:g}".replace(".", ",")
                pdf.text(194 - pdf.get_string_width(pts), base, pts)
            y += ROW_H
            pdf.line(20, y, RIGHT, y)
        for _h, x, _w, _a in headers:
            pdf.line(x, y_head, x, y)
        pdf.line(RIGHT, y_head, RIGHT, y)
        pdf.set_font("serif", "I", 8.5)
        footer = f"Quyết định số {d.number_label} — trang {p + 1}/{total_pages} của danh sách"
        pdf.text(105 - pdf.get_string_width(footer) / 2, 290, footer)
        pdf.set_font("serif", "", 9.5)


@translation.override("vi")  # a legal document: Vietnamese whatever the reader's page language
def decision_pdf(decision: Decision) -> bytes:
    """The decision with its attached list, as PDF bytes."""
    rows = _list_rows(decision)
    subject_type = rows[0][0] if rows else SubjectType.PERSON
    pdf = _new_pdf()
    pdf.set_title(f"Quyết định {decision.number_label}")
    pdf.set_author(decision.issuer_name)
    pdf.set_creator("XHHT")
    _first_page(pdf, decision, len(rows), subject_type)
    _list_pages(pdf, decision, rows, subject_type)
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------- certificates


def verify_url(certificate: Certificate, request=None) -> str:
    from django.urls import reverse

    path = reverse("verify", args=[certificate.token])
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "XHHT_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000")


@translation.override("vi")
def certificate_pdf(certificate: Certificate, request=None) -> bytes:
    from weasyprint import HTML

    rec = certificate.recognition
    d = rec.decision
    url = verify_url(certificate, request)
    html = render_to_string(
        "recognition/certificate_pdf.html",
        {
            "cert": certificate,
            "rec": rec,
            "decision": d,
            "title_label": Title(rec.title).label,
            "qr": qr_svg(url),
            "verify_url": url,
            "quoc_hieu": QUOC_HIEU,
            "tieu_ngu": TIEU_NGU,
            "date_text": f"{d.place}, {vi_date(d.date)}" if d else "",
            "font_dir": FONT_DIR.as_uri(),
            "level_label": LEVEL_LABEL.get(rec.level, rec.level),
        },
    )
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
