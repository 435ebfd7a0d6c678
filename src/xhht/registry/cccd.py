"""Citizen identity card numbers (CCCD, số định danh cá nhân), Thông tư 59/2021/TT-BCA.

12 digits: ``PPP`` the province where the birth was registered (the 63 province codes in force
before 1/7/2025, zero-padded: 001 Hà Nội, 051 Quảng Ngãi, 062 Kon Tum…), ``G`` century and sex
(0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 19th), ``YY`` the last
two digits of the year of birth, then 6 random digits.

Used by the registry forms and services and by the importer; errors are Vietnamese sentences.
"""

from __future__ import annotations

import re

# The 63 legacy (pre-2025) province codes: the first three digits of every CCCD.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hoà Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hoá",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hoà",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# century/sex digit -> (first year of the century, sex code "M"/"F")
_CENTURY = {
    "0": (1900, "M"),
    "1": (1900, "F"),
    "2": (2000, "M"),
    "3": (2000, "F"),
    "4": (2100, "M"),
    "5": (2100, "F"),
    "6": (2200, "M"),
    "7": (2200, "F"),
    "8": (1800, "M"),
    "9": (1800, "F"),
}
_SEPARATORS = re.compile(r"[\s.\-_/]")
_SCI = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def normalize_cccd(raw) -> str:
    """Digits only, separators removed; a number that lost its leading zeros in Excel (10–11 digits) is
    padded back to 12. Returns "" for empty input. Invalid input is returned cleaned but unchanged,
    for ``validate_cccd`` to explain."""
    value, _warning = normalize_cccd_with_warning(raw)
    return value


def normalize_cccd_with_warning(raw) -> tuple[str, str | None]:
    """Like ``normalize_cccd``; the second value is a Vietnamese warning when zeros were restored."""
    if raw is None:
        return "", None
    if isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else str(raw)
    else:
        text = _SEPARATORS.sub("", str(raw)).strip()
        if text.endswith(".0") and text[:-2].isdigit():  # a number read back from a spreadsheet cell
            text = text[:-2]
    if not text:
        return "", None
    if text.isdigit() and 10 <= len(text) <= 11:
        padded = text.zfill(12)
        if padded[:3] in PROVINCE_CODES:
            return (
                padded,
                f"Số CCCD “{text}” bị mất số 0 ở đầu (thường do Excel); đã khôi phục thành {padded}.",
            )
    return text, None


def is_scientific_notation(raw) -> bool:
    """True for a CCCD that Excel turned into ``5.1203E+10``: the digits are lost, it must be re-entered."""
    return bool(raw) and bool(_SCI.match(str(raw).strip()))


def validate_cccd(cccd, birth_year: int | None = None, sex: str | None = None) -> list[str]:
    """Vietnamese error messages for ``cccd`` (already normalised); empty list when valid.

    ``birth_year`` and ``sex`` ("M"/"F", or "Nam"/"Nữ"), when known, must agree with the number."""
    errors: list[str] = []
    if cccd is None or cccd == "":
        return errors
    cccd = str(cccd)
    if is_scientific_notation(cccd):
        return [
            f"Số CCCD “{cccd}” đã bị Excel đổi sang dạng số mũ, các chữ số đã mất; hãy nhập lại dạng văn bản."
        ]
    if not cccd.isdigit() or not cccd.isascii():
        return [f"Số CCCD “{cccd}” chỉ được gồm chữ số."]
    if len(cccd) != 12:
        return [f"Số CCCD phải có đúng 12 chữ số (đang có {len(cccd)})."]
    province = cccd[:3]
    if province not in PROVINCE_CODES:
        errors.append(f"Mã tỉnh nơi đăng ký khai sinh “{province}” (3 chữ số đầu của số CCCD) không tồn tại.")
    century, cccd_sex = _CENTURY[cccd[3]]
    year = century + int(cccd[4:6])
    if birth_year:
        if int(birth_year) != year:
            errors.append(
                f"Số CCCD mã hoá năm sinh {year} (chữ số thứ 4–6 là “{cccd[3:6]}”), không khớp với năm sinh {birth_year}."
            )
    if sex:
        s = {"nam": "M", "nữ": "F", "nu": "F", "m": "M", "f": "F"}.get(str(sex).strip().lower(), str(sex))
        if s in ("M", "F") and s != cccd_sex:
            expected = "Nam" if cccd_sex == "M" else "Nữ"
            errors.append(
                f"Chữ số thứ 4 của số CCCD (“{cccd[3]}”) ứng với giới tính {expected}, không khớp với giới tính đã nhập."
            )
    return errors


def cccd_birth_year(cccd: str) -> int | None:
    if not cccd or len(cccd) != 12 or not cccd.isdigit():
        return None
    return _CENTURY[cccd[3]][0] + int(cccd[4:6])


def mask_cccd(cccd: str | None) -> str:
    """``051090******``: the first six digits (province of registration, century and sex, year of
    birth: all shown beside the record anyway) and none of the six random digits that identify the
    person. (Showing the last three beside the birth date and sex left only three hidden.)"""
    if not cccd:
        return ""
    if len(cccd) != 12:
        return "*" * len(cccd)
    return cccd[:6] + "*" * 6


def mask_phone(phone: str | None) -> str:
    """``091****678``."""
    if not phone:
        return ""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:]


def normalize_phone(raw) -> str:
    """Digits only, +84/84 prefix turned into 0: ``+84 912 345 678`` -> ``0912345678``."""
    if raw is None:
        return ""
    text = re.sub(r"[^\d+]", "", str(raw))
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    return text.replace("+", "")
