"""Column-wise normalisation of imported values.

Every function takes one column (a list of raw cell values: ``str`` from CSV; ``str``, ``int``,
``float``, ``bool``, ``date``/``datetime`` from XLSX) and returns the normalised list, filling
``errors`` and ``warnings`` with ``(index, message)`` pairs. Values repeat a lot in registry lists
(dates, names, villages, sexes), so most functions cache by raw value: a million rows cost a
million dictionary look-ups, not a million parses.

Messages are Vietnamese (gettext source strings) and name the value; the caller adds row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from xhht.core.text import fold, vi_sort_key
from xhht.registry.cccd import PROVINCE_CODES, normalize_cccd_with_warning, validate_cccd

_SPACES = re.compile(r"\s+")
# Excel writes long numbers as 3.8E+10 (or 3,8E+10 with a Vietnamese locale): the digits are gone.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)

Issues = list[tuple[int, str]]


def text(value) -> str:
    """NFC, trimmed, single spaces. Numbers from XLSX lose a useless '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not value:
            return ""
        s = value
    elif isinstance(value, bool):
        return _("Có") if value else _("Không")
    elif isinstance(value, float) and value.is_integer():
        s = str(int(value))
    else:
        s = str(value)
    if s.isascii():
        s2 = s.strip()
        if "  " in s2 or "\t" in s2 or "\n" in s2 or "\r" in s2:
            s2 = _SPACES.sub(" ", s2)
        return s2
    return _SPACES.sub(" ", unicodedata.normalize("NFC", s)).strip()


def header_key(value) -> str:
    """Compare headers without case, diacritics, punctuation or spaces: 'Thôn/Tổ dân phố' -> 'thontodanpho'."""
    return re.sub(r"[^a-z0-9]", "", fold(text(value)))


def texts(column: list, max_length: int, errors: Issues, label_too_long: str | None = None) -> list[str]:
    cache: dict = {}
    out = []
    append = out.append
    for i, raw in enumerate(column):
        v = cache.get(raw) if isinstance(raw, str) else None
        if v is None:
            v = text(raw)
            if isinstance(raw, str):
                cache[raw] = v
        if len(v) > max_length:
            errors.append((i, (label_too_long or _("Quá dài: tối đa %(n)d ký tự.")) % {"n": max_length}))
        append(v)
    return out


# ---- names -----------------------------------------------------------------------------------

_word_cache: dict[str, tuple[str, str]] = {}


def _word_keys(word: str) -> tuple[str, str]:
    """(folded, sort key) of one word."""
    got = _word_cache.get(word)
    if got is None:
        got = (fold(word), vi_sort_key(word))
        if len(_word_cache) < 200_000:
            _word_cache[word] = got
    return got


def name_keys(name: str) -> tuple[str, str]:
    """``(fold(name), vi_name_sort_key(name))`` for a normalised name, composed from cached words.

    The sort key of a phrase is its words' keys joined by '!' (``vi_sort_key``), given name first
    (tests check this equals the model's own keys).
    """
    if not name:
        return "", ""
    words = name.split(" ")
    keys = [_word_keys(w) for w in words]
    folded = " ".join(k[0] for k in keys if k[0])
    order = [keys[-1], *keys[:-1]]
    return folded, "!".join(k[1] for k in order)


def names(column: list, errors: Issues, *, max_length: int = 150, required: bool = True):
    """Full names: normalised text, folded form, Vietnamese sort key (given name first)."""
    cache: dict = {}
    out_name, out_fold, out_sort = [], [], []
    for i, raw in enumerate(column):
        got = cache.get(raw)
        if got is None:
            v = text(raw)
            if v and len(v) <= max_length:
                f, s = name_keys(v)
                got = (v, f, s, None)
            elif not v:
                got = ("", "", "", _("Thiếu họ và tên.") if required else None)
            else:
                got = (v, "", "", _("Quá dài: tối đa %(n)d ký tự.") % {"n": max_length})
            if len(cache) < 500_000:
                cache[raw] = got
        if got[3]:
            errors.append((i, got[3]))
        out_name.append(got[0])
        out_fold.append(got[1])
        out_sort.append(got[2])
    return out_name, out_fold, out_sort


