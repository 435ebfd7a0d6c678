"""The rule engine: CEL rules over registry data, evaluated in the database.

An indicator's ``rule`` is a CEL expression over the subject being assessed. Two evaluators share
one vocabulary (``SCHEMA`` below):

- ``evaluate_rules(criteria_set, subjects, year)`` compiles every rule to a Django ORM expression
  (plain SQL) and returns ``{subject_id: {indicator_code: value}}`` — a million people in a few
  seconds, no Python loop per row. It uses the *set-based plan* below. ``annotate_rules(...)``
  returns the annotated queryset instead (for counting in SQL), with correlated subqueries only,
  so it stays safe whatever the caller does with it.
- The set-based plan (``evaluate_rules``): the database makes one pass per collection, not one
  lookup per member. Every aggregate over a collection of the subject (``size(organisation.staff)``,
  ``….filter(p, p.cdht).size()``, ``exists``, ``all``) becomes a column of ONE grouped derived table
  per collection — ``LEFT JOIN (SELECT organisation_id AS k, COUNT(*) AS c0, SUM(CASE WHEN … THEN 1
  ELSE 0 END) AS c1 … FROM registry_orgmembership … GROUP BY organisation_id) ON k = id`` — shared by
  every rule that uses it; "holds a current title" (``person.cdht``…) is ``id IN (SELECT subject_id
  FROM recognition_recognition WHERE …)``, an uncorrelated list built once (SQLite: a temporary
  index; PostgreSQL: a hashed subplan — ``work_mem`` is raised for that one query). Aggregates that
  cannot be grouped (nested collections, a predicate reading the owner, the prefix-based ``unit``
  collections) keep the correlated form.
- ``reference_values(criteria_set, subject, year)`` builds the subject as plain data and evaluates
  the rules with ``celpy`` (the reference implementation of CEL). Tests check that both agree.

Vocabulary (variables): ``subject`` — also named after its type: ``person``, ``household``,
``clan``, ``organisation``, ``unit``, ``centre`` — and ``year`` (the year assessed). Functions:
``size(list)``, ``list.size()``, ``list.filter(x, p).size()``, ``list.exists(x, p)``,
``list.all(x, p)``, ``double(n)``, ``ratio(a, b)`` (a / b as a double, null when b is 0).
Operators: ``&& || ! ? : == != < <= > >= in + - * / %``. Fields per type are listed in ``SCHEMA``
(e.g. ``person.digital_skill >= 2``, ``person.cdht`` = holds a current CDHT recognition,
``ratio(organisation.staff.filter(p, p.cdht).size(), size(organisation.staff)) >= 0.9``).

A recognition is "current" in year Y when it is not revoked, its year is ≤ Y and its ``valid_to``
is empty or on/after 1 January Y. Memberships (household members, staff, clan households) are
current when ``valid_to`` is empty. A missing value (unknown birth year, a digital skill not yet
assessed…) makes a comparison unknown: the result is ``None`` in both evaluators, and the
self-assessment then asks the subject to declare the indicator (``recognition.services``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import celpy
from celpy import celtypes
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.db.models.sql.constants import LOUTER
from django.utils.translation import gettext as _
from lark import Token, Tree

from xhht.core.titles import SubjectType, Title

# ============================================================================ vocabulary


@dataclass(frozen=True)
class FieldDef:
    type: str  # int | double | bool | string
    label: str
    sql: Callable | None = None  # (prefix, year) -> expression; None = plain column prefix+name
    column: str | None = None
    computed: bool = False  # refers to other tables: only usable on the innermost variable
    holds: tuple[str, str] | None = None  # (title, subject type): "holds a current recognition"


@dataclass(frozen=True)
class CollectionDef:
    label: str
    element: str  # entity name
    queryset: Callable  # (outer_ref_name) -> queryset of membership rows correlated to the outer row
    prefix: str  # lookup prefix from the membership row to the element ("person__" or "")
    outer: str = "id"  # the outer row's column the queryset correlates to
    key: str = ""  # the membership row's column holding the owner's id (grouped plan); "" = never grouped


def _recognition_exists(title: str, subject_type: str, prefix: str, year: int):
    """Whether the row (or its ``prefix`` relation) of the query this is compiled in holds a
    current recognition: a correlated EXISTS read through the (subject type, subject id) index."""
    id_ref = prefix[:-2] + "_id" if prefix else "pk"
    return _HoldsExists(F(id_ref), title, subject_type, year)


def _age(prefix, year):
    return _Arith(Value(year), F(prefix + "birth_year"), op="-", output_field=IntegerField())


def _members_qs(ref):  # ref None: every current membership (grouped plan)
    from xhht.registry.models import HouseholdMember

    qs = HouseholdMember.objects.filter(valid_to__isnull=True)
    return qs if ref is None else qs.filter(household=OuterRef(ref))


def _staff_qs(ref):  # ref None: every current membership (grouped plan)
    from xhht.registry.models import OrgMembership

    qs = OrgMembership.objects.filter(valid_to__isnull=True)
    return qs if ref is None else qs.filter(organisation=OuterRef(ref))


def _clan_households_qs(ref):  # ref None: every current membership (grouped plan)
    from xhht.registry.models import ClanHousehold

    qs = ClanHousehold.objects.filter(valid_to__isnull=True)
    return qs if ref is None else qs.filter(clan=OuterRef(ref))


def _unit_households_qs(ref):
    from xhht.registry.models import Household

    return Household.objects.filter(unit_path__startswith=OuterRef(ref))


def _unit_residents_qs(ref):
    from xhht.registry.models import Person, PersonStatus

    return Person.objects.filter(unit_path__startswith=OuterRef(ref), status=PersonStatus.ACTIVE)


def _centre_staff_qs(ref):  # ref None: every current membership (grouped plan)
    from xhht.registry.models import CentreStaff

    qs = CentreStaff.objects.filter(valid_to__isnull=True)
    return qs if ref is None else qs.filter(centre=OuterRef(ref))


SCHEMA: dict[str, dict] = {
    "person": {
        "fields": {
            "age": FieldDef("int", "tuổi trong năm đánh giá", sql=_age),
            "birth_year": FieldDef("int", "năm sinh"),
            "sex": FieldDef("string", "giới tính (M/F)"),
            "ethnicity": FieldDef("string", "dân tộc"),
            "occupation": FieldDef("string", "nhóm nghề nghiệp"),
            "education_level": FieldDef("string", "trình độ học vấn"),
            "technical_qualification": FieldDef("string", "trình độ chuyên môn kỹ thuật"),
            "it_competency": FieldDef("bool", "có năng lực ứng dụng CNTT"),
            "digital_skill": FieldDef("int", "kỹ năng số 0–4 (TT 02/2025); trống khi chưa đánh giá"),
            "foreign_language": FieldDef("string", "ngoại ngữ"),
            "life_skills": FieldDef("bool", "có kỹ năng sống"),
            "literacy": FieldDef("string", "biết chữ"),
            "status": FieldDef("string", "tình trạng cư trú"),
            "cdht": FieldDef(
                "bool",
                "đang giữ danh hiệu Công dân học tập",
                sql=lambda p, y: _recognition_exists(Title.CDHT, SubjectType.PERSON, p, y),
                computed=True,
                holds=(Title.CDHT, SubjectType.PERSON),
            ),
        },
        "collections": {},
    },
    "household": {
        "fields": {
            "gdht": FieldDef(
                "bool",
                "đang giữ danh hiệu Gia đình học tập",
                sql=lambda p, y: _recognition_exists(Title.GDHT, SubjectType.HOUSEHOLD, p, y),
                computed=True,
                holds=(Title.GDHT, SubjectType.HOUSEHOLD),
            ),
        },
        "collections": {
            "members": CollectionDef(
                "thành viên hiện tại của hộ", "person", _members_qs, "person__", key="household_id"
            )
        },
    },
    "clan": {
        "fields": {},
        "collections": {
            "households": CollectionDef(
                "các hộ hiện thuộc dòng họ", "household", _clan_households_qs, "household__", key="clan_id"
            )
        },
    },
    "organisation": {
        "fields": {
            "kind": FieldDef("string", "loại hình"),
            "level": FieldDef("string", "cấp"),
        },
        "collections": {
            "staff": CollectionDef(
                "cán bộ, người lao động hiện tại", "person", _staff_qs, "person__", key="organisation_id"
            ),
        },
    },
    "unit": {
        "fields": {
            "kind": FieldDef("string", "loại đơn vị"),
            "level": FieldDef("int", "cấp"),
        },
        "collections": {
            "households": CollectionDef(
                "các hộ trên địa bàn", "household", _unit_households_qs, "", outer="path"
            ),
            "residents": CollectionDef(
                "người dân đang cư trú", "person", _unit_residents_qs, "", outer="path"
            ),
        },
    },
    "centre": {
        "fields": {
            "hkh_in_management": FieldDef("bool", "lãnh đạo Hội Khuyến học xã tham gia ban quản lý"),
            "uses_it_management": FieldDef("bool", "ứng dụng CNTT trong quản lý"),
            "uses_it_activities": FieldDef("bool", "ứng dụng CNTT trong hoạt động"),
        },
        "collections": {
            "staff": CollectionDef(
                "cán bộ trung tâm", "person", _centre_staff_qs, "person__", key="centre_id"
            )
        },
    },
}

SUBJECT_ENTITY = {
    SubjectType.PERSON: "person",
    SubjectType.HOUSEHOLD: "household",
    SubjectType.CLAN: "clan",
    SubjectType.ORGANISATION: "organisation",
    SubjectType.UNIT: "unit",
    SubjectType.CENTRE: "centre",
}


class RuleError(ValidationError):
    """A rule that cannot be parsed, type-checked or compiled (Vietnamese message)."""


# ============================================================================ SQL building blocks


class _Arith(Func):
    """``(a op b)`` with a declared output type (Django refuses mixed-type combinations)."""

    template = "(%(expressions)s)"

    def __init__(self, *exprs, op: str, output_field):
        self.arg_joiner = f" {op} "
        super().__init__(*exprs, output_field=output_field)


class _BoolOp(Func):
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, *exprs, op: str):
        self.arg_joiner = f" {op} "
        super().__init__(*exprs)


class _Not(Func):
    template = "(NOT %(expressions)s)"
    output_field = BooleanField()


class _CountRows(Func):
    """``COUNT(*)`` without GROUP BY, for a correlated subquery."""

    template = "COUNT(*)"
    output_field = IntegerField()

    def __init__(self):
        super().__init__()


def _count_subquery(qs: QuerySet):
    return Coalesce(Subquery(qs.order_by().annotate(_n=_CountRows()).values("_n")[:1]), Value(0))


_OUTPUT = {"int": IntegerField(), "double": FloatField(), "bool": BooleanField(), "string": CharField()}


# ============================================================================ parsing


@lru_cache(maxsize=1)
def _env() -> celpy.Environment:
    return celpy.Environment()


@lru_cache(maxsize=2048)
def parse(source: str) -> Tree:
    try:
        return _env().compile(source)
    except Exception as exc:  # celpy raises CELParseError with a caret diagram
        msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise RuleError(_("Biểu thức CEL không hợp lệ: %(msg)s") % {"msg": msg}, code="parse")


_PASS = {
    "expr",
    "conditionalor",
    "conditionaland",
    "relation",
    "addition",
    "multiplication",
    "unary",
    "member",
    "primary",
    "paren_expr",
}


def _kids(node: Tree) -> list:
    return list(node.children)


def _unsupported(what: str) -> RuleError:
    return RuleError(
        _("Quy tắc dùng «%(what)s» chưa được hỗ trợ để tính bằng SQL.") % {"what": what}, code="unsupported"
    )


@dataclass
class _Typed:
    expr: object  # Django expression, or a _Coll / _Entity
    type: str  # int double bool string null entity collection


@dataclass
class _Entity:
    name: str
    prefix: str
    depth: int


@dataclass
class _Coll:
    coll: CollectionDef
    owner: _Entity
    filters: list = field(default_factory=list)  # (var, predicate node)


class Compiler:
    """CEL (the subset above) → Django expression, for one subject entity type and year."""

    def __init__(self, entity: str, year: int, plan: _Plan | None = None):
        self.entity = entity
        self.year = year
        self.plan = plan  # set-based plan (evaluate_rules) or None (correlated subqueries only)

    def compile(self, source: str) -> tuple[object, str]:
        tree = parse(source)
        scope = {"subject": _Entity(self.entity, "", 0), self.entity: _Entity(self.entity, "", 0)}
        t = self._c(tree, scope, 0)
        if t.type not in ("int", "double", "bool", "string"):
            raise RuleError(_("Quy tắc phải cho ra một số, một chuỗi hoặc đúng/sai."), code="type")
        return t.expr, t.type

    # -- helpers
    def _ref(self, ent: _Entity, column: str, depth: int):
        name = ent.prefix + column
        if ent.depth == depth:
            return F(name)
        ref = OuterRef(name)
        for _i in range(depth - ent.depth - 1):
            ref = OuterRef(ref)
        return ref

    def _c(self, node, scope, depth) -> _Typed:
        if isinstance(node, Token):
            raise _unsupported(str(node))
        name = node.data
        kids = _kids(node)
        if name in _PASS and len(kids) == 1:
            return self._c(kids[0], scope, depth)
        if name == "expr" and len(kids) == 3:
            return self._ternary(kids, scope, depth)
        if name == "conditionalor" and len(kids) == 2:
            return self._logic(kids, "OR", scope, depth)
        if name == "conditionaland" and len(kids) == 2:
            return self._logic(kids, "AND", scope, depth)
        if name in ("relation", "addition", "multiplication") and len(kids) == 2:
            op_node, rhs = kids
            lhs = op_node.children[0]
            op = op_node.data.split("_", 1)[1]
            if name == "relation":
                return self._relation(op, [lhs, rhs], scope, depth)
            return self._arith(op, [lhs, rhs], scope, depth)
        if name == "unary" and len(kids) == 2 and kids[0].data == "unary_not":
            t = self._c(kids[1], scope, depth)
            self._expect(t, "bool", "!")
            return _Typed(_Not(t.expr), "bool")
        if name == "unary" and len(kids) == 2 and kids[0].data == "unary_neg":
            t = self._c(kids[1], scope, depth)
            if t.type not in ("int", "double"):
                raise RuleError(_("Dấu trừ chỉ dùng với số."), code="type")
            return _Typed(_Arith(Value(0), t.expr, op="-", output_field=_OUTPUT[t.type]), t.type)
        if name == "literal":
            return self._literal(kids[0])
        if name == "ident":
            return self._ident(str(kids[0]), scope)
        if name == "member_dot":
            return self._dot(kids, scope, depth)
        if name == "member_dot_arg":
            return self._method(kids, scope, depth)
        if name == "ident_arg":
            return self._call(str(kids[0]), kids[1] if len(kids) > 1 else None, scope, depth)
        raise _unsupported(name)

    def _expect(self, t: _Typed, typ: str, op: str):
        if t.type != typ and t.type != "null":
            raise RuleError(
                _("Phép «%(op)s» cần giá trị kiểu %(want)s, nhận được %(got)s.")
                % {"op": op, "want": typ, "got": t.type},
                code="type",
            )

    def _ternary(self, kids, scope, depth):
        cond = self._c(kids[0], scope, depth)
        self._expect(cond, "bool", "?:")
        a = self._c(kids[1], scope, depth)
        b = self._c(kids[2], scope, depth)
        typ = a.type if a.type != "null" else b.type
        if a.type != b.type and "null" not in (a.type, b.type):
            if {a.type, b.type} == {"int", "double"}:
                raise RuleError(_("Hai nhánh của «? :» phải cùng kiểu (dùng 1.0 thay cho 1)."), code="type")
            raise RuleError(_("Hai nhánh của «? :» phải cùng kiểu."), code="type")
        out = _OUTPUT[typ]
        return _Typed(
            Case(
                When(cond.expr, then=a.expr),
                When(_Not(cond.expr), then=b.expr),
                default=Value(None),
                output_field=out,
            ),
            typ,
        )

    def _logic(self, kids, op, scope, depth):
        a = self._c(kids[0], scope, depth)
        b = self._c(kids[1], scope, depth)
        self._expect(a, "bool", "&&" if op == "AND" else "||")
        self._expect(b, "bool", "&&" if op == "AND" else "||")
        return _Typed(_BoolOp(a.expr, b.expr, op=op), "bool")

    def _relation(self, op, kids, scope, depth):
        if op == "in":
            a = self._c(kids[0], scope, depth)
            lst = kids[1]
            while isinstance(lst, Tree) and lst.data in _PASS and len(lst.children) == 1:
                lst = lst.children[0]
            if not (isinstance(lst, Tree) and lst.data == "list_lit"):
                raise _unsupported("in")
            items = [self._c(e, scope, depth) for e in (lst.children[0].children if lst.children else [])]
            if not items:
                return _Typed(Value(False, output_field=BooleanField()), "bool")
            parts = []
            for it in items:
                if it.type != a.type:
                    raise RuleError(
                        _("Các phần tử của danh sách «in» phải cùng kiểu với vế trái."), code="type"
                    )
                parts.append(_BoolOp(a.expr, it.expr, op="="))
            return _Typed(_BoolOp(*parts, op="OR") if len(parts) > 1 else parts[0], "bool")
        a = self._c(kids[0], scope, depth)
        b = self._c(kids[1], scope, depth)
        sql = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "=", "ne": "<>"}[op]
        if "null" in (a.type, b.type):
            # celpy raises on ``1 == null``: a comparison with null has no agreed meaning, refuse it
            raise _unsupported("null")
        numeric = {"int", "double"}
        if a.type != b.type and not (op not in ("eq", "ne") and {a.type, b.type} <= numeric):
            raise RuleError(
                _("Không so sánh được %(a)s với %(b)s (với số thực hãy viết 1.0 thay cho 1).")
                % {"a": a.type, "b": b.type},
                code="type",
            )
        if a.type in ("entity", "collection"):
            raise _unsupported(sql)
        return _Typed(_BoolOp(a.expr, b.expr, op=sql), "bool")

    def _arith(self, op, kids, scope, depth):
        a = self._c(kids[0], scope, depth)
        b = self._c(kids[1], scope, depth)
        if a.type not in ("int", "double") or a.type != b.type:
            raise RuleError(
                _("Phép tính cần hai số cùng kiểu (dùng double() để đổi số nguyên sang số thực)."),
                code="type",
            )
        sym = {"add": "+", "sub": "-", "mul": "*", "div": "/", "mod": "%%"}[op]
        if op == "mod" and a.type != "int":
            raise _unsupported("%")
        rhs = NullIf(b.expr, Value(0)) if op in ("div", "mod") else b.expr
        return _Typed(_Arith(a.expr, rhs, op=sym, output_field=_OUTPUT[a.type]), a.type)

    def _literal(self, tok: Token) -> _Typed:
        kind, text = tok.type, str(tok.value)
        if kind == "INT_LIT":
            return _Typed(Value(int(text, 0), output_field=IntegerField()), "int")
        if kind == "FLOAT_LIT":
            return _Typed(Value(float(text), output_field=FloatField()), "double")
        if kind == "BOOL_LIT":
            return _Typed(Value(text == "true", output_field=BooleanField()), "bool")
        if kind == "NULL_LIT":
            return _Typed(Value(None), "null")
        if kind == "STRING_LIT":
            s = text
            if s[:1] in "rR":
                raise _unsupported("r''")
            q = s[:3] if s[:3] in ('"""', "'''") else s[0]
            body = s[len(q) : -len(q)]
            body = (
                body.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in body else body
            )
            return _Typed(Value(body, output_field=CharField()), "string")
        raise _unsupported(kind)

    def _ident(self, name: str, scope) -> _Typed:
        if name == "year":
            return _Typed(Value(self.year, output_field=IntegerField()), "int")
        if name in scope:
            return _Typed(scope[name], "entity")
        raise RuleError(_("Không biết biến «%(name)s».") % {"name": name}, code="name")

    def _dot(self, kids, scope, depth) -> _Typed:
        base = self._c(kids[0], scope, depth)
        attr = str(kids[1])
        if base.type != "entity":
            raise _unsupported("." + attr)
        ent: _Entity = base.expr
        if ent.name == _FORBIDDEN:
            raise _NeedsCorrelation
        spec = SCHEMA[ent.name]
        if attr in spec["fields"]:
            fd: FieldDef = spec["fields"][attr]
            if fd.sql is None:
                ref = self._ref(ent, fd.column or attr, depth)
                return _Typed(_Bool(ref) if fd.type == "bool" else ref, fd.type)
            if ent.depth != depth:
                if fd.computed:
                    raise _unsupported(f"{ent.name}.{attr}")
            if self.plan is not None and fd.holds is not None:
                title, subject_type = fd.holds
                id_ref = ent.prefix[:-2] + "_id" if ent.prefix else "pk"
                return _Typed(_InHolders(F(id_ref), title, subject_type, self.year), "bool")
            if fd.sql is _age and ent.depth != depth:
                return _Typed(
                    _Arith(
                        Value(self.year),
                        self._ref(ent, "birth_year", depth),
                        op="-",
                        output_field=IntegerField(),
                    ),
                    "int",
                )
            return _Typed(fd.sql(ent.prefix, self.year), fd.type)
        if attr in spec["collections"]:
            if ent.depth != depth:
                raise _unsupported(f"{ent.name}.{attr}")
            return _Typed(_Coll(spec["collections"][attr], ent), "collection")
        raise RuleError(
            _("«%(entity)s» không có trường «%(attr)s». Các trường: %(fields)s.")
            % {
                "entity": ent.name,
                "attr": attr,
                "fields": ", ".join([*spec["fields"], *spec["collections"]]),
            },
            code="name",
        )

    def _coll_queryset(self, c: _Coll, extra_filters, scope, depth):
        outer_ref = c.owner.prefix + c.coll.outer if c.owner.prefix else c.coll.outer
        if c.coll.outer == "id" and c.owner.prefix:
            outer_ref = c.owner.prefix[:-2] + "_id"
        qs = c.coll.queryset(outer_ref)
        for var, pred in [*c.filters, *extra_filters]:
            inner_scope = dict(scope)
            inner_scope[var] = _Entity(c.coll.element, c.coll.prefix, depth + 1)
            t = self._c(pred, inner_scope, depth + 1)
            self._expect(t, "bool", "filter")
            qs = qs.filter(t.expr)
        return qs

    def _planned(self, c: _Coll, extra_filters, negated, scope, depth):
        """A column of the collection's grouped derived table counting the matching members, or None.

        ``negated`` = (var, predicate) counts the members where the predicate is false (for ``all``).
        None when there is no plan, or the aggregate cannot be grouped (the correlated form is used).
        """
        if self.plan is None or depth != 0 or c.owner.depth != 0 or c.owner.prefix or not c.coll.key:
            return None
        forbidden = {name: _Entity(_FORBIDDEN, "", 0) for name in scope}
        conds = []
        try:
            for n, (var, pred) in enumerate([*c.filters, *extra_filters, *([negated] if negated else [])]):
                inner = dict(forbidden)
                inner[var] = _Entity(c.coll.element, c.coll.prefix, 1)
                t = self._c(pred, inner, 1)
                self._expect(
                    t, "bool", "all" if negated and n == len(c.filters) + len(extra_filters) else "filter"
                )
                conds.append(t.expr)
        except _NeedsCorrelation:
            return None
        if negated:
            conds[-1] = _Not(conds[-1])
        key = (
            tuple((v, str(p)) for v, p in [*c.filters, *extra_filters]),
            (negated[0], str(negated[1])) if negated else None,
        )
        return self.plan.column(c.coll, key, conds)

    def _lambda(self, exprlist) -> tuple[str, Tree]:
        args = exprlist.children
        if len(args) != 2:
            raise _unsupported("macro")
        var = args[0]
        while isinstance(var, Tree) and len(var.children) == 1 and isinstance(var.children[0], Tree):
            var = var.children[0]
        if not (isinstance(var, Tree) and var.data == "ident"):
            raise _unsupported("macro")
        return str(var.children[0]), args[1]

    def _method(self, kids, scope, depth) -> _Typed:
        base = self._c(kids[0], scope, depth)
        meth = str(kids[1])
        args = kids[2] if len(kids) > 2 else None
        if base.type != "collection":
            raise _unsupported("." + meth + "()")
        c: _Coll = base.expr
        if meth == "size" and args is None:
            planned = self._planned(c, [], None, scope, depth)
            if planned is not None:
                return _Typed(planned, "int")
            return _Typed(_count_subquery(self._coll_queryset(c, [], scope, depth)), "int")
        if meth == "filter":
            var, pred = self._lambda(args)
            return _Typed(_Coll(c.coll, c.owner, [*c.filters, (var, pred)]), "collection")
        if meth == "exists":
            var, pred = self._lambda(args)
            planned = self._planned(c, [(var, pred)], None, scope, depth)
            if planned is not None:
                return _Typed(_BoolOp(planned, Value(0), op=">"), "bool")
            return _Typed(Exists(self._coll_queryset(c, [(var, pred)], scope, depth)), "bool")
        if meth == "all":
            var, pred = self._lambda(args)
            planned = self._planned(c, [], (var, pred), scope, depth)
            if planned is not None:
                return _Typed(_BoolOp(planned, Value(0), op="="), "bool")
            inner_scope = dict(scope)
            inner_scope[var] = _Entity(c.coll.element, c.coll.prefix, depth + 1)
            t = self._c(pred, inner_scope, depth + 1)
            self._expect(t, "bool", "all")
            qs = self._coll_queryset(c, [], scope, depth).filter(_Not(t.expr))
            return _Typed(_Not(Exists(qs)), "bool")
        raise _unsupported("." + meth + "()")

    def _call(self, fn: str, exprlist, scope, depth) -> _Typed:
        args = [self._c(a, scope, depth) for a in (exprlist.children if exprlist is not None else [])]
        if fn == "size" and len(args) == 1 and args[0].type == "collection":
            planned = self._planned(args[0].expr, [], None, scope, depth)
            if planned is not None:
                return _Typed(planned, "int")
            return _Typed(_count_subquery(self._coll_queryset(args[0].expr, [], scope, depth)), "int")
        if fn == "double" and len(args) == 1 and args[0].type in ("int", "double"):
            return _Typed(Cast(args[0].expr, FloatField()), "double")
        if fn == "ratio" and len(args) == 2 and all(a.type in ("int", "double") for a in args):
            num = Cast(args[0].expr, FloatField())
            den = NullIf(Cast(args[1].expr, FloatField()), Value(0.0))
            return _Typed(_Arith(num, den, op="/", output_field=FloatField()), "double")
        raise _unsupported(fn + "()")


