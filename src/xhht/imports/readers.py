"""Reading CSV and XLSX files into a header row and row chunks, without holding the whole file in memory.

CSV: UTF-8 (with or without BOM), else Windows-1258 (Vietnamese Windows); the delimiter is sniffed
from the header line (``;`` as Excel writes with a Vietnamese locale, ``,`` or tab).
XLSX: python-calamine (Rust), first sheet; cells keep their types (numbers, dates), so a CCCD that
Excel stored as a number is recognised and its lost leading zero restored by the normaliser.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be read (not the rows in it). The message is for the user."""


@dataclass
class Table:
    headers: list[str]
    header_row: int  # 1-based row number of the header line in the file / sheet
    chunks: Iterator[list[list]] = field(repr=False)  # data rows, in chunks, padded to len(headers)
    total_hint: int | None = None  # approximate number of data rows (for progress bars)
    encoding: str = ""


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _detect_encoding(path: Path) -> str:
    """'utf-8-sig' if the whole file is valid UTF-8 (checked in blocks, cheap), else 'cp1258'."""
    dec = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        try:
            for block in iter(lambda: f.read(1 << 22), b""):
                dec.decode(block)
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258"
    return "utf-8-sig"


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _pad(rows: list[list], width: int) -> list[list]:
    for r in rows:
        if len(r) != width:
            if len(r) < width:
                r.extend([""] * (width - len(r)))
            else:
                del r[width:]
    return rows


def _is_blank(row) -> bool:
    for v in row:
        if v is not None and v != "" and not (isinstance(v, str) and not v.strip()):
            return False
    return True


def read_csv(path: str | Path, chunk_size: int = 50_000) -> Table:
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    with open(path, "rb") as f:
        head = f.read(4096)
    if b"\x00" in head:
        raise ImportFileError(
            _(
                "Tệp không phải là tệp văn bản CSV (có ký tự nhị phân). Hãy lưu lại dưới dạng CSV UTF-8 hoặc XLSX."
            )
        )
    encoding = _detect_encoding(path)
    fh = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by the generator
    first = fh.readline()
    while first and not first.strip():
        first = fh.readline()
    if not first.strip():
        fh.close()
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    delimiter = _sniff_delimiter(first)
    headers = next(csv.reader([first], delimiter=delimiter))
    width = len(headers)
    reader = csv.reader(fh, delimiter=delimiter)
    # ~ bytes per row from the header line length; good enough for a progress bar
    hint = max(1, int(size / max(len(first.encode(encoding, "ignore")) * 1.8, 40)))

    def chunks():
        try:
            buf: list[list] = []
            for row in reader:
                buf.append(row)
                if len(buf) >= chunk_size:
                    yield _pad(buf, width)
                    buf = []
            if buf:
                yield _pad(buf, width)
        except csv.Error as exc:
            raise ImportFileError(_("Tệp CSV bị lỗi ở dòng %(n)d: %(e)s") % {"n": reader.line_num, "e": exc})
        finally:
            fh.close()

    return Table(headers=headers, header_row=1, chunks=chunks(), total_hint=hint, encoding=encoding)


def read_xlsx(path: str | Path, chunk_size: int = 50_000) -> Table:
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if path.stat().st_size == 0:
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic != b"PK\x03\x04":
        raise ImportFileError(
            _(
                "Tệp không phải là tệp Excel .xlsx hợp lệ (có thể là tệp khác bị đổi đuôi). "
                "Hãy mở bằng Excel và lưu lại dưới dạng .xlsx hoặc CSV UTF-8."
            )
        )
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise ImportFileError(_("Không đọc được tệp Excel: %(e)s") % {"e": str(exc)[:200]})
    start = 0
    while start < len(rows) and _is_blank(rows[start]):
        start += 1
    if start >= len(rows):
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    headers = ["" if v is None else str(v) for v in rows[start]]
    while headers and not headers[-1].strip():
        headers.pop()
    width = len(headers)
    data = rows[start + 1 :]
    while data and _is_blank(data[-1]):
        data.pop()

    def chunks():
        for i in range(0, len(data), chunk_size):
            yield _pad([list(r) for r in data[i : i + chunk_size]], width)

    return Table(
        headers=headers, header_row=start + 1, chunks=chunks(), total_hint=len(data), encoding="xlsx"
    )


def read_table(path: str | Path, name: str | None = None, chunk_size: int = 50_000) -> Table:
    """Open ``path`` as CSV or XLSX according to its name (``name`` is the uploaded file's name)."""
    suffix = Path(name or str(path)).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, chunk_size)
    if suffix in (".csv", ".txt", ""):
        return read_csv(path, chunk_size)
    if suffix == ".xls":
        raise ImportFileError(
            _("Định dạng .xls (Excel 97–2003) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx.")
        )
    raise ImportFileError(_("Chỉ nhận tệp .csv hoặc .xlsx, không nhận '%(s)s'.") % {"s": suffix})


