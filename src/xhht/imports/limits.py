"""What one import file may cost, checked BEFORE it is parsed (issue 12, "bounded imports").

Each check reads the file in bounded chunks, so refusing a hostile file takes seconds and a few MiB
whatever its size:

* every file: its size (``XHHT_IMPORT_MAX_FILE_BYTES``);
* CSV: the length of each physical line (``XHHT_IMPORT_MAX_LINE_BYTES``; a longer line is refused
  without being read whole), the number of lines (``XHHT_IMPORT_MAX_ROWS``) and the number of columns
  of the header line (``XHHT_IMPORT_MAX_COLUMNS``);
* XLSX (a zip of XML parts): the number of members (``XHHT_IMPORT_MAX_XLSX_MEMBERS``), their declared
  uncompressed total (``XHHT_IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES``) and each large member's compression
  ratio (``XHHT_IMPORT_MAX_XLSX_RATIO``, 100:1 as Apache POI's ZipSecureFile) are read from the
  central directory (``zipfile.infolist``) before anything is inflated; then every member is
  inflated here in chunks, never past its declared size (a lying header is caught, not believed),
  and the worksheets' cell references are scanned: the highest row (``XHHT_IMPORT_MAX_ROWS``), the
  highest column (``XHHT_IMPORT_MAX_COLUMNS``) and the rectangle calamine will allocate
  (``XHHT_IMPORT_MAX_XLSX_CELLS``: calamine builds a dense rows × columns range, 32 bytes a cell, so
  a 1 KB file with cells in A1 and XFD1048576 asks for 512 GiB and aborts the process).

Every limit is a Django setting (``getattr(settings, "XHHT_IMPORT_MAX_…")``), else the environment
variable of the same name, else the default below. Refusals raise :class:`ImportLimitError` with a
Vietnamese message naming the limit and what was found.
"""

from __future__ import annotations

import codecs
import csv
import functools
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .readers import ImportFileError, _sniff_delimiter

DEFAULTS: dict[str, int] = {
    # the upload form's limit too
    "XHHT_IMPORT_MAX_FILE_BYTES": 200 * 1024 * 1024,
    # data rows of one file (Excel's own sheet holds 1,048,576 rows)
    "XHHT_IMPORT_MAX_ROWS": 1_048_576,
    # columns of the header (the templates have at most 20)
    "XHHT_IMPORT_MAX_COLUMNS": 256,
    # one physical line of a CSV (the csv module's own field limit)
    "XHHT_IMPORT_MAX_LINE_BYTES": 128 * 1024,
    "XHHT_IMPORT_MAX_XLSX_MEMBERS": 1000,
    "XHHT_IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES": 512 * 1024 * 1024,
    "XHHT_IMPORT_MAX_XLSX_RATIO": 100,
    # rows × columns of the sheet's rectangle (calamine: 32 bytes each, so 10 M cells ≈ 320 MiB)
    "XHHT_IMPORT_MAX_XLSX_CELLS": 10_000_000,
    # a queued job whose task cannot be seen (no result kept) is given up after this long
    "XHHT_IMPORT_QUEUED_STALE_SECONDS": 3600,
}

CHUNK = 1 << 20
RATIO_FLOOR = 1 << 20  # members smaller than this are not held to the ratio
MAX_TAG = 16 << 20  # a worksheet has a tag at least this often


