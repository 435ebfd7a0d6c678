from __future__ import annotations

import csv
from pathlib import Path

import pytest

from xhht.registry.models import Household, HouseholdMember, Person, Residence

HEADER = [
    "STT",
    "Mã hộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Số CCCD",
    "Số điện thoại",
    "Thôn/Tổ dân phố",
    "Quan hệ với chủ hộ",
    "Nghề nghiệp",
]


def cccd_for(n: int, year: int = 1985, male: bool = True, province: str = "051") -> str:
    century = (0 if year < 2000 else 2) + (0 if male else 1)
    return f"{province}{century}{year % 100:02d}{n:06d}"


def person_row(
    n: int,
    *,
    household: str | None = None,
    relation: str = "Chủ hộ",
    village: str = "Thôn 1",
    name: str | None = None,
    birth: str = "02/09/1985",
    sex: str = "Nam",
    cccd: str | None = None,
    phone: str = "",
) -> list[str]:
    return [
        str(n),
        household or f"H{n:05d}",
        name or f"Nguyễn Văn An {n}",
        birth,
        sex,
        "Kinh",
        cccd if cccd is not None else cccd_for(n),
        phone,
        village,
        relation,
        "Người lao động",
    ]


def write_csv(
    path: Path,
    rows: list[list],
    header: list[str] | None = None,
    *,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header or HEADER)
        w.writerows(rows)
    return path


def db_state() -> dict:
    """Row counts and the newest change times of the registry tables the importer writes."""
    from django.db.models import Max

    from xhht.accounts.models import AuditEvent

    return {
        "people": Person.objects.count(),
        "people_updated": Person.objects.aggregate(m=Max("updated_at"))["m"],
        "households": Household.objects.count(),
        "members": HouseholdMember.objects.count(),
        "current_members": HouseholdMember.objects.filter(valid_to__isnull=True).count(),
        "residences": Residence.objects.count(),
        "audit_bulk": AuditEvent.objects.filter(action="bulk").count(),
    }


@pytest.fixture
def csv_file(tmp_path):
    counter = {"n": 0}

    def make(rows, header=None, **kw) -> Path:
        counter["n"] += 1
        return write_csv(tmp_path / f"f{counter['n']}.csv", rows, header, **kw)

    return make


@pytest.fixture
def officer(units, make_user):
    from xhht.accounts.models import Role

    return make_user(Role.HKH_XA, units.commune_a)
