"""Authoring criteria sets: a document model shared by YAML and an XLSForm-like workbook.

The document (what YAML holds, and what a workbook is parsed into)::

    settings: {title, code, version, name, name_en, description, source, year_from, year_to,
               province (2-digit code or empty), unofficial, applies_to ("", xa, tren_xa),
               provisional, provisional_note}
    groups:
      - {code, label, label_en, hint, points, provisional, provisional_note, criteria: [
          {code, label, label_en, hint, points, provisional, provisional_note, indicators: [
             {code, label, label_en, hint, kind, points, min, mandatory, level, evidence, rule,
              provisional, provisional_note}]}]}
    outcomes:
      - {level, label, min_total, check_minimums, condition, message, provisional, provisional_note}

``provisional: true`` with a ``provisional_note`` marks a number the legal text does not give (shown
"Tạm tính — địa phương cần xác nhận"); a set with any provisional part is provisional itself.

The workbook has three sheets: ``settings`` (a header row and one row of values, like XLSForm),
``criteria`` (one row per group / criterion / indicator, in order: ``code, type, label::vi,
label::en, hint::vi, kind, points, min, mandatory, level, evidence, rule``) and ``outcomes``
(``level, label, min_total, check_minimums, condition, message``). Errors name the sheet, the row
and the column, in Vietnamese.

``content_hash(cs)`` is the SHA-256 of the canonical JSON of the document without the version and
without the annotations (``provisional``, ``provisional_note``, ``applies_to``: what is known about
the content and where it is used, not the content): two versions with the same content have the
same hash.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import yaml
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from xhht.core import cells
from xhht.core.titles import TITLE_SUBJECT, Level, Title

from .models import AppliesTo, CriteriaGroup, CriteriaSet, Criterion, Indicator, IndicatorKind, OutcomeRule

SETTINGS_COLUMNS = [
    "title",
    "code",
    "version",
    "name::vi",
    "name::en",
    "description",
    "source",
    "year_from",
    "year_to",
    "province",
    "unofficial",
    "applies_to",
    "provisional",
    "provisional_note",
]
CRITERIA_COLUMNS = [
    "code",
    "type",
    "label::vi",
    "label::en",
    "hint::vi",
    "kind",
    "points",
    "min",
    "mandatory",
    "level",
    "evidence",
    "rule",
    "provisional",
    "provisional_note",
]
OUTCOME_COLUMNS = [
    "level",
    "label",
    "min_total",
    "check_minimums",
    "condition",
    "message",
    "provisional",
    "provisional_note",
]
ANNOTATIONS = ("provisional", "provisional_note", "applies_to")
NODE_TYPES = ("group", "criterion", "indicator")
_SETTING_KEYS = {"name::vi": "name", "name::en": "name_en"}
_NODE_KEYS = {"label::vi": "label", "label::en": "label_en", "hint::vi": "hint"}


@dataclass
class AuthoringError:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("trang «%(s)s»") % {"s": self.sheet})
        if self.row:
            where.append(_("dòng %(r)s") % {"r": self.row})
        if self.column:
            where.append(_("cột «%(c)s»") % {"c": self.column})
        return (", ".join(where) + ": " if where else "") + self.message


class AuthoringErrors(Exception):
    def __init__(self, errors: list[AuthoringError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# ============================================================================ model → document


def _num(d) -> str | None:
    if d is None:
        return None
    d = Decimal(d).normalize()
    s = format(d, "f")
    return s


def to_document(cs: CriteriaSet) -> dict:
    settings = {
        "title": cs.title,
        "code": cs.code,
        "version": cs.version,
        "name": cs.name,
        "name_en": cs.name_en,
        "description": cs.description,
        "source": cs.source,
        "year_from": cs.year_from,
        "year_to": cs.year_to,
        "province": cs.province.code if cs.province_id else None,
        "unofficial": cs.unofficial,
        "applies_to": cs.applies_to,
        **_prov(cs),
    }
    groups = []
    indicators_by_criterion: dict[int, list] = {}
    for ind in cs.indicator_set.order_by("order", "id"):
        indicators_by_criterion.setdefault(ind.criterion_id, []).append(ind)
    criteria_by_group: dict[int, list] = {}
    for c in cs.criterion_set.order_by("order", "id"):
        criteria_by_group.setdefault(c.group_id, []).append(c)
    for g in cs.group_set.order_by("order", "id"):
        gdoc = {
            "code": g.code,
            "label": g.label,
            "label_en": g.label_en,
            "hint": g.hint,
            "points": _num(g.max_points),
            **_prov(g),
        }
        gdoc["criteria"] = []
        for c in criteria_by_group.get(g.pk, []):
            cdoc = {
                "code": c.code,
                "label": c.label,
                "label_en": c.label_en,
                "hint": c.hint,
                "points": _num(c.max_points),
                **_prov(c),
                "indicators": [],
            }
            for i in indicators_by_criterion.get(c.pk, []):
                cdoc["indicators"].append(
                    {
                        "code": i.code,
                        "label": i.label,
                        "label_en": i.label_en,
                        "hint": i.hint,
                        "kind": i.kind,
                        "points": _num(i.max_points),
                        "min": _num(i.min_points),
                        "mandatory": i.mandatory,
                        "level": i.level,
                        "evidence": i.evidence,
                        "rule": i.rule,
                        **_prov(i),
                    }
                )
            gdoc["criteria"].append(cdoc)
        groups.append(gdoc)
    outcomes = [
        {
            "level": r.level,
            "label": r.label,
            "min_total": _num(r.min_total),
            "check_minimums": r.check_minimums,
            "condition": r.condition,
            "message": r.message,
            **_prov(r),
        }
        for r in cs.outcomerule_set.order_by("order", "id")
    ]
    return {"settings": settings, "groups": groups, "outcomes": outcomes}


def _prov(obj) -> dict:
    return {"provisional": obj.provisional, "provisional_note": obj.provisional_note}


def _strip_annotations(node) -> None:
    if isinstance(node, dict):
        for k in ANNOTATIONS:
            node.pop(k, None)
        for v in node.values():
            _strip_annotations(v)
    elif isinstance(node, list):
        for v in node:
            _strip_annotations(v)


def canonical_json(doc: dict) -> str:
    d = json.loads(json.dumps(doc))
    d["settings"].pop("version", None)
    _strip_annotations(d)
    return json.dumps(d, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(cs: CriteriaSet) -> str:
    return hashlib.sha256(canonical_json(to_document(cs)).encode("utf-8")).hexdigest()


# ============================================================================ YAML


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def to_yaml(cs: CriteriaSet) -> str:
    return yaml.dump(to_document(cs), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def parse_yaml(text: str | bytes) -> dict:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise AuthoringErrors([AuthoringError(_("Tệp YAML không đọc được: %(e)s") % {"e": exc}, "YAML", row)])
    if not isinstance(doc, dict):
        raise AuthoringErrors(
            [AuthoringError(_("Tệp YAML phải có các mục settings, groups, outcomes."), "YAML")]
        )
    return doc


# ============================================================================ workbook


def to_workbook(cs: CriteriaSet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    doc = to_document(cs)
    wb = Workbook()
    ws = wb.active
    ws.title = "criteria"
    append = cells.openpyxl_append  # text that would start a formula is written as text (read back by parse)
    append(ws, CRITERIA_COLUMNS)
    for g in doc["groups"]:
        append(ws, _row("group", g))
        for c in g["criteria"]:
            append(ws, _row("criterion", c))
            for i in c["indicators"]:
                append(ws, _row("indicator", i))
    wo = wb.create_sheet("outcomes")
    append(wo, OUTCOME_COLUMNS)
    for o in doc["outcomes"]:
        append(wo, [_cell(o.get(k)) for k in OUTCOME_COLUMNS])
    wsettings = wb.create_sheet("settings")
    append(wsettings, SETTINGS_COLUMNS)
    s = doc["settings"]
    append(wsettings, [_cell(s.get(_SETTING_KEYS.get(k, k))) for k in SETTINGS_COLUMNS])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["E"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    if isinstance(v, bool):
        return "yes" if v else "no"
    if v is None:
        return None
    return v


def _row(typ: str, node: dict) -> list:
    vals = {"type": typ, **{k: node.get(v) for k, v in _NODE_KEYS.items()}}
    for k in CRITERIA_COLUMNS:
        if k != "type" and k not in _NODE_KEYS:
            vals[k] = node.get(k)
    if typ != "indicator":
        vals["mandatory"] = None
    return [_cell(vals.get(c)) for c in CRITERIA_COLUMNS]


def parse_workbook(data: bytes) -> dict:
    """Workbook → document, with ``_loc`` (sheet, row, columns) kept on every node for error messages."""
    import tempfile
    from pathlib import Path

    from openpyxl import load_workbook

    from xhht.imports.limits import check_xlsx
    from xhht.imports.readers import ImportFileError

    # the importers' zip-bomb checks (members, declared and real inflated sizes, ratio, cell range)
    # before openpyxl inflates anything
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            check_xlsx(Path(tmp.name))
        except ImportFileError as exc:
            raise AuthoringErrors([AuthoringError(str(exc))]) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise AuthoringErrors([AuthoringError(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."))])
    errors: list[AuthoringError] = []
    sheets = {name.strip().lower(): wb[name] for name in wb.sheetnames}
    for required in ("criteria", "outcomes", "settings"):
        if required not in sheets:
            errors.append(AuthoringError(_("Thiếu trang «%(s)s».") % {"s": required}, required))
    if errors:
        raise AuthoringErrors(errors)

    def rows(sheet_name, known):
        ws = sheets[sheet_name]
        it = ws.iter_rows(values_only=True)
        header = next(it, None) or ()
        cols = [str(h).strip().lower() if h is not None else "" for h in header]
        for n, h in enumerate(cols):
            if h and h not in known:
                errors.append(
                    AuthoringError(
                        _("Cột «%(c)s» không được hỗ trợ.") % {"c": h}, sheet_name, 1, _col_letter(n)
                    )
                )
        out = []
        for r, values in enumerate(it, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            rec = {}
            for n, h in enumerate(cols):
                if h and n < len(values):
                    v = cells.unescape_cell(values[n])  # the apostrophe to_workbook put before "=", "-"…
                    rec[h] = v.strip() if isinstance(v, str) else v
            out.append((r, rec))
        return cols, out

    _cols, settings_rows = rows("settings", set(SETTINGS_COLUMNS))
    settings: dict = {"_loc": ("settings", 2)}
    if not settings_rows:
        errors.append(
            AuthoringError(_("Trang settings cần một dòng giá trị dưới dòng tiêu đề."), "settings", 2)
        )
    else:
        r, rec = settings_rows[0]
        settings["_loc"] = ("settings", r)
        for k in SETTINGS_COLUMNS:
            settings[_SETTING_KEYS.get(k, k)] = rec.get(k)
    doc: dict = {"settings": settings, "groups": [], "outcomes": []}

    _cols, crit_rows = rows("criteria", set(CRITERIA_COLUMNS))
    group = criterion = None
    for r, rec in crit_rows:
        typ = (rec.get("type") or "").strip().lower() if isinstance(rec.get("type"), str) else rec.get("type")
        node = {_NODE_KEYS.get(k, k): v for k, v in rec.items() if k != "type"}
        node["_loc"] = ("criteria", r)
        if typ == "group":
            node["criteria"] = []
            doc["groups"].append(node)
            group, criterion = node, None
        elif typ == "criterion":
            node["indicators"] = []
            if group is None:
                errors.append(
                    AuthoringError(
                        _("Tiêu chí phải nằm sau một dòng nhóm (type = group)."), "criteria", r, "type"
                    )
                )
                continue
            group["criteria"].append(node)
            criterion = node
        elif typ == "indicator":
            if criterion is None:
                errors.append(
                    AuthoringError(
                        _("Chỉ số phải nằm sau một dòng tiêu chí (type = criterion)."), "criteria", r, "type"
                    )
                )
                continue
            criterion["indicators"].append(node)
        else:
            errors.append(
                AuthoringError(
                    _("Loại «%(t)s» không hợp lệ; dùng group, criterion hoặc indicator.") % {"t": typ or ""},
                    "criteria",
                    r,
                    "type",
                )
            )
    _cols, out_rows = rows("outcomes", set(OUTCOME_COLUMNS))
    for r, rec in out_rows:
        rec["_loc"] = ("outcomes", r)
        doc["outcomes"].append(rec)
    if errors:
        raise AuthoringErrors(errors)
    return doc


def _col_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n + 1)


# ============================================================================ validation and build


_TRUE = {"yes", "y", "true", "1", "x", "có", "co", "true()"}
_FALSE = {"no", "n", "false", "0", "không", "khong", "false()", ""}


class _V:
    """Collects errors with their location; converts cell values."""

    def __init__(self):
        self.errors: list[AuthoringError] = []

    def err(self, node, column, message):
        sheet, row = node.get("_loc", ("", None)) if isinstance(node, dict) else ("", None)
        if not sheet:
            sheet, row = node.get("_yaml", ("YAML", None)) if isinstance(node, dict) else ("YAML", None)
        self.errors.append(AuthoringError(message, sheet, row, column))

    def text(self, node, key, column, required=False, max_len=None) -> str:
        v = node.get(key)
        s = "" if v is None else str(v).strip()
        if isinstance(v, float) and v.is_integer():
            s = str(int(v))
        if required and not s:
            self.err(node, column, _("Không được để trống."))
        if max_len and len(s) > max_len:
            self.err(node, column, _("Dài quá %(n)s ký tự.") % {"n": max_len})
        return s

    def decimal(self, node, key, column, required=False) -> Decimal | None:
        v = node.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.err(node, column, _("Cần một số."))
            return None
        try:
            d = Decimal(str(v).strip().replace(",", "."))
        except InvalidOperation:
            self.err(node, column, _("«%(v)s» không phải là số.") % {"v": v})
            return None
        if d < 0:
            self.err(node, column, _("Không được là số âm."))
        return d

    def integer(self, node, key, column, required=False) -> int | None:
        v = node.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.err(node, column, _("Cần một số nguyên."))
            return None
        try:
            f = float(str(v).strip())
            if not f.is_integer():
                raise ValueError
            return int(f)
        except ValueError:
            self.err(node, column, _("«%(v)s» không phải là số nguyên.") % {"v": v})
            return None

    def boolean(self, node, key, column, default: bool) -> bool:
        v = node.get(key)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        s = str(v).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return default if s == "" else False
        self.err(node, column, _("«%(v)s» không hợp lệ; dùng yes hoặc no.") % {"v": v})
        return default


def _mark_yaml(doc: dict) -> None:
    """Give YAML nodes a readable location (``groups[1] > criteria[2] > indicators[1]``)."""
    s = doc.get("settings")
    if isinstance(s, dict):
        s.setdefault("_yaml", ("settings", None))
    for gi, g in enumerate(doc.get("groups") or [], start=1):
        if not isinstance(g, dict):
            continue
        g.setdefault("_yaml", (f"groups[{gi}]", None))
        for ci, c in enumerate(g.get("criteria") or [], start=1):
            if not isinstance(c, dict):
                continue
            c.setdefault("_yaml", (f"groups[{gi}] > criteria[{ci}]", None))
            for ii, i in enumerate(c.get("indicators") or [], start=1):
                if isinstance(i, dict):
                    i.setdefault("_yaml", (f"groups[{gi}] > criteria[{ci}] > indicators[{ii}]", None))
    for oi, o in enumerate(doc.get("outcomes") or [], start=1):
        if isinstance(o, dict):
            o.setdefault("_yaml", (f"outcomes[{oi}]", None))


def validate_document(doc: dict) -> tuple[dict, list[AuthoringError]]:
    """Check a document; returns (clean document, errors). The clean document has typed values."""
    from xhht.geo.models import AdminUnit

    from .engine import SUBJECT_ENTITY, RuleError, check_outcome_condition, check_rule

    _mark_yaml(doc)
    v = _V()
    raw = doc.get("settings") or {}
    if not isinstance(raw, dict):
        raw = {}
    col = (lambda c: c) if "_loc" in raw else (lambda c: _SETTING_KEYS.get(c, c))
    title = v.text(raw, "title", col("title"), required=True)
    if title and title not in Title.values:
        v.err(
            raw,
            "title",
            _("Danh hiệu «%(t)s» không có; dùng một trong: %(all)s.")
            % {"t": title, "all": ", ".join(Title.values)},
        )
    name = v.text(raw, "name", col("name::vi"), required=True, max_len=255)
    code = v.text(raw, "code", "code") or slugify(f"{title}-{raw.get('source') or ''}")[:60]
    if code != slugify(code):
        v.err(raw, "code", _("Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang."))
    version = v.integer(raw, "version", "version") or 1
    year_from = v.integer(raw, "year_from", "year_from", required=True)
    year_to = v.integer(raw, "year_to", "year_to")
    if year_from and year_to and year_to < year_from:
        v.err(raw, "year_to", _("Năm kết thúc trước năm bắt đầu."))
    province_code = v.text(raw, "province", "province")
    province = None
    if province_code:
        province_code = province_code.zfill(2) if province_code.isdigit() else province_code
        province = AdminUnit.objects.filter(level=1, code=province_code, valid_to__isnull=True).first()
        if province is None:
            v.err(raw, "province", _("Không có tỉnh mã «%(c)s».") % {"c": province_code})
    settings = {
        "title": title,
        "code": code,
        "version": version,
        "name": name,
        "name_en": v.text(raw, "name_en", col("name::en"), max_len=255),
        "description": v.text(raw, "description", "description"),
        "source": v.text(raw, "source", "source", max_len=255),
        "year_from": year_from,
        "year_to": year_to,
        "province": province.code if province else None,
        "_province": province,
        "unofficial": v.boolean(raw, "unofficial", "unofficial", False),
        "applies_to": v.text(raw, "applies_to", "applies_to"),
        "provisional": v.boolean(raw, "provisional", "provisional", False),
        "provisional_note": v.text(raw, "provisional_note", "provisional_note"),
    }
    if settings["applies_to"] not in AppliesTo.values:
        v.err(
            raw,
            "applies_to",
            _("«%(a)s» không hợp lệ; để trống (mọi cấp), xa hoặc tren_xa.") % {"a": settings["applies_to"]},
        )
    any_provisional = False

    def prov(node) -> dict:
        """The node's provisional flag and note (a note alone marks it provisional; a flag needs a note)."""
        nonlocal any_provisional
        note = v.text(node, "provisional_note", "provisional_note")
        flag = v.boolean(node, "provisional", "provisional", False) or bool(note)
        if flag and not note:
            v.err(node, "provisional_note", _("Phần tạm tính cần ghi rõ điều gì chưa có trong văn bản."))
        any_provisional = any_provisional or flag
        return {"provisional": flag, "provisional_note": note}

    entity = SUBJECT_ENTITY.get(TITLE_SUBJECT.get(title)) if title in Title.values else None
    codes: dict[str, object] = {}

    def node_code(node):
        c = v.text(node, "code", "code", required=True, max_len=30)
        if c and c in codes:
            v.err(node, "code", _("Mã «%(c)s» bị trùng.") % {"c": c})
        codes[c] = node
        return c

    def node_label(node):
        is_sheet = "_loc" in node
        return v.text(node, "label", "label::vi" if is_sheet else "label", required=True, max_len=1000)

    def lbl(node, key):
        return {"label_en": "label::en", "hint": "hint::vi"}[key] if "_loc" in node else key

    groups = []
    if not doc.get("groups"):
        v.errors.append(AuthoringError(_("Bộ tiêu chí chưa có nhóm, tiêu chí, chỉ số nào."), "criteria"))
    for g in doc.get("groups") or []:
        if not isinstance(g, dict):
            continue
        gc = {
            "code": node_code(g),
            "label": node_label(g),
            "label_en": v.text(g, "label_en", lbl(g, "label_en")),
            "hint": v.text(g, "hint", lbl(g, "hint")),
            "points": v.decimal(g, "points", "points"),
            **prov(g),
            "criteria": [],
        }
        if not g.get("criteria"):
            v.err(g, "type", _("Nhóm «%(c)s» chưa có tiêu chí nào.") % {"c": gc["code"]})
        for c in g.get("criteria") or []:
            cc = {
                "code": node_code(c),
                "label": node_label(c),
                "label_en": v.text(c, "label_en", lbl(c, "label_en")),
                "hint": v.text(c, "hint", lbl(c, "hint")),
                "points": v.decimal(c, "points", "points"),
                **prov(c),
                "indicators": [],
            }
            if not c.get("indicators"):
                v.err(c, "type", _("Tiêu chí «%(c)s» chưa có chỉ số nào.") % {"c": cc["code"]})
            for i in c.get("indicators") or []:
                kind = v.text(i, "kind", "kind") or IndicatorKind.POINTS
                if kind not in IndicatorKind.values:
                    v.err(
                        i,
                        "kind",
                        _("Loại «%(k)s» không hợp lệ; dùng points, pass_fail hoặc number.") % {"k": kind},
                    )
                points = v.decimal(i, "points", "points", required=kind == IndicatorKind.POINTS)
                mn = v.decimal(i, "min", "min")
                if kind == IndicatorKind.POINTS and points is not None and mn is not None and mn > points:
                    v.err(
                        i, "min", _("Mức tối thiểu %(m)s lớn hơn điểm tối đa %(p)s.") % {"m": mn, "p": points}
                    )
                level = v.text(i, "level", "level")
                if level and level not in Level.values:
                    v.err(
                        i, "level", _("Mức «%(l)s» không hợp lệ; dùng dat, muc_1 hoặc muc_2.") % {"l": level}
                    )
                rule = v.text(i, "rule", "rule")
                if rule and entity:
                    try:
                        check_rule(rule, entity)
                    except RuleError as exc:
                        v.err(i, "rule", exc.messages[0])
                cc["indicators"].append(
                    {
                        "code": node_code(i),
                        "label": node_label(i),
                        "label_en": v.text(i, "label_en", lbl(i, "label_en")),
                        "hint": v.text(i, "hint", lbl(i, "hint")),
                        "kind": kind,
                        "points": points if points is not None else Decimal("0"),
                        "min": mn,
                        "mandatory": v.boolean(i, "mandatory", "mandatory", True),
                        "level": level,
                        "evidence": v.text(i, "evidence", "evidence"),
                        "rule": rule,
                        **prov(i),
                    }
                )
            gc["criteria"].append(cc)
        groups.append(gc)
    outcomes = []
    seen_levels = set()
    if not doc.get("outcomes"):
        v.errors.append(AuthoringError(_("Cần ít nhất một quy tắc xếp loại (trang outcomes)."), "outcomes"))
    for o in doc.get("outcomes") or []:
        if not isinstance(o, dict):
            continue
        level = v.text(o, "level", "level", required=True)
        if level and level not in Level.values:
            v.err(o, "level", _("Mức «%(l)s» không hợp lệ; dùng dat, muc_1 hoặc muc_2.") % {"l": level})
        if level in seen_levels:
            v.err(o, "level", _("Mức «%(l)s» bị lặp.") % {"l": level})
        seen_levels.add(level)
        cond = v.text(o, "condition", "condition")
        if cond:
            try:
                check_outcome_condition(cond)
            except RuleError as exc:
                v.err(o, "condition", exc.messages[0])
        outcomes.append(
            {
                "level": level,
                "label": v.text(o, "label", "label", max_len=500),
                "min_total": v.decimal(o, "min_total", "min_total"),
                "check_minimums": v.boolean(o, "check_minimums", "check_minimums", True),
                "condition": cond,
                "message": v.text(o, "message", "message", max_len=500),
                **prov(o),
            }
        )
    settings["provisional"] = settings["provisional"] or bool(settings["provisional_note"]) or any_provisional
    if Level.PASS in seen_levels and seen_levels & {Level.LEVEL1, Level.LEVEL2}:
        v.errors.append(
            AuthoringError(_("Không dùng lẫn «dat» với «muc_1»/«muc_2»."), "outcomes", None, "level")
        )
    if not v.errors and code and CriteriaSet.objects.filter(code=code, version=version).exists():
        v.err(
            raw,
            "version",
            _("Đã có bộ tiêu chí «%(c)s» phiên bản %(v)s; tăng số phiên bản.") % {"c": code, "v": version},
        )
    return {"settings": settings, "groups": groups, "outcomes": outcomes}, v.errors