# ============================================================================ the set-based plan

_FORBIDDEN = "\x00owner"  # the owner of a grouped collection, seen from inside the group


class _NeedsCorrelation(Exception):  # noqa: N818 — control flow, never leaves the compiler
    """A predicate inside a collection aggregate reads the owner: keep the correlated subquery."""


class _InHolders(Func):
    """``<id> IN (SELECT subject_id FROM recognition … current …)`` — uncorrelated, built once per
    query (the same test as ``_recognition_exists``). On SQLite the filter columns are written
    ``+col`` so the list is read by one scan of the table rather than one index-then-row read per
    recognition (most recognitions are current ones of the title: the scan is ~40 % faster)."""

    output_field = BooleanField()

    def __init__(self, ref: F, title: str, subject_type: str, year: int):
        super().__init__(ref, output_field=BooleanField())
        self.title, self.subject_type, self.year = str(title), str(subject_type), year

    def as_sql(self, compiler, connection, **extra):
        from xhht.recognition.models import Recognition

        col, col_params = compiler.compile(self.source_expressions[0])
        qn = connection.ops.quote_name
        plus = "+" if connection.vendor == "sqlite" else ""

        def c(name):
            return f"{plus if name in ('title', 'subject_type', 'year') else ''}crit_h.{qn(name)}"

        # only quoted names and constants of this module; the values are parameters
        sql = (
            f"{col} IN (SELECT crit_h.{qn('subject_id')} FROM {qn(Recognition._meta.db_table)} crit_h"  # noqa: S608
            f" WHERE {c('title')} = %s AND {c('subject_type')} = %s AND {c('revoked_at')} IS NULL"
            f" AND {c('year')} <= %s AND ({c('valid_to')} IS NULL OR {c('valid_to')} >= %s))"
        )
        start = connection.ops.adapt_datefield_value(dt.date(self.year, 1, 1))
        return sql, [*col_params, self.title, self.subject_type, self.year, start]