def rows_from_bytes(data: bytes) -> io.BytesIO:  # pragma: no cover - helper for callers holding bytes
    return io.BytesIO(data)


# ---- the whole file as one column table (the people importer) ------------------------------------


@dataclass
class Frame:
    """The file as a polars DataFrame of text columns ``c0``…``cN`` (no nulls) plus ``_row``, the
    row number in the file (as Excel and the report count rows), for importers that work column-wise
    over the whole file at once."""

    headers: list[str]
    header_row: int
    df: object  # polars.DataFrame
    encoding: str = ""


def _cell_text(v) -> str:
    """One XLSX cell as text the column normalisers read back to the same value: integral floats
    lose '.0' (a CCCD or phone Excel stored as a number keeps its digits), dates become ISO."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return _("Có") if v else _("Không")
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, int):
        return str(v)
    if hasattr(v, "isoformat"):
        s = v.isoformat()
        return s[:10] if len(s) >= 10 and s[4:5] == "-" else s
    return str(v)


def _frame_of(rows: list[list], header_index: int, width: int, encoding: str) -> Frame:
    import polars as pl

    headers = ["" if v is None else str(v) for v in rows[header_index]][:width]
    data = rows[header_index + 1 :]
    cols = {
        f"c{k}": pl.Series(f"c{k}", [_cell_text(r[k]) if k < len(r) else "" for r in data], dtype=pl.String)
        for k in range(width)
    }
    df = pl.DataFrame(cols) if cols else pl.DataFrame()
    df = df.with_columns(
        pl.int_range(header_index + 2, header_index + 2 + len(data), eager=False).alias("_row")
    )
    return Frame(headers=headers, header_row=header_index + 1, df=df, encoding=encoding)


def read_frame(path: str | Path, name: str | None = None) -> Frame:
    """Read ``path`` (CSV or XLSX, chosen by ``name``) whole into a :class:`Frame`.

    CSV is parsed by polars (Rust, about half a second for a million rows); rows, blank lines and
    quoted line breaks count as Python's csv module counts them. Raises ImportFileError."""
    import polars as pl

    suffix = Path(name or str(path)).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = read_xlsx(path, chunk_size=1 << 62)
        rows = [table.headers, *(r for chunk in table.chunks for r in chunk)]
        fr = _frame_of(rows, 0, len(table.headers), "xlsx")
        fr.header_row = table.header_row
        fr.df = fr.df.with_columns((pl.col("_row") + (table.header_row - 1)).alias("_row"))
        return fr
    if suffix not in (".csv", ".txt", ""):
        read_table(path, name)  # raises the same message as the row reader
    path = Path(path)
    if path.stat().st_size == 0:
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Tệp không phải là tệp văn bản CSV (có ký tự nhị phân). Hãy lưu lại dưới dạng CSV UTF-8 hoặc XLSX."
            )
        )
    encoding = "utf-8-sig"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "cp1258"
        text = data.decode("cp1258")
        data = text.encode("utf-8")
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
    del text
    # the header is the first line that is not blank
    start = 0
    lines_before = 0
    while True:
        end = data.find(b"\n", start)
        line = data[start : end if end >= 0 else len(data)]
        if line.strip():
            break
        if end < 0:
            raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
        start = end + 1
        lines_before += 1
    delimiter = _sniff_delimiter(line.decode("utf-8", "replace"))
    try:
        df = pl.read_csv(
            io.BytesIO(data[start:] if start else data),
            separator=delimiter,
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
            raise_if_empty=False,
        )
    except Exception as exc:  # polars raises its own ComputeError for malformed CSV
        raise ImportFileError(_("Tệp CSV bị lỗi: %(e)s") % {"e": str(exc).splitlines()[0][:200]})
    if df.height == 0:
        raise ImportFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    header_vals = list(df.row(0))
    while header_vals and (header_vals[-1] is None or not str(header_vals[-1]).strip()):
        header_vals.pop()
    width = len(header_vals)
    headers = ["" if v is None else str(v) for v in header_vals]
    header_row = lines_before + 1
    body = df.slice(1)
    cols = body.columns
    body = body.select(
        [
            (pl.col(cols[k]).fill_null("") if k < len(cols) else pl.lit("", dtype=pl.String)).alias(f"c{k}")
            for k in range(width)
        ]
    ).with_columns(pl.int_range(header_row + 1, header_row + 1 + body.height).alias("_row"))
    return Frame(headers=headers, header_row=header_row, df=body, encoding=encoding)