def limit(name: str) -> int:
    """The value of limit ``name``: Django setting, else environment variable, else default."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or DEFAULTS[name]
    return int(value)


class ImportLimitError(ImportFileError):
    """The file exceeds one of the limits above. The message is for the user (Vietnamese)."""

    def __init__(self, message: str, *, limit_name: str = "", found: int | None = None):
        super().__init__(message)
        self.limit_name = limit_name
        self.found = found


@dataclass
class FileFacts:
    """What the checks learnt, for progress bars: data rows (approximate for CSV) and columns."""

    rows: int = 0
    columns: int = 0


def _n(value: int | float) -> str:
    return number_format(value, force_grouping=True)


def _mib(value: int) -> str:
    return number_format(round(value / (1024 * 1024), 1), decimal_pos=1, force_grouping=True)


def check_file(path: str | Path, name: str | None = None) -> FileFacts:
    """Check ``path`` (CSV or XLSX, chosen by ``name`` as the readers choose) against the limits.
    Raises ImportLimitError; other formats are left to the readers' own messages."""
    path = Path(path)
    size = path.stat().st_size
    max_bytes = limit("XHHT_IMPORT_MAX_FILE_BYTES")
    if size > max_bytes:
        raise ImportLimitError(
            _("Tệp nặng %(found)s MB, vượt giới hạn %(limit)s MB cho một lần nhập. Hãy chia thành nhiều tệp.")
            % {"found": _mib(size), "limit": _mib(max_bytes)},
            limit_name="XHHT_IMPORT_MAX_FILE_BYTES",
            found=size,
        )
    suffix = Path(name or str(path)).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return check_xlsx(path)
    if suffix in (".csv", ".txt", ""):
        return check_csv(path)
    return FileFacts()


# ---- CSV -------------------------------------------------------------------------------------------


def _too_many_rows(found: int, max_rows: int, *, at_least: bool) -> ImportLimitError:
    msg = (
        _(
            "Tệp có ít nhất %(found)s dòng dữ liệu, vượt giới hạn %(limit)s dòng cho một tệp. "
            "Hãy chia thành nhiều tệp."
        )
        if at_least
        else _(
            "Tệp có %(found)s dòng dữ liệu, vượt giới hạn %(limit)s dòng cho một tệp. Hãy chia thành nhiều tệp."
        )
    )
    return ImportLimitError(
        msg % {"found": _n(found), "limit": _n(max_rows)}, limit_name="XHHT_IMPORT_MAX_ROWS", found=found
    )


def _too_many_columns(found: int, max_cols: int, *, where: str = "") -> ImportLimitError:
    if where:
        msg = _("Trang tính có %(found)s cột (đến cột %(where)s), vượt giới hạn %(limit)s cột.")
    else:
        msg = _("Dòng tiêu đề có %(found)s cột, vượt giới hạn %(limit)s cột.")
    return ImportLimitError(
        msg % {"found": _n(found), "limit": _n(max_cols), "where": where},
        limit_name="XHHT_IMPORT_MAX_COLUMNS",
        found=found,
    )


def check_csv(path: Path) -> FileFacts:
    """Line lengths and the number of lines in 1 MiB chunks, then the header's columns."""
    size = path.stat().st_size
    max_line = limit("XHHT_IMPORT_MAX_LINE_BYTES")
    max_rows = limit("XHHT_IMPORT_MAX_ROWS")
    max_cols = limit("XHHT_IMPORT_MAX_COLUMNS")
    lines = 0  # line breaks seen
    current = 0  # bytes of the line being read
    first_part = b""  # the beginning of line 1 (for the columns message when it is too long)
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            if lines == 0 and len(first_part) <= max_line:
                first_part += chunk[: max_line + 1 - len(first_part)]
            breaks = chunk.count(b"\n")
            if not breaks:
                current += len(chunk)
                if current > max_line:
                    raise _line_too_long(
                        lines + 1, current, max_line, first_part if lines == 0 else b"", max_cols
                    )
                continue
            parts = chunk.split(b"\n")
            if current + len(parts[0]) > max_line:
                raise _line_too_long(
                    lines + 1, current + len(parts[0]), max_line, first_part if lines == 0 else b"", max_cols
                )
            if breaks > 1 and max(map(len, parts[1:-1])) > max_line:
                k = next(i for i, p in enumerate(parts[1:-1]) if len(p) > max_line)
                raise _line_too_long(lines + 2 + k, len(parts[1 + k]), max_line, b"", max_cols)
            lines += breaks
            current = len(parts[-1])
            if lines - 1 > max_rows and f.tell() < size:
                raise _too_many_rows(lines - 1, max_rows, at_least=True)  # no need to count the rest
        total_lines = lines + (1 if current else 0)
        # the header is the first line that is not blank (as the readers take it)
        f.seek(0)
        header = b""
        for raw in iter(lambda: f.readline(max_line + 2), b""):
            if raw.strip():
                header = raw
                break
    data_rows = max(0, total_lines - 1)
    if data_rows > max_rows:
        raise _too_many_rows(data_rows, max_rows, at_least=False)
    columns = _csv_columns(header)
    if columns > max_cols:
        raise _too_many_columns(columns, max_cols)
    return FileFacts(rows=data_rows, columns=columns)