class _HoldsExists(_InHolders):
    """``EXISTS (SELECT 1 FROM recognition WHERE subject_type = … AND subject_id = <id> AND …
    current …)``, correlated: one index probe per row, for a page of subjects (the same test as
    ``_InHolders``). On SQLite the title and year are written ``+col``: without statistics its
    planner otherwise walks the (title, year, …) unique index over every holder of the title for
    each row — 2 s instead of 20 ms for a village of 300 households."""

    def as_sql(self, compiler, connection, **extra):
        from xhht.recognition.models import Recognition

        col, col_params = compiler.compile(self.source_expressions[0])
        qn = connection.ops.quote_name
        plus = "+" if connection.vendor == "sqlite" else ""

        def c(name):
            return f"{plus if name in ('title', 'year') else ''}crit_e.{qn(name)}"

        # only quoted names and constants of this module; the values are parameters
        sql = (
            f"EXISTS (SELECT 1 FROM {qn(Recognition._meta.db_table)} crit_e"  # noqa: S608
            f" WHERE {c('subject_type')} = %s AND {c('subject_id')} = {col} AND {c('title')} = %s"
            f" AND {c('revoked_at')} IS NULL AND {c('year')} <= %s"
            f" AND ({c('valid_to')} IS NULL OR {c('valid_to')} >= %s))"
        )
        start = connection.ops.adapt_datefield_value(dt.date(self.year, 1, 1))
        return sql, [self.subject_type, *col_params, self.title, self.year, start]


