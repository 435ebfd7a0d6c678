"""Hostile import files, written streaming (a 1 GB zip bomb costs a second and a few MiB to make).
Used by tests/imports/test_hostile.py and bench/bench_hostile.py."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from tests.imports.conftest import HEADER, person_row

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Danh sach" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _col(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def xml_row(r: int, values: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    cells = "".join(
        f'<c r="{_col(i)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for i, v in enumerate(values, 1)
    )
    return f'<row r="{r}">{cells}</row>'.encode()


class Repeated:
    """A member made of ``head``, then ``block`` ``times`` times, then ``tail``: deflated once, the
    block's compressed form is written ``times`` times (a full flush makes each copy independent), so
    a member of any size costs one block's compression and a CRC pass."""

    def __init__(self, head: bytes, block: bytes, times: int, tail: bytes):
        self.head, self.block, self.times, self.tail = head, block, times, tail

    @property
    def size(self) -> int:
        return len(self.head) + len(self.block) * self.times + len(self.tail)


def _deflate_full_flush(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def write_zip(path: Path, members: dict[str, bytes | Repeated], *, lie: dict[str, int] | None = None) -> Path:
    """A zip of deflated members (the workbook parts), written by hand so that a member may be a
    :class:`Repeated` one. ``lie`` declares a smaller uncompressed size for some members than they have."""
    lie = lie or {}
    central = []
    with open(path, "wb") as f:
        for name, member in members.items():
            bname = name.encode()
            offset = f.tell()
            if isinstance(member, Repeated):
                parts = [_deflate_full_flush(member.head), None, _deflate_full_flush(member.tail)]
                unit = _deflate_full_flush(member.block)
                crc = zlib.crc32(member.head)
                for _ in range(member.times):
                    crc = zlib.crc32(member.block, crc)
                crc = zlib.crc32(member.tail, crc)
                size = member.size
                end = b"\x03\x00"  # an empty final block
                csize = len(parts[0]) + len(unit) * member.times + len(parts[2]) + len(end)
            else:
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                data = c.compress(member) + c.flush()
                crc, size, csize = zlib.crc32(member), len(member), len(data)
            declared = lie.get(name, size)
            header = struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, csize, declared, len(bname), 0
            )
            f.write(header + bname)
            if isinstance(member, Repeated):
                f.write(parts[0])
                for _ in range(member.times):
                    f.write(unit)
                f.write(parts[2] + end)
            else:
                f.write(data)
            central.append(
                struct.pack(
                    "<4s6H3L5H2L",
                    b"PK\x01\x02",
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc,
                    csize,
                    declared,
                    len(bname),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + bname
            )
        start = f.tell()
        cd = b"".join(central)
        f.write(cd)
        f.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(cd), start, 0))
    return path


def workbook(path: Path, sheet: bytes | Repeated, extra: dict[str, bytes] | None = None, **kw) -> Path:
    """A minimal workbook whose first sheet is ``sheet`` (the whole worksheet XML)."""
    members: dict[str, bytes | Repeated] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
        **(extra or {}),
    }
    return write_zip(path, members, **kw)


def sheet_xml(body: bytes) -> bytes:
    return SHEET_HEAD + body + SHEET_TAIL


def zip_bomb_xlsx(path: Path, expanded: int = 1_100_000_000) -> Path:
    """A people file of about 3 MB whose worksheet inflates to ``expanded`` bytes: the template's
    header, then the same person row again and again, each followed by blank space (XML allows it
    between elements) — roughly 360 bytes in for every byte of the file."""
    row = xml_row(2, person_row(1)) + b" " * 4000
    block = row * max(1, (1 << 20) // len(row))
    head = SHEET_HEAD + xml_row(1, HEADER)
    times = -(-(expanded - len(head) - len(SHEET_TAIL)) // len(block))
    return workbook(path, Repeated(head, block, times, SHEET_TAIL))


def wide_csv(path: Path, columns: int = 1_000_000, rows: int = 4) -> Path:
    """A CSV of ``columns`` columns (about 10 MB for a million columns and four rows)."""
    with open(path, "wb") as f:
        f.write(b";".join(b"c" for _ in range(columns)) + b"\n")
        line = b";".join(b"1" for _ in range(columns)) + b"\n"
        for _ in range(rows):
            f.write(line)
    return path


def single_line_csv(path: Path, size: int = 100 * 1024 * 1024) -> Path:
    """One line of ``size`` bytes and no line break."""
    unit = "Nguyễn Văn An;".encode()
    block = unit * ((1 << 20) // len(unit))
    with open(path, "wb") as f:
        written = 0
        while written < size:
            part = block[: size - written]
            f.write(part)
            written += len(part)
    return path