@transaction.atomic
def build_from_document(doc: dict, *, created_by=None) -> CriteriaSet:
    """Validate and create a DRAFT set. Raises ``AuthoringErrors``."""
    clean, errors = validate_document(doc)
    if errors:
        raise AuthoringErrors(errors)
    s = clean["settings"]
    cs = CriteriaSet.objects.create(
        title=s["title"],
        code=s["code"],
        version=s["version"],
        name=s["name"],
        name_en=s["name_en"],
        description=s["description"],
        source=s["source"],
        year_from=s["year_from"],
        year_to=s["year_to"],
        province=s["_province"],
        unofficial=s["unofficial"],
        applies_to=s["applies_to"],
        provisional=s["provisional"],
        provisional_note=s["provisional_note"],
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    groups, criteria, indicators = [], [], []
    for go, g in enumerate(clean["groups"], start=1):
        groups.append(
            CriteriaGroup(
                criteria_set=cs,
                code=g["code"],
                label=g["label"],
                label_en=g["label_en"],
                hint=g["hint"],
                max_points=g["points"],
                provisional=g["provisional"],
                provisional_note=g["provisional_note"],
                order=go,
            )
        )
    CriteriaGroup.objects.bulk_create(groups)
    for gobj, g in zip(groups, clean["groups"], strict=True):
        for co, c in enumerate(g["criteria"], start=1):
            criteria.append(
                (
                    Criterion(
                        criteria_set=cs,
                        group=gobj,
                        code=c["code"],
                        label=c["label"],
                        label_en=c["label_en"],
                        hint=c["hint"],
                        max_points=c["points"],
                        provisional=c["provisional"],
                        provisional_note=c["provisional_note"],
                        order=co,
                    ),
                    c,
                )
            )
    Criterion.objects.bulk_create([c for c, _d in criteria])
    for cobj, c in criteria:
        for io_, i in enumerate(c["indicators"], start=1):
            indicators.append(
                Indicator(
                    criteria_set=cs,
                    criterion=cobj,
                    code=i["code"],
                    label=i["label"],
                    label_en=i["label_en"],
                    hint=i["hint"],
                    kind=i["kind"],
                    max_points=i["points"],
                    min_points=i["min"],
                    mandatory=i["mandatory"],
                    level=i["level"],
                    evidence=i["evidence"],
                    rule=i["rule"],
                    provisional=i["provisional"],
                    provisional_note=i["provisional_note"],
                    order=io_,
                )
            )
    Indicator.objects.bulk_create(indicators)
    OutcomeRule.objects.bulk_create(
        [
            OutcomeRule(
                criteria_set=cs,
                level=o["level"],
                label=o["label"],
                min_total=o["min_total"],
                check_minimums=o["check_minimums"],
                condition=o["condition"],
                message=o["message"],
                provisional=o["provisional"],
                provisional_note=o["provisional_note"],
                order=n,
            )
            for n, o in enumerate(clean["outcomes"], start=1)
        ]
    )
    return cs


def validate_set(cs: CriteriaSet) -> list[str]:
    """Checks before publishing a stored draft (rules still compile, at least one outcome)."""
    from .engine import SUBJECT_ENTITY, RuleError, check_rule

    errors = []
    if not cs.outcomerule_set.exists():
        errors.append(_("Cần ít nhất một quy tắc xếp loại."))
    if not cs.indicator_set.exists():
        errors.append(_("Bộ tiêu chí chưa có chỉ số nào."))
    entity = SUBJECT_ENTITY[cs.subject_type]
    for ind in cs.indicator_set.exclude(rule=""):
        try:
            check_rule(ind.rule, entity)
        except RuleError as exc:
            errors.append(_("Chỉ số %(c)s: %(m)s") % {"c": ind.code, "m": exc.messages[0]})
    return errors


def load_upload(name: str, data: bytes) -> dict:
    """Parse an uploaded .xlsx / .yaml file into a document."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return parse_workbook(data)
    if lower.endswith((".yaml", ".yml")):
        return parse_yaml(data)
    raise AuthoringErrors([AuthoringError(_("Chỉ nhận tệp .xlsx hoặc .yaml."))])