class _GroupKey(Func):
    """The GROUP BY key. On SQLite ``CAST(col AS INTEGER)``: an expression, so the table is scanned
    in storage order and grouped with a temporary B-tree instead of walking the foreign-key index
    (one random row read per member); the CAST keeps integer affinity so that the join can still
    use an automatic index on ``k``."""

    template = "%(expressions)s"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra)


class _RawCol(Expression):
    """A column of a derived table joined by ``_DerivedJoin``."""

    def __init__(self, alias: str, column: str):
        super().__init__(output_field=IntegerField())
        self.alias, self.column = alias, column

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        return f"{qn(self.alias)}.{qn(self.column)}", []

    def relabeled_clone(self, change_map):
        return _RawCol(change_map.get(self.alias, self.alias), self.column)

    def get_group_by_cols(self):
        return [self]


class _DerivedJoin:
    """``LEFT OUTER JOIN (<grouped queryset>) alias ON alias.k = parent.pk`` placed in a query's
    ``alias_map`` (Django renders every entry of it with ``as_sql``)."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None

    def __init__(self, qs: QuerySet, parent_alias: str, table_alias: str, parent_col: str):
        self.qs, self.parent_alias, self.table_alias, self.parent_col = (
            qs,
            parent_alias,
            table_alias,
            parent_col,
        )
        self.table_name = table_alias

    def as_sql(self, compiler, connection):
        sql, params = self.qs.query.get_compiler(connection=connection).as_sql()
        qn = connection.ops.quote_name
        alias = qn(self.table_alias)
        on = f"{alias}.{qn('k')} = {qn(self.parent_alias)}.{qn(self.parent_col)}"
        return f"LEFT OUTER JOIN ({sql}) {alias} ON ({on})", params

    def relabeled_clone(self, change_map):
        return _DerivedJoin(
            self.qs,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.parent_col,
        )

    def equals(self, other) -> bool:
        return self is other

    def promote(self):
        return self

    def demote(self):
        return self


@dataclass
class _Group:
    coll: CollectionDef
    alias: str
    columns: dict = field(default_factory=dict)  # key -> (column, conditions)


class _Plan:
    """The grouped derived tables needed by a criteria set's rules (one per collection)."""

    def __init__(self):
        self.groups: dict[int, _Group] = {}

    def column(self, coll: CollectionDef, key, conds: list):
        g = self.groups.get(id(coll))
        if g is None:
            g = self.groups[id(coll)] = _Group(coll, f"crit_g{len(self.groups)}")
        if key not in g.columns:
            g.columns[key] = (f"c{len(g.columns)}", conds)
        return Coalesce(_RawCol(g.alias, g.columns[key][0]), Value(0), output_field=IntegerField())

    def join_into(self, qs: QuerySet) -> QuerySet:
        if not self.groups:
            return qs
        qs = qs.all()
        q = qs.query
        base = q.get_initial_alias()
        pk_col = q.model._meta.pk.column
        for g in self.groups.values():
            members = g.coll.queryset(None)  # uncorrelated: GROUP BY the owner's key below
            aggs = {}
            for column, conds in g.columns.values():
                if not conds:
                    aggs[column] = Count("pk")
                else:
                    cond = conds[0] if len(conds) == 1 else _BoolOp(*conds, op="AND")
                    aggs[column] = Sum(
                        Case(When(cond, then=Value(1)), default=Value(0), output_field=IntegerField())
                    )
            grouped = members.order_by().values(k=_GroupKey(F(g.coll.key))).annotate(**aggs)
            q.alias_map[g.alias] = _DerivedJoin(grouped, base, g.alias, pk_col)
            q.alias_refcount[g.alias] = 1
        return qs


