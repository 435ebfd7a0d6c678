"""Who decides each title, where its decisions are issued, how long a recognition lasts.

Defaults follow the domain notes (after the 1/7/2025 reform): the commune People's Committee chair
for households, clans, villages, citizens and commune-level organisations and centres; the
provincial Department of Education and Training for learning communes and the province.
A ``TitleAuthority`` row overrides the default for its title (editable in the admin).
"""

from __future__ import annotations

from dataclasses import dataclass

from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.geo.models import AdminUnit, Level

from .models import IssuerLevel, TitleAuthority

_COMMUNE_BASIS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    "Căn cứ Quyết định số 387/QĐ-TTg ngày 25 tháng 3 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương trình "
    "“Đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng, đơn vị đến năm 2030”;\n"
    "Căn cứ bộ tiêu chí đánh giá, công nhận danh hiệu đang áp dụng;\n"
    "Xét đề nghị của Hội Khuyến học xã."
)
_PROVINCE_BASIS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    "Căn cứ Thông tư số 25/2023/TT-BGDĐT của Bộ trưởng Bộ Giáo dục và Đào tạo;\n"
    "Xét đề nghị của Hội Khuyến học tỉnh."
)


@dataclass(frozen=True)
class Authority:
    title: str
    decider_role: str
    issuer_level: str
    issuer_prefix: str
    number_suffix: str
    signer_title: str
    validity_years: int
    legal_basis: str

    def issuer_unit(self, campaign_unit: AdminUnit) -> AdminUnit:
        """The unit in whose name decisions are issued for a campaign held in ``campaign_unit``."""
        want = Level.PROVINCE if self.issuer_level == IssuerLevel.PROVINCE else Level.COMMUNE
        if campaign_unit.level == want:
            return campaign_unit
        for a in reversed(campaign_unit.ancestors()):
            if a.level == want:
                return a
        return campaign_unit

    def issuer_name(self, issuer_unit: AdminUnit) -> str:
        return f"{self.issuer_prefix} {lower_first(issuer_unit.name)}".strip()


def lower_first(name: str) -> str:
    """'Xã Đăk Mar' -> 'xã Đăk Mar' (inside a sentence, the kind word is lower case)."""
    return name[:1].lower() + name[1:] if name else name


_UBND = dict(
    decider_role=Role.UBND_XA,
    issuer_level=IssuerLevel.COMMUNE,
    issuer_prefix="Ủy ban nhân dân",
    number_suffix="QĐ-UBND",
    signer_title="Chủ tịch Ủy ban nhân dân",
    legal_basis=_COMMUNE_BASIS,
)
_SO = dict(
    decider_role=Role.SO_GDDT,
    issuer_level=IssuerLevel.PROVINCE,
    issuer_prefix="Sở Giáo dục và Đào tạo",
    number_suffix="QĐ-SGDĐT",
    signer_title="Giám đốc Sở Giáo dục và Đào tạo",
    legal_basis=_PROVINCE_BASIS,
)

DEFAULT_AUTHORITIES: dict[str, Authority] = {
    Title.CDHT: Authority(Title.CDHT, validity_years=1, **_UBND),
    Title.GDHT: Authority(Title.GDHT, validity_years=1, **_UBND),
    Title.DHHT: Authority(Title.DHHT, validity_years=1, **_UBND),
    Title.CDHT_THON: Authority(Title.CDHT_THON, validity_years=1, **_UBND),
    Title.DVHT: Authority(Title.DVHT, validity_years=3, **_UBND),
    Title.TTHTCD: Authority(Title.TTHTCD, validity_years=1, **_UBND),
    Title.CDHT_XA: Authority(Title.CDHT_XA, validity_years=1, **_SO),
    Title.CDHT_TINH: Authority(Title.CDHT_TINH, validity_years=1, **_SO),
}


def authority_for(title: str) -> Authority:
    row = TitleAuthority.objects.filter(title=title).first()
    if row is None:
        return DEFAULT_AUTHORITIES[title]
    return Authority(
        title=row.title,
        decider_role=row.decider_role,
        issuer_level=row.issuer_level,
        issuer_prefix=row.issuer_prefix,
        number_suffix=row.number_suffix,
        signer_title=row.signer_title,
        validity_years=row.validity_years,
        legal_basis=row.legal_basis or DEFAULT_AUTHORITIES[title].legal_basis,
    )