# ---- dates -----------------------------------------------------------------------------------


def _parse_date(raw, today: dt.date) -> tuple[dt.date | None, int | None, str | None]:
    """(date, year, error). A bare year gives (None, year, None)."""
    if raw is None or raw == "":
        return None, None, None
    if isinstance(raw, dt.datetime):
        d = raw.date()
    elif isinstance(raw, dt.date):
        d = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        n = float(raw)
        if not n.is_integer():
            n = float(int(n))
        n = int(n)
        if 1900 <= n <= today.year:
            return None, n, None
        if 1 <= n <= 80000:
            d = _EXCEL_EPOCH + dt.timedelta(days=n)
        else:
            return None, None, _("Ngày không hợp lệ: %(v)s.") % {"v": raw}
    else:
        s = text(raw)
        if not s:
            return None, None, None
        if s.isdigit():
            n = int(s)
            if len(s) == 4:
                if 1900 <= n <= today.year:
                    return None, n, None
                return None, None, _("Năm không hợp lệ: %(v)s.") % {"v": s}
            if 3 <= len(s) <= 5:
                d = _EXCEL_EPOCH + dt.timedelta(days=n)
                return _check_date(d, today, s)
            return None, None, _("Ngày không hợp lệ: %(v)s (hãy ghi dd/mm/yyyy hoặc năm).") % {"v": s}
        m = _DATE_DMY.match(s)
        if m:
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if len(m.group(3)) == 2:
                year += 2000 if 2000 + year <= today.year else 1900
        else:
            m = _DATE_ISO.match(s)
            if not m:
                return None, None, _("Ngày không hợp lệ: %(v)s (hãy ghi dd/mm/yyyy hoặc năm).") % {"v": s}
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return None, None, _("Ngày không tồn tại: %(v)s.") % {"v": s}
        return _check_date(d, today, s)
    return _check_date(d, today, raw)


def _check_date(d: dt.date, today: dt.date, raw) -> tuple[dt.date | None, int | None, str | None]:
    if d.year < 1900 or d > today:
        return (
            None,
            None,
            _("Ngày nằm ngoài khoảng cho phép (01/01/1900 đến hôm nay): %(v)s.")
            % {"v": d.strftime("%d/%m/%Y")},
        )
    return d, d.year, None


def dates(column: list, errors: Issues, *, today: dt.date | None = None, year_only_ok: bool = True):
    """Dates as (date list, year list). dd/mm/yyyy, d/m/yy, yyyy-mm-dd, Excel serials and bare years."""
    today = today or dt.date.today()
    cache: dict = {}
    out_d, out_y = [], []
    for i, raw in enumerate(column):
        try:
            got = cache[raw]
        except (KeyError, TypeError):
            got = _parse_date(raw, today)
            if not year_only_ok and got[0] is None and got[1] is not None:
                got = (None, None, _("Cần ghi đủ ngày, tháng, năm (dd/mm/yyyy): %(v)s.") % {"v": raw})
            try:
                cache[raw] = got
            except TypeError:
                pass
        if got[2]:
            errors.append((i, got[2]))
        out_d.append(got[0])
        out_y.append(got[1])
    return out_d, out_y


# ---- choices ---------------------------------------------------------------------------------

_SEX = {"nam": "M", "m": "M", "male": "M", "trai": "M", "nu": "F", "f": "F", "female": "F", "gai": "F"}


def sexes(column: list, errors: Issues) -> list[str]:
    cache: dict = {}
    out = []
    for i, raw in enumerate(column):
        got = cache.get(raw)
        if got is None:
            s = text(raw)
            if not s:
                got = ("", None)
            else:
                v = _SEX.get(fold(s))
                got = (
                    (v, None)
                    if v
                    else ("", _("Giới tính phải là 'Nam' hoặc 'Nữ', không phải '%(v)s'.") % {"v": s})
                )
            cache[raw] = got
        if got[1]:
            errors.append((i, got[1]))
        out.append(got[0])
    return out