# ============================================================================ evaluation in SQL


def _entity_for(criteria_set) -> str:
    return SUBJECT_ENTITY[criteria_set.subject_type]


def compile_rule(source: str, entity: str, year: int = 2025):
    """Compile one rule; raises ``RuleError`` (Vietnamese) when it cannot be computed in SQL."""
    return Compiler(entity, year).compile(source)


def check_rule(source: str, entity: str) -> None:
    """Validate a rule for authoring: parses with celpy and compiles to SQL."""
    compile_rule(source, entity, 2025)


def _rule_indicators(criteria_set) -> list:
    return [i for i in criteria_set.indicators if i.rule.strip()]


def annotate_rules(criteria_set, subjects: QuerySet, year: int) -> tuple[QuerySet, dict[str, str]]:
    """``subjects`` annotated with one column per rule-computed indicator; returns (qs, {code: column}).

    Correlated subqueries only (safe to filter, count or nest however the caller likes);
    ``evaluate_rules`` uses the faster set-based plan.
    """
    return _annotate(criteria_set, subjects, year, plan=None)


def _annotate(criteria_set, subjects: QuerySet, year: int, plan: _Plan | None):
    sources = {ind.code: ind.rule for ind in _rule_indicators(criteria_set)}
    return _annotate_sources(_entity_for(criteria_set), sources, subjects, year, plan)