def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3:  # a character cut at the end of a truncated line
            return raw[: exc.start].decode("utf-8")
        return raw.decode("cp1258", "replace")


def _csv_columns(header: bytes) -> int:
    text = _decode(header).rstrip("\r\n")
    if not text.strip():
        return 0
    delimiter = _sniff_delimiter(text)
    try:
        return len(next(csv.reader([text], delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return text.count(delimiter) + 1


def _line_too_long(
    line_no: int, found: int, max_line: int, first_part: bytes, max_cols: int
) -> ImportLimitError:
    values = {"line": _n(line_no), "found": _n(found), "limit": _n(max_line)}
    if first_part:
        # line 1 is the header: say too if what was read of it already has too many columns
        text = _decode(first_part[:max_line])
        columns = text.count(_sniff_delimiter(text)) + 1
        if columns > max_cols:
            return ImportLimitError(
                _(
                    "Dòng tiêu đề dài ít nhất %(found)s byte, vượt giới hạn %(limit)s byte cho một dòng, và có "
                    "hơn %(columns)s cột, vượt giới hạn %(max_cols)s cột."
                )
                % {**values, "columns": _n(columns - 1), "max_cols": _n(max_cols)},
                limit_name="XHHT_IMPORT_MAX_COLUMNS",
                found=columns - 1,
            )
    return ImportLimitError(
        _(
            "Dòng %(line)s của tệp dài ít nhất %(found)s byte, vượt giới hạn %(limit)s byte cho một dòng "
            "(tệp CSV đúng dạng có mỗi người trên một dòng)."
        )
        % values,
        limit_name="XHHT_IMPORT_MAX_LINE_BYTES",
        found=found,
    )


# ---- XLSX ------------------------------------------------------------------------------------------


def _bomb(msg: str, limit_name: str, found: int) -> ImportLimitError:
    return ImportLimitError(msg, limit_name=limit_name, found=found)


def _too_many_members(found: int, max_members: int) -> ImportLimitError:
    return _bomb(
        _(
            "Tệp Excel có %(found)s thành phần, vượt giới hạn %(limit)s: đây không phải một bảng tính thông thường."
        )
        % {"found": _n(found), "limit": _n(max_members)},
        "XHHT_IMPORT_MAX_XLSX_MEMBERS",
        found,
    )


def _zip_entries(path: Path) -> int | None:
    """The number of members the zip's end record declares, read before ``zipfile`` builds one
    object per member (a zip of millions of empty members would take GBs to list)."""
    try:
        with open(path, "rb") as f:
            end = zipfile._EndRecData(f)  # the stdlib's own reader of the end record (and its zip64 form)
    except (OSError, ValueError, struct.error, AttributeError):
        return None
    return None if not end else int(end[zipfile._ECD_ENTRIES_TOTAL])


def check_xlsx(path: Path) -> FileFacts:
    max_members = limit("XHHT_IMPORT_MAX_XLSX_MEMBERS")
    max_total = limit("XHHT_IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES")
    max_ratio = limit("XHHT_IMPORT_MAX_XLSX_RATIO")
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":
            return FileFacts()  # not a zip: the reader says so in its own words
    entries = _zip_entries(path)
    if entries is not None and entries > max_members:
        raise _too_many_members(entries, max_members)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(_("Tệp Excel bị hỏng, không đọc được: %(e)s") % {"e": str(exc)[:200]})
    with zf:
        infos = zf.infolist()
    # 1. the central directory alone: members, declared sizes, ratios, methods
    if len(infos) > max_members:
        raise _too_many_members(len(infos), max_members)
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise _bomb(
            _(
                "Tệp Excel khi giải nén nặng %(found)s MB, vượt giới hạn %(limit)s MB (có thể là “bom nén”). "
                "Hãy chia nhỏ tệp hoặc lưu dưới dạng CSV UTF-8."
            )
            % {"found": _mib(total), "limit": _mib(max_total)},
            "XHHT_IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES",
            total,
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportFileError(_("Tệp Excel được mã hoá: hãy bỏ mật khẩu rồi lưu lại."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportFileError(
                _("Tệp Excel dùng cách nén không được hỗ trợ (%(m)s): hãy mở bằng Excel và lưu lại.")
                % {"m": info.compress_type}
            )
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > max_ratio:
                raise _bomb(
                    _(
                        "Thành phần %(member)s của tệp Excel nén với tỉ lệ %(found)s:1, vượt giới hạn %(limit)s:1 "
                        "(dấu hiệu của “bom nén”)."
                    )
                    % {"member": info.filename[:80], "found": _n(int(ratio)), "limit": _n(max_ratio)},
                    "XHHT_IMPORT_MAX_XLSX_RATIO",
                    int(ratio),
                )
    # 2. inflate every member in chunks (never past its declared size) and scan it for cells
    scan = _SheetScan()
    with open(path, "rb") as f:
        for info in infos:
            scan.start_member()
            for block in _inflate(f, info):
                scan.feed(block)
            scan.end_member()
    return FileFacts(rows=max(0, scan.max_row - 1), columns=scan.max_col)


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _corrupt(name: str) -> ImportFileError:
    return ImportFileError(
        _("Tệp Excel bị hỏng hoặc bị sửa đổi (thành phần %(m)s không khớp với mục lục của tệp nén).")
        % {"m": name[:80]}
    )


def _inflate(f, info: zipfile.ZipInfo):
    """Yield ``info``'s uncompressed bytes in chunks; refuse if they differ from the declared size."""
    f.seek(info.header_offset)
    header = f.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _corrupt(info.filename)
    fields = _LOCAL_HEADER.unpack(header)
    f.seek(fields[10] + fields[11], os.SEEK_CUR)  # file name and extra field
    left = info.compress_size
    produced = 0
    d = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        raw = f.read(min(CHUNK, left))
        if not raw:
            raise _corrupt(info.filename)
        left -= len(raw)
        if d is None:
            produced += len(raw)
            if produced > info.file_size:
                raise _corrupt(info.filename)
            yield raw
            continue
        data = raw
        while data and not d.eof:
            # at most 4 MiB at a time, and never more than what is still declared (+1 byte to notice a lie)
            out = d.decompress(data, min(4 * CHUNK, info.file_size - produced + 1))
            produced += len(out)
            if produced > info.file_size:
                raise _corrupt(info.filename)
            if out:
                yield out
            data = d.unconsumed_tail
    if (d is not None and not d.eof) or produced != info.file_size:
        raise _corrupt(info.filename)


# Cells of a worksheet, as calamine places them: by the cell's LAST ``r`` attribute, read raw
# ([A-Za-z]+[0-9]+; anything else is an error), with any prefix on the element, any spacing around "=",
# either quote; a cell without ``r`` goes one column right of the previous cell, a row without ``r`` one
# row down. calamine also skips whatever precedes the root element, so a worksheet need not look like
# XML, nor sit at its usual path: every member is scanned, whatever its name or content.
#
# Bounds, per chunk, never an under-estimate: every ``r=`` value shaped like a reference anywhere (a
# repeated r, or text that looks like one, only makes the bound larger) gives the highest row and
# column; cells and rows without ``r`` are counted and added. The searches run in Rust (polars' regex
# engine): the highest values come from the chunk's last 64 KiB (where a sheet written in order holds
# them), and one search each for a row or a column above them; only a hit (rows out of order, a
# repeated r) makes the whole chunk be read reference by reference.
_WS = "[ \t\r\n]*"
# names as quick-xml reads them: anything up to a space, "=", "/", ">" or a quote (non-ASCII too)
_PREFIX = "[^ \t\r\n=/>\"'<:]+:"
_NOT_R = "(?:[^ \t\r\n=/>\"'<]{2,}|[^ \t\r\n=/>\"'<r])"  # an attribute name other than r
_ATTR_NOT_R = f"{_NOT_R}{_WS}={_WS}(?:\"[^\"]*\"|'[^']*')"
# quick-xml takes attributes even without a space between them (s="1"t="n")
_ATTRS_WITHOUT_R = f"(?:[ \t\r\n]+{_ATTR_NOT_R}(?:{_WS}{_ATTR_NOT_R})*)?{_WS}/?>"
# (element, its prefixed form, what a chunk must hold for the prefixed search to be worth running)
_WITHOUT_R = {
    "cell": (f"<c{_ATTRS_WITHOUT_R}", f"<{_PREFIX}c{_ATTRS_WITHOUT_R}", b":c"),
    "row": (f"<row{_ATTRS_WITHOUT_R}", f"<{_PREFIX}row{_ATTRS_WITHOUT_R}", b":row"),
}
_REF = f"r{_WS}={_WS}[\"']([A-Za-z]*)0*([0-9]+)[\"']"  # a cell's (letters) or a row's (none) r
_REF_RX = re.compile(_REF.encode())
WINDOW = 64 * 1024


def col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _greater(s: str, first: str, last: str, rest: str) -> str:
    """A regex matching the strings of ``first``…``last`` characters that sort after ``s`` in
    length-then-lexicographic order (numbers without leading zeros; column letters)."""
    n = len(s)
    alts = [f"[{first}-{last}]{rest}{{{n},}}"]
    for i, ch in enumerate(s):
        if ch < last:
            nxt = chr(ord(ch) + 1)
            alts.append(s[:i] + f"[{nxt}-{last}]{rest}{{{n - i - 1}}}")
    return "|".join(alts)


@functools.lru_cache(maxsize=256)
def _row_above(row: int) -> str:
    gt = _greater(str(row), "1", "9", "[0-9]")
    return f"r{_WS}={_WS}[\"'][A-Za-z]*0*(?:{gt})[\"']"


@functools.lru_cache(maxsize=1024)
def _col_above(col: int) -> str:
    gt = _greater(col_letters(col), "A", "Z", "[A-Za-z]") if col else "[A-Za-z]+"
    return f"(?i)r{_WS}={_WS}[\"'](?:{gt})0*[0-9]"


def _text(buf: bytes):
    """``buf`` as a one-string polars Series for the Rust regex engine. Every pattern here is ASCII,
    and in UTF-8 no byte of a multi-byte character is ASCII, so a chunk that is not UTF-8 is read as
    Latin-1 with the same matches."""
    import polars as pl

    try:
        return pl.Series([buf], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return pl.Series([buf.decode("latin-1")])


class _SheetScan:
    """Bounds on the rows and columns calamine will allocate, over every member, with early refusal."""

    def __init__(self):
        self.max_rows = limit("XHHT_IMPORT_MAX_ROWS")
        self.max_cols = limit("XHHT_IMPORT_MAX_COLUMNS")
        self.max_cells = limit("XHHT_IMPORT_MAX_XLSX_CELLS")
        self.cell_row = 0  # the highest row of a cell reference
        self.tag_row = 0  # the highest r of a row (where cells without r go)
        self.ref_col = 0  # the highest column of any reference
        self.cells_without_r = 0
        self.rows_without_r = 0
        self.tail = b""

    @property
    def max_row(self) -> int:
        if not self.cells_without_r:
            return self.cell_row  # rows place only the cells without r
        return max(self.cell_row, self.tag_row + self.rows_without_r)

    @property
    def max_col(self) -> int:
        return self.ref_col + self.cells_without_r

    def start_member(self) -> None:
        self.tail = b""

    def end_member(self) -> None:
        if self.tail:
            self._scan(self.tail)
        self.tail = b""

    def feed(self, block: bytes) -> None:
        buf = self.tail + block if self.tail else block
        # keep the last tag for the next chunk; with no tag start near the end, cut after a '>' (no
        # reference contains one)
        cut = buf.rfind(b"<")
        if cut < 0 or len(buf) - cut > MAX_TAG:
            cut = buf.rfind(b">") + 1
            if len(buf) - cut > MAX_TAG:
                raise ImportFileError(
                    _("Tệp Excel bị hỏng: có một đoạn dài hơn %(n)s MB không có thẻ XML nào.")
                    % {"n": _n(MAX_TAG // (1024 * 1024))}
                )
        self.tail = buf[cut:]
        if cut:
            self._scan(buf[:cut])

    def _scan(self, buf: bytes) -> None:
        text = _text(buf).str
        self.cells_without_r += self._count_without_r(buf, text, "cell")
        self.rows_without_r += self._count_without_r(buf, text, "row")
        self._take(_REF_RX.findall(buf, max(0, len(buf) - WINDOW)))
        if (
            text.contains(_row_above(max(self.cell_row, self.tag_row))).item()
            or text.contains(_col_above(self.ref_col)).item()
        ):
            self._take(_REF_RX.findall(buf))  # out of order, or a repeated r: every reference
        self._check()

    @staticmethod
    def _count_without_r(buf: bytes, text, element: str) -> int:
        plain, prefixed, marker = _WITHOUT_R[element]
        n = text.count_matches(plain).item() or 0
        if marker in buf:
            n += text.count_matches(prefixed).item() or 0
        return n

    def _take(self, refs: list[tuple[bytes, bytes]]) -> None:
        cells = [(int(r), c) for c, r in refs if c]
        if cells:
            top = max(r for r, _c in cells)
            if top > self.cell_row:
                self.cell_row = top
            self.ref_col = max(self.ref_col, max(col_number(c) for c in {c.upper() for _r, c in cells}))
        rows = [int(r) for c, r in refs if not c]
        if rows:
            self.tag_row = max(self.tag_row, max(rows))

    def _check(self) -> None:
        if self.max_col > self.max_cols:
            raise _too_many_columns(self.max_col, self.max_cols, where=col_letters(self.max_col))
        if self.max_row - 1 > self.max_rows:
            raise ImportLimitError(
                _(
                    "Trang tính có dữ liệu đến dòng %(found)s, vượt giới hạn %(limit)s dòng dữ liệu cho một "
                    "tệp. Hãy chia thành nhiều tệp (hoặc xoá các ô thừa nằm xa bảng)."
                )
                % {"found": _n(self.max_row), "limit": _n(self.max_rows)},
                limit_name="XHHT_IMPORT_MAX_ROWS",
                found=self.max_row,
            )
        cells = self.max_row * self.max_col
        if cells > self.max_cells:
            raise ImportLimitError(
                _(
                    "Vùng dữ liệu của trang tính rộng %(rows)s dòng × %(cols)s cột = %(found)s ô, vượt giới hạn "
                    "%(limit)s ô. Hãy xoá các ô thừa nằm xa bảng, chia nhỏ tệp hoặc lưu dưới dạng CSV UTF-8."
                )
                % {
                    "rows": _n(self.max_row),
                    "cols": _n(self.max_col),
                    "found": _n(cells),
                    "limit": _n(self.max_cells),
                },
                limit_name="XHHT_IMPORT_MAX_XLSX_CELLS",
                found=cells,
            )