def choice_map(choices, extra: dict[str, str] | None = None) -> dict[str, object]:
    """Folded label and code -> value, for a Django choices class, plus extra synonyms."""
    out: dict[str, object] = {}
    for value, label in choices.choices:
        out[fold(str(label))] = value
        out[fold(str(value))] = value
        out[fold(str(value)).replace("_", " ")] = value
    for k, v in (extra or {}).items():
        out[fold(k)] = v
    return out


def choices(column: list, mapping: dict, errors: Issues, *, allowed: str, default=None) -> list:
    cache: dict = {}
    out = []
    for i, raw in enumerate(column):
        got = cache.get(raw)
        if got is None:
            s = text(raw)
            if not s:
                got = (default, None)
            else:
                key = fold(s)
                if key in mapping:
                    got = (mapping[key], None)
                else:
                    got = (
                        default,
                        _("Giá trị '%(v)s' không hợp lệ; dùng một trong: %(allowed)s.")
                        % {"v": s, "allowed": allowed},
                    )
            cache[raw] = got
        if got[1]:
            errors.append((i, got[1]))
        out.append(got[0])
    return out


_TRUE = {"co", "x", "1", "yes", "true", "dat", "da co", "c"}
_FALSE = {"khong", "0", "no", "false", "chua", "chua co", "k", ""}


def booleans(column: list, errors: Issues) -> list[bool]:
    cache: dict = {}
    out = []
    for i, raw in enumerate(column):
        got = cache.get(raw)
        if got is None:
            if isinstance(raw, bool):
                got = (raw, None)
            else:
                k = fold(text(raw))
                if k in _TRUE:
                    got = (True, None)
                elif k in _FALSE:
                    got = (False, None)
                else:
                    got = (False, _("Ghi 'Có' hoặc 'Không', không phải '%(v)s'.") % {"v": text(raw)})
            cache[raw] = got
        if got[1]:
            errors.append((i, got[1]))
        out.append(got[0])
    return out


# ---- identifiers -----------------------------------------------------------------------------

# The province-of-registration codes and the CCCD rules live in the registry (Thông tư 59/2021/TT-BCA);
# the importer checks valid numbers inline (fast path) and asks the registry to explain invalid ones.
CCCD_PROVINCES = frozenset(PROVINCE_CODES)
_CENTURY = {
    0: (1900, "M"),
    1: (1900, "F"),
    2: (2000, "M"),
    3: (2000, "F"),
    4: (2100, "M"),
    5: (2100, "F"),
    6: (2200, "M"),
    7: (2200, "F"),
}


def _digits_of(raw, label: str) -> tuple[str, str | None, str | None]:
    """(digits, error, warning) of an identifier cell; detects Excel's scientific notation."""
    if raw is None or raw == "":
        return "", None, None
    if isinstance(raw, float):
        if not raw.is_integer():
            return "", _("%(label)s không phải là một dãy chữ số: %(v)s.") % {"label": label, "v": raw}, None
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        s = str(raw)
    else:
        s = str(raw).strip().lstrip("'").strip()
        if not s:
            return "", None, None
        if _SCIENTIFIC.match(s):
            return (
                "",
                _(
                    "%(label)s bị Excel đổi sang dạng số mũ (%(v)s), các chữ số đã mất: hãy định dạng cột là "
                    "Văn bản (Text), nhập lại số đầy đủ rồi lưu lại tệp."
                )
                % {"label": label, "v": s},
                None,
            )
        if s.endswith(".0") and s[:-2].isdigit():
            s = s[:-2]
        s = s.replace(" ", "").replace(".", "").replace("-", "")
    return s, None, None