def _annotate_sources(entity: str, sources: dict[str, str], subjects: QuerySet, year: int, plan):
    """``subjects`` annotated with one column per CEL expression of ``sources`` ({key: source})."""
    comp = Compiler(entity, year, plan)
    annotations, columns = {}, {}
    for n, (key, source) in enumerate(sources.items()):
        expr, typ = comp.compile(source)
        col = f"rule_{n}"
        annotations[col] = expr if typ != "bool" else _Bool(expr)
        columns[key] = col
    qs = subjects.annotate(**annotations)
    if plan is not None:
        qs = plan.join_into(qs)
    return qs, columns


class _Bool(Func):
    """A boolean result column (SQLite returns 0/1; Django converts it back to bool)."""

    template = "%(expressions)s"
    output_field = BooleanField()


_AS_BOOL = {0: False, 1: True, None: None}  # SQLite gives 0/1; PostgreSQL's True/False hash as 1/0


def _row_to_dict(codes: list[str], bools: list[int]) -> Callable:
    """``row -> {code: value}`` for rows ``(pk, value, …)``, as one dict display (a million rows
    is the normal case: this is about four times faster than ``dict(zip(...))`` with conversions).
    The generated source holds only column numbers; the codes are passed in as ``K``."""
    items = ", ".join(
        f"K[{i}]: B[r[{i + 1}]]" if i in bools else f"K[{i}]: r[{i + 1}]" for i in range(len(codes))
    )
    return eval(f"lambda r: {{{items}}}", {"K": tuple(codes), "B": _AS_BOOL})  # noqa: S307


def evaluate_rules(criteria_set, subjects: QuerySet, year: int) -> dict[int, dict[str, object]]:
    """``{subject_id: {indicator_code: value}}`` for every rule-computed indicator, computed in SQL.

    One SELECT computes every rule for every subject; rows are read with a plain cursor (no model
    instances, no per-row Django converters) because a million subjects is the normal case.
    """
    sources = {ind.code: ind.rule for ind in _rule_indicators(criteria_set)}
    return _evaluate_sources(_entity_for(criteria_set), sources, subjects, year, grouped=True)