def cccd_one(raw, year: int | None, sex: str) -> tuple[str | None, str | None, str | None]:
    """(CCCD or None, error, warning) of one cell: 12 digits, leading zeros restored (with a
    warning), scientific notation refused, province prefix and century/sex digit checked."""
    if raw == "" or raw is None:
        return None, None, None
    warning = None
    if isinstance(raw, str) and len(raw) == 12 and raw.isdigit():
        s = raw
    else:
        s, err, _w = _digits_of(raw, _("Số CCCD"))  # detects 3.8E+10 / 3,8E+10
        if err:
            return None, err, None
        if not s:
            return None, None, None
        s, warning = normalize_cccd_with_warning(s)
        if not (len(s) == 12 and s.isdigit()):
            return (
                None,
                " ".join(validate_cccd(s)) or _("Số CCCD không hợp lệ: %(v)s.") % {"v": text(raw)},
                None,
            )
    century = _CENTURY.get(ord(s[3]) - 48)
    if (
        s[:3] not in CCCD_PROVINCES
        or century is None
        or (year is not None and century[0] + int(s[4:6]) != year)
        or (sex and sex != century[1])
    ):
        msgs = validate_cccd(s, year, sex or None)
        if msgs:
            return None, " ".join(msgs), None
    return s, None, warning


def cccds(column: list, years: list, sexes_: list, errors: Issues, warnings: Issues) -> list[str | None]:
    """CCCD numbers of a column (see ``cccd_one``)."""
    out: list[str | None] = []
    append = out.append
    for i, raw in enumerate(column):
        if isinstance(raw, str) and len(raw) == 12 and raw.isdigit() and raw[:3] in CCCD_PROVINCES:
            century = _CENTURY.get(ord(raw[3]) - 48)
            y = years[i]
            if (
                century is not None
                and (y is None or century[0] + int(raw[4:6]) == y)
                and (not sexes_[i] or sexes_[i] == century[1])
            ):
                append(raw)
                continue
        value, err, warning = cccd_one(raw, years[i], sexes_[i])
        if err:
            errors.append((i, err))
        if warning:
            warnings.append((i, warning))
        append(value)
    return out


_PHONE_STRIP = str.maketrans("", "", " .-()/")


def phones(column: list, errors: Issues, warnings: Issues) -> list[str]:
    out: list[str] = []
    append = out.append
    label = _("Số điện thoại")
    for i, raw in enumerate(column):
        if raw == "" or raw is None:
            append("")
            continue
        if isinstance(raw, str) and len(raw) == 10 and raw[0] == "0" and raw.isdigit():
            append(raw)
            continue
        s, err, _w = _digits_of(raw, label)
        if err:
            errors.append((i, err))
            append("")
            continue
        s = s.translate(_PHONE_STRIP)
        if s.startswith("+84"):
            s = "0" + s[3:]
        elif s.startswith("84") and len(s) == 11:
            s = "0" + s[2:]
        if s.isdigit() and len(s) == 9 and s[0] != "0":
            warnings.append(
                (
                    i,
                    _("Số điện thoại %(v)s mất số 0 ở đầu: đã khôi phục thành %(f)s.")
                    % {"v": s, "f": "0" + s},
                )
            )
            s = "0" + s
        if not (s.isdigit() and s[0] == "0" and len(s) in (10, 11)):
            errors.append(
                (
                    i,
                    _("Số điện thoại không hợp lệ: %(v)s (cần 10 chữ số, bắt đầu bằng 0).")
                    % {"v": text(raw)},
                )
            )
            append("")
            continue
        append(s)
    return out


def keys(column: list, errors: Issues, *, max_length: int = 64) -> list[str]:
    """Codes (Mã hộ, Mã công dân): text without spaces at the ends; numbers from XLSX as integers."""
    out = []
    for i, raw in enumerate(column):
        if isinstance(raw, str) and raw.isascii() and " " not in raw and len(raw) <= max_length:
            out.append(raw)
            continue
        s = text(raw)
        if _SCIENTIFIC.match(s):
            errors.append(
                (
                    i,
                    _("Mã bị Excel đổi sang dạng số mũ (%(v)s): hãy định dạng cột là Văn bản (Text).")
                    % {"v": s},
                )
            )
            s = ""
        elif len(s) > max_length:
            errors.append((i, _("Quá dài: tối đa %(n)d ký tự.") % {"n": max_length}))
            s = ""
        out.append(s)
    return out