def _evaluate_sources(
    entity: str, sources: dict[str, str], subjects: QuerySet, year: int, *, grouped: bool
) -> dict[int, dict[str, object]]:
    """``{subject_id: {key: value}}`` for the CEL expressions ``sources`` in one SELECT. ``grouped``:
    the set-based plan (one pass per collection: for a large share of a table); otherwise
    correlated subqueries read through the indexes (for a page of subjects in a large registry)."""
    from django.db import connections, transaction

    plan = _Plan() if grouped else None
    qs, columns = _annotate_sources(entity, sources, subjects.order_by(), year, plan=plan)
    if not columns:
        return {pk: {} for pk in subjects.values_list("pk", flat=True)}
    codes = list(columns)
    qs = qs.values_list("pk", *[columns[c] for c in codes])
    is_bool = [isinstance(qs.query.annotations[columns[c]].output_field, BooleanField) for c in codes]
    bools = [i for i, b in enumerate(is_bool) if b]
    sql, params = qs.query.get_compiler(qs.db).as_sql()
    out: dict[int, dict[str, object]] = {}
    conn = connections[qs.db]
    pg = conn.vendor == "postgresql"
    with transaction.atomic(using=qs.db), conn.cursor() as cur:
        if pg and grouped:
            # the lists of title holders are hashed (an uncorrelated IN needs its hash table in
            # work_mem, otherwise PostgreSQL rescans the list for every row); JIT compilation
            # costs more than it saves on these plain scans. Restored below.
            cur.execute("SELECT current_setting('work_mem'), current_setting('jit')")
            saved = cur.fetchone()
            cur.execute("SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)")
        cur.execute(sql, params)
        row_dict = _row_to_dict(codes, bools)
        while True:
            rows = cur.fetchmany(50000)
            if not rows:
                break
            out.update({row[0]: row_dict(row) for row in rows})
        if pg and grouped:
            cur.execute("SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)", saved)
    return out


# ============================================================================ reference evaluator (celpy)


def _cel(value):
    if value is None:
        return None  # celpy compares Python None with the literal null; NullType() != null
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.IntType(value)
    if isinstance(value, float):
        return celtypes.DoubleType(value)
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, list):
        return celtypes.ListType([_cel(v) for v in value])
    if isinstance(value, dict):
        return celtypes.MapType({celtypes.StringType(k): _cel(v) for k, v in value.items()})
    raise TypeError(value)


def _py(value):
    if value is None or isinstance(value, celtypes.NullType):
        return None
    if isinstance(value, celtypes.BoolType):
        return bool(value)
    if isinstance(value, celtypes.IntType):
        return int(value)
    if isinstance(value, celtypes.DoubleType):
        return float(value)
    if isinstance(value, celtypes.StringType):
        return str(value)
    return value


def _cel_ratio(a, b):
    if b is None or isinstance(b, celtypes.NullType) or a is None or isinstance(a, celtypes.NullType):
        return None
    if float(b) == 0.0:
        return None
    return celtypes.DoubleType(float(a) / float(b))


CEL_FUNCTIONS = {"ratio": _cel_ratio}


def _holds(title, subject_type, ids, year) -> set[int]:
    from xhht.recognition.models import Recognition

    start = dt.date(year, 1, 1)
    rows = Recognition.objects.filter(
        title=title,
        subject_type=subject_type,
        subject_id__in=list(ids),
        revoked_at__isnull=True,
        year__lte=year,
    ).values_list("subject_id", "valid_to")
    return {sid for sid, vt in rows if vt is None or vt >= start}


def _person_data(p, year) -> dict:
    return {
        "age": (year - p.birth_year) if p.birth_year is not None else None,
        "birth_year": p.birth_year,
        "sex": p.sex,
        "ethnicity": p.ethnicity,
        "occupation": p.occupation,
        "education_level": p.education_level,
        "technical_qualification": p.technical_qualification,
        "it_competency": p.it_competency,
        "digital_skill": p.digital_skill,
        "foreign_language": p.foreign_language,
        "life_skills": p.life_skills,
        "literacy": p.literacy,
        "status": p.status,
        "cdht": bool(_holds(Title.CDHT, SubjectType.PERSON, [p.pk], year)),
    }


def _household_data(h, year) -> dict:
    members = [m.person for m in h.members.filter(valid_to__isnull=True).select_related("person")]
    return {
        "gdht": bool(_holds(Title.GDHT, SubjectType.HOUSEHOLD, [h.pk], year)),
        "members": [_person_data(p, year) for p in members],
    }


def subject_data(entity: str, obj, year: int) -> dict:
    """The subject as plain data (the reference model of ``SCHEMA``), built with ordinary ORM reads."""
    from xhht.registry.models import Household, Person, PersonStatus

    if entity == "person":
        return _person_data(obj, year)
    if entity == "household":
        return _household_data(obj, year)
    if entity == "clan":
        return {
            "households": [
                _household_data(ch.household, year)
                for ch in obj.memberships.filter(valid_to__isnull=True).select_related("household")
            ]
        }
    if entity == "organisation":
        staff = [m.person for m in obj.staff.filter(valid_to__isnull=True).select_related("person")]
        return {"kind": obj.kind, "level": obj.level, "staff": [_person_data(p, year) for p in staff]}
    if entity == "unit":
        return {
            "kind": obj.kind,
            "level": obj.level,
            "households": [
                _household_data(h, year) for h in Household.objects.filter(unit_path__startswith=obj.path)
            ],
            "residents": [
                _person_data(p, year)
                for p in Person.objects.filter(unit_path__startswith=obj.path, status=PersonStatus.ACTIVE)
            ],
        }
    if entity == "centre":
        staff = [m.person for m in obj.staff.filter(valid_to__isnull=True).select_related("person")]
        return {
            "hkh_in_management": obj.hkh_in_management,
            "uses_it_management": obj.uses_it_management,
            "uses_it_activities": obj.uses_it_activities,
            "staff": [_person_data(p, year) for p in staff],
        }
    raise KeyError(entity)


def cel_evaluate(source: str, activation: dict):
    """Evaluate CEL with celpy; an evaluation error (unknown value, division by zero…) gives None."""
    env = _env()
    prog = env.program(parse(source), functions=CEL_FUNCTIONS)
    act = {k: v if type(v).__module__ == celtypes.__name__ else _cel(v) for k, v in activation.items()}
    try:
        return _py(prog.evaluate(act))
    except (celpy.CELEvalError, ZeroDivisionError):
        return None


def reference_values(criteria_set, subject, year: int) -> dict[str, object]:
    """Rule values of one subject computed by celpy (the reference for ``evaluate_rules``)."""
    entity = _entity_for(criteria_set)
    data = subject_data(entity, subject, year)
    act = {"subject": data, entity: data, "year": year}
    return {ind.code: cel_evaluate(ind.rule, act) for ind in _rule_indicators(criteria_set)}


@dataclass
class Explanation:
    code: str
    rule: str
    value: object
    inputs: dict[str, object]  # "person.digital_skill" → 2, "size(organisation.staff)" → 40


_FIELD_RE = re.compile(r"\b(subject|person|household|clan|organisation|unit|centre)\.([a-z_]+)\b")


def explain_rules(criteria_set, subject, year: int) -> dict[str, Explanation]:
    """For one subject: each rule's value and the subject's data it read (shown beside pre-filled indicators)."""
    entity = _entity_for(criteria_set)
    data = subject_data(entity, subject, year)
    act = {"subject": data, entity: data, "year": year}
    out = {}
    for ind in _rule_indicators(criteria_set):
        inputs = {}
        for var, attr in _FIELD_RE.findall(ind.rule):
            if attr in data:
                v = data[attr]
                inputs[f"{var}.{attr}"] = len(v) if isinstance(v, list) else v
        out[ind.code] = Explanation(ind.code, ind.rule, cel_evaluate(ind.rule, act), inputs)
    return out


def _input_sources(rule: str, entity: str) -> dict[str, str]:
    """The subject's data a rule reads, as CEL expressions: ``person.digital_skill`` →
    ``person.digital_skill``, ``organisation.staff`` → ``size(organisation.staff)`` (as
    ``explain_rules`` shows a collection: by its size)."""
    spec = SCHEMA[entity]
    out = {}
    for var, attr in _FIELD_RE.findall(rule):
        if var not in ("subject", entity):
            continue
        if attr in spec["fields"]:
            out[f"{var}.{attr}"] = f"{var}.{attr}"
        elif attr in spec["collections"]:
            out[f"{var}.{attr}"] = f"size({var}.{attr})"
    return out


def explain_rules_many(
    criteria_set, subjects: QuerySet, year: int, *, grouped: bool = False
) -> dict[int, dict[str, Explanation]]:
    """``explain_rules`` for many subjects at once, computed in SQL: every rule and every piece of
    data it reads is one column of ONE SELECT over ``subjects`` (a village's 300 files are one
    query, not 300 × the subject's rows). ``grouped`` picks the set-based plan (``evaluate_rules``);
    the default reads each subject through the indexes (correlated subqueries), which is what a
    page of files in a large registry needs."""
    entity = _entity_for(criteria_set)
    rules = _rule_indicators(criteria_set)
    sources: dict[str, str] = {}
    inputs_of: dict[str, dict[str, str]] = {}
    for n, ind in enumerate(rules):
        sources[f"r{n}"] = ind.rule
        inputs_of[ind.code] = {}
        for label, src in _input_sources(ind.rule, entity).items():
            key = f"i:{src}"
            sources.setdefault(key, src)
            inputs_of[ind.code][label] = key
    if not rules:
        return {pk: {} for pk in subjects.values_list("pk", flat=True)}
    rows = _evaluate_sources(entity, sources, subjects, year, grouped=grouped)
    out: dict[int, dict[str, Explanation]] = {}
    for pk, vals in rows.items():
        out[pk] = {
            ind.code: Explanation(
                ind.code,
                ind.rule,
                vals[f"r{n}"],
                {label: vals[key] for label, key in inputs_of[ind.code].items()},
            )
            for n, ind in enumerate(rules)
        }
    return out


# ============================================================================ outcome conditions


def split_conjuncts(source: str) -> list[str]:
    """Top-level ``&&`` parts of an expression (outside brackets and strings)."""
    parts, depth, buf, i, quote = [], 0, [], 0, None
    while i < len(source):
        ch = source[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and i + 1 < len(source):
                buf.append(source[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
            buf.append(ch)
        elif ch in "([{":
            depth += 1
            buf.append(ch)
        elif ch in ")]}":
            depth -= 1
            buf.append(ch)
        elif ch == "&" and source[i : i + 2] == "&&" and depth == 0:
            parts.append("".join(buf).strip())
            buf = []
            i += 2
            continue
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf).strip())
    return [p for p in parts if p]


def _outcome_activation(values: dict, total, groups, criteria) -> dict:
    def num(v):
        if v is None:
            return None
        if isinstance(v, bool):
            return v
        return float(v)

    return {
        "total": float(total),
        "indicators": {k: num(v) for k, v in values.items() if v is not None},
        "groups": {k: float(v) for k, v in groups.items()},
        "criteria": {k: float(v) for k, v in criteria.items()},
    }


def check_outcome_condition(source: str) -> None:
    """Validate an outcome condition for authoring (parses it; evaluates it on an empty sheet)."""
    parse(source)


def outcome_condition_failures(rule, values: dict, total, groups, criteria) -> list[str]:
    """Vietnamese reasons why ``rule.condition`` does not hold (one per failing ``&&`` part)."""
    act = _outcome_activation(values, total, groups, criteria)
    if cel_evaluate(rule.condition, act) is True:
        return []
    if rule.message:
        return [rule.message]
    fails = []
    for part in split_conjuncts(rule.condition):
        if cel_evaluate(part, act) is not True:
            fails.append(_("Chưa đạt điều kiện: %(cond)s") % {"cond": part})
    return fails or [_("Chưa đạt điều kiện: %(cond)s") % {"cond": rule.condition}]


def schema_help() -> list[dict]:
    """The vocabulary for the authoring page."""
    rows = []
    for ent, spec in SCHEMA.items():
        for name, fd in spec["fields"].items():
            rows.append({"entity": ent, "name": f"{ent}.{name}", "type": fd.type, "label": fd.label})
        for name, cd in spec["collections"].items():
            rows.append(
                {"entity": ent, "name": f"{ent}.{name}", "type": f"list<{cd.element}>", "label": cd.label}
            )
    return rows
