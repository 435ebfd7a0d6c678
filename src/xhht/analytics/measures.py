# ruff: noqa: S608  -- SQL is assembled from model table names and fixed fragments; values are parameters.
"""Measures: named counts per (unit path, year) over the registries, recognition facts and approved
aggregate data sets. Indicators (``plans.Indicator``) are ratios of measures.

Measures come in *families*: one SQL statement computes every measure of a family, grouped by the
recorded ``unit_path`` and year. The same statement serves the full rebuild (no filter), the
incremental refresh (filtered to a few leaf keys and one year) and live village figures (one path).

``year`` 0 marks snapshot measures: registry counts as of today (the registries hold the present,
not yearly snapshots; ages are taken in the current year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import subtree_range
from xhht.core.titles import Title

Row = tuple[str, str, int, int]  # measure, path, year, value


@dataclass
class Scope:
    """Which leaf keys to recount. ``keys``: leaf keys (a commune key covers its subtree, any other
    key only itself). ``exact``: only rows recorded exactly at this path, or at these paths (a village's
    live figures; the villages of one commune together)."""

    keys: list[str] = field(default_factory=list)
    commune_keys: set[str] = field(default_factory=set)
    exact: str | list[str] | None = None

    def sql(self, col: str) -> tuple[str, list]:
        if isinstance(self.exact, str):
            return f" AND {col} = %s", [self.exact]
        if self.exact is not None:  # several exact paths (the villages of a commune, in one statement)
            exact = list(self.exact)
            return f" AND {col} IN ({', '.join(['%s'] * len(exact))})", exact
        parts, params = [], []
        for k in self.keys:
            if k in self.commune_keys:
                lo, hi = subtree_range(k)
                parts.append(f"({col} >= %s AND {col} < %s)")
                params += [lo, hi]
            else:
                parts.append(f"{col} = %s")
                params.append(k)
        if not parts:
            return " AND 1 = 0", []
        return " AND (" + " OR ".join(parts) + ")", params

    def parts(self, col: str) -> Iterator[tuple[str, list]]:
        """``sql`` split into its ranges (a commune each) and one list of the other paths, for
        statements that should seek an index once per part rather than OR them together."""
        if self.exact is not None:
            yield self.sql(col)
            return
        others = [k for k in self.keys if k not in self.commune_keys]
        for k in self.keys:
            if k in self.commune_keys:
                yield Scope(keys=[k], commune_keys=self.commune_keys).sql(col)
        if others:
            yield f" AND {col} IN ({', '.join(['%s'] * len(others))})", others


def _t(label: str) -> str:
    from django.apps import apps

    return connection.ops.quote_name(apps.get_model(label)._meta.db_table)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _fetch_without_jit(sql: str, params: list) -> list[tuple]:
    """PostgreSQL: ``_fetch`` with JIT compilation off — the per-person lookups below are estimated
    expensive enough to compile (a second), and finish in a fraction of that. Restored after."""
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('jit')")
        (saved,) = cur.fetchone()
        cur.execute("SELECT set_config('jit', 'off', false)")
        restore = ("SELECT set_config('jit', %s, false)", [saved])
        try:
            cur.execute(sql, params)
            rows = cur.fetchall()
        except Exception:
            if not connection.in_atomic_block:  # an aborted transaction takes the setting back itself
                cur.execute(*restore)
            raise
        cur.execute(*restore)
        return rows


def _year_sql(col: str, year: int | None) -> tuple[str, list]:
    return (f" AND {col} = %s", [year]) if year is not None else ("", [])


def this_year() -> int:
    return dt.date.today().year


class Family:
    code: str = ""
    measures: dict[str, str] = {}
    titles: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    yearly: bool = True
    person_based: bool = False  # grouped by where people live, not where the fact was recorded

    def rows(self, *, year: int | None = None, scope: Scope | None = None) -> Iterator[Row]:
        raise NotImplementedError

    def related_paths(
        self, *, scope: Scope, labels: Iterable[str] = (), title: str | None = None, year: int | None = None
    ) -> set[str]:
        """Where else this family's counts may change when rows of ``labels`` (registry models) or
        recognitions of ``title`` in ``year`` changed under ``scope``: the paths its counts are grouped
        by that the changed rows do not carry themselves (a clan's households in other communes, the
        organisations a recognised person works for). None by default."""
        return set()


def _paths(sql: str, params: list) -> set[str]:
    return {p for (p,) in _fetch(sql, params) if p}


def _each_part(
    scope: Scope, col: str, sql: str, params_before: list = (), params_after: list = ()
) -> set[str]:
    """``sql`` (with ``{scope}`` where the scope's condition on ``col`` goes) run once per part of the
    scope, its first column collected."""
    out: set[str] = set()
    for s_sql, s_p in scope.parts(col):
        out |= _paths(sql.replace("{scope}", s_sql), [*params_before, *s_p, *params_after])
    return out


class RecognitionFamily(Family):
    code = "rec"
    # lazy: the label is put together in the reader's language when shown, not at import
    measures = {f"rec:{t.value}": format_lazy(_("Số được công nhận {t}"), t=t.label) for t in Title}
    titles = frozenset(Title.values)
    table = "recognition.Recognition"
    prefix = "rec"
    where = "revoked_at IS NULL"

    def rows(self, *, year=None, scope=None, title: str | None = None):
        y_sql, y_p = _year_sql("year", year)
        s_sql, s_p = scope.sql("unit_path") if scope else ("", [])
        t_sql, t_p = (" AND title = %s", [title]) if title else ("", [])
        if scope is not None and title is None and self.covering:
            # every title and year spelled out, so a few paths are found by probing the rollup index
            # (title, year, unit_path) instead of reading it all (PostgreSQL has no skip scan)
            t_sql, t_p = f" AND title IN ({', '.join(['%s'] * len(self.titles))})", sorted(self.titles)
            if year is None:
                with connection.cursor() as cur:
                    ys = _years(cur, sorted(self.titles), None)
                if not ys:
                    return
                y_sql, y_p = f" AND year IN ({', '.join(['%s'] * len(ys))})", ys
        sql = (
            f"SELECT title, unit_path, year, COUNT(*) FROM {_t(self.table)} WHERE {self.where}"
            f"{y_sql}{s_sql}{t_sql} GROUP BY title, unit_path, year"
        )
        for t, path, y, n in _fetch(sql, y_p + s_p + t_p):
            yield f"{self.prefix}:{t}", path, y, n

    covering = True  # the full count may read the indexes only (SQLite, ``columnar``)


class RegistrationFamily(RecognitionFamily):
    code = "reg"
    measures = {f"reg:{t.value}": format_lazy(_("Số đăng ký {t}"), t=t.label) for t in Title}
    table = "recognition.Registration"
    prefix = "reg"
    where = "status = 'registered'"
    covering = False


class PeopleFamily(Family):
    code = "people"
    yearly = False
    models = frozenset({"registry.Person"})
    measures = {
        "people": _("Số người đang cư trú"),
        "people_15": _("Số người từ 15 tuổi trở lên"),
        "working_age": _("Số người trong độ tuổi lao động (15–60)"),
        "working_age_it": _("Người trong độ tuổi lao động có năng lực CNTT"),
        "working_age_lifeskills": _("Người trong độ tuổi lao động có kỹ năng sống"),
        "people_15_tech": _("Người từ 15 tuổi có trình độ chuyên môn kỹ thuật"),
        "people_15_univ": _("Người từ 15 tuổi có trình độ đại học trở lên"),
    }

    def rows(self, *, year=None, scope=None):
        y = this_year()
        a15, a60 = y - 15, y - 60
        s_sql, s_p = scope.sql("unit_path") if scope else ("", [])
        wa = f"birth_year <= {a15} AND birth_year >= {a60}"
        sql = (
            "SELECT unit_path, COUNT(*),"
            f" SUM(CASE WHEN birth_year <= {a15} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {wa} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {wa} AND it_competency THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {wa} AND life_skills THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN birth_year <= {a15} AND technical_qualification <> 'khong' THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN birth_year <= {a15} AND technical_qualification = 'dai_hoc' THEN 1 ELSE 0 END)"
            f" FROM {_t('registry.Person')} WHERE status = 'active'{s_sql} GROUP BY unit_path"
        )
        names = list(self.measures)
        for row in _fetch(sql, s_p):
            for m, v in zip(names, row[1:], strict=True):
                yield m, row[0], 0, int(v or 0)


class CountFamily(Family):
    """Simple counts of registry rows (snapshot)."""

    yearly = False

    def __init__(self, code, measure, label, model, where, path_col="unit_path"):
        self.code = code
        self.measures = {measure: label}
        self.models = frozenset({model})
        self.model = model
        self.where = where
        self.path_col = path_col

    def rows(self, *, year=None, scope=None):
        s_sql, s_p = scope.sql(self.path_col) if scope else ("", [])
        (m,) = self.measures
        sql = (
            f"SELECT {self.path_col}, COUNT(*) FROM {_t(self.model)} WHERE {self.where}{s_sql}"
            f" GROUP BY {self.path_col}"
        )
        for path, n in _fetch(sql, s_p):
            yield m, path, 0, n


class CentreFamily(Family):
    code = "centres"
    yearly = False
    models = frozenset({"registry.LearningCentre"})
    measures = {
        "centres": _("Số TTHTCĐ"),
        "centres_it": _("TTHTCĐ ứng dụng CNTT"),
        "centres_hkh": _("TTHTCĐ có Chủ tịch/Phó Chủ tịch HKH xã trong ban quản lý"),
    }

    def rows(self, *, year=None, scope=None):
        s_sql, s_p = scope.sql("unit_path") if scope else ("", [])
        true = "TRUE" if connection.vendor == "postgresql" else "1"
        sql = (
            "SELECT unit_path, COUNT(*),"
            f" SUM(CASE WHEN uses_it_management = {true} OR uses_it_activities = {true} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN hkh_in_management = {true} THEN 1 ELSE 0 END)"
            f" FROM {_t('registry.LearningCentre')} WHERE valid_to IS NULL AND merged_into_id IS NULL{s_sql}"
            " GROUP BY unit_path"
        )
        for path, n, it, hkh in _fetch(sql, s_p):
            yield "centres", path, 0, n
            yield "centres_it", path, 0, int(it or 0)
            yield "centres_hkh", path, 0, int(hkh or 0)


class AssociationFamily(Family):
    code = "association"
    yearly = False
    models = frozenset({"registry.AssociationMember", "registry.TrainingAttendance", "registry.Training"})
    measures = {
        "members": _("Số hội viên Hội Khuyến học"),
        "members_briefed": _("Hội viên đã được quán triệt, tập huấn"),
        "officers": _("Số cán bộ Hội Khuyến học"),
        "officers_it_centre": _("Cán bộ hội tham gia hoạt động TTHTCĐ và được bồi dưỡng CNTT"),
    }

    def rows(self, *, year=None, scope=None):
        s_sql, s_p = scope.sql("m.unit_path") if scope else ("", [])
        ta, tr = _t("registry.TrainingAttendance"), _t("registry.Training")

        def has(kind):
            return (
                f"EXISTS (SELECT 1 FROM {ta} a JOIN {tr} t ON t.id = a.training_id"
                f" WHERE a.member_id = m.id AND t.kind = '{kind}')"
            )

        true = "TRUE" if connection.vendor == "postgresql" else "1"
        sql = (
            "SELECT m.unit_path, COUNT(*),"
            f" SUM(CASE WHEN {has('quan_triet')} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN m.is_officer = {true} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN m.is_officer = {true} AND {has('cntt')} AND {has('tthtcd')} THEN 1 ELSE 0 END)"
            f" FROM {_t('registry.AssociationMember')} m WHERE m.left IS NULL{s_sql} GROUP BY m.unit_path"
        )
        for path, n, briefed, officers, it in _fetch(sql, s_p):
            yield "members", path, 0, n
            yield "members_briefed", path, 0, int(briefed or 0)
            yield "officers", path, 0, int(officers or 0)
            yield "officers_it_centre", path, 0, int(it or 0)


class LearningFamilyFamily(Family):
    """Adults (15+ in the year) living in a household recognised GĐHT, a household of a clan
    recognised DHHT, or a village recognised CĐHT that year — and how many of them hold CDHT."""

    code = "lf"
    person_based = True
    titles = frozenset({Title.GDHT, Title.DHHT, Title.CDHT_THON, Title.CDHT})
    models = frozenset({"registry.HouseholdMember", "registry.ClanHousehold", "registry.Person"})
    measures = {
        "adults_in_lf": _("Người lớn trong GĐHT, DHHT, CĐHT"),
        "cdht_in_lf": _("Người lớn trong GĐHT, DHHT, CĐHT đạt CDHT"),
    }

    def rows(self, *, year=None, scope=None):
        """Every person (no scope; the full rebuild counts in columns instead:
        ``columnar.learning_family_frame``) or the people of a few communes or villages (``_scoped``)."""
        if scope is not None:
            yield from self._scoped(year, scope)
            return
        rec, hm, ch, person = (
            _t("recognition.Recognition"),
            _t("registry.HouseholdMember"),
            _t("registry.ClanHousehold"),
            _t("registry.Person"),
        )
        y_sql, y_p = _year_sql("r.year", year)
        live = "r.revoked_at IS NULL"
        # CDHT holders: one active recognition per person and year (unique constraint), so a join
        cy_sql, cy_p = _year_sql("year", year)
        sql = (
            "SELECT p.unit_path, x.year, COUNT(*), SUM(CASE WHEN c.cid IS NULL THEN 0 ELSE 1 END)"
            " FROM (SELECT DISTINCT pid, year FROM ("
            f"  SELECT hm.person_id AS pid, r.year AS year FROM {rec} r JOIN {hm} hm"
            "    ON hm.household_id = r.subject_id AND hm.valid_to IS NULL"
            f"   WHERE r.title = 'GDHT' AND r.subject_type = 'household' AND {live}{y_sql}"
            f"  UNION ALL SELECT hm.person_id, r.year FROM {rec} r CROSS JOIN {ch} ch JOIN {hm} hm"
            "    ON hm.household_id = ch.household_id AND hm.valid_to IS NULL"
            f"   WHERE ch.clan_id = r.subject_id AND ch.valid_to IS NULL"
            f"   AND r.title = 'DHHT' AND r.subject_type = 'clan' AND {live}{y_sql}"
            f"  UNION ALL SELECT p2.id, r.year FROM {rec} r JOIN {person} p2 ON p2.village_id = r.subject_id"
            f"   WHERE r.title = 'CDHT_THON' AND r.subject_type = 'unit' AND {live}{y_sql}"
            f" ) u) x JOIN {person} p ON p.id = x.pid"
            f" LEFT JOIN (SELECT subject_id AS cid, year AS cyear FROM {rec} WHERE title = 'CDHT'"
            f"   AND subject_type = 'person' AND revoked_at IS NULL{cy_sql}) c ON c.cid = p.id AND c.cyear = x.year"
            " WHERE p.status = 'active' AND p.birth_year <= x.year - 15"
            " GROUP BY p.unit_path, x.year"
        )
        for path, y, n, cdht in _fetch(sql, y_p + y_p + y_p + cy_p):
            yield "adults_in_lf", path, y, n
            yield "cdht_in_lf", path, y, int(cdht or 0)

    def related_paths(self, *, scope, labels=(), title=None, year=None):
        """People counted by where they live now: the members of the households whose GĐHT changed, of
        the clans' households whose DHHT changed, the holders whose CDHT changed, the members of the
        households that joined or left a clan (revoked recognitions and ended links count too: the
        people they covered must be recounted)."""
        rec, hm, ch, person, hh, clan = (
            _t("recognition.Recognition"),
            _t("registry.HouseholdMember"),
            _t("registry.ClanHousehold"),
            _t("registry.Person"),
            _t("registry.Household"),
            _t("registry.Clan"),
        )
        y_sql, y_p = _year_sql("r.year", year)
        members = f"CROSS JOIN {hm} hm CROSS JOIN {person} p"
        current = "hm.valid_to IS NULL AND p.id = hm.person_id"
        out: set[str] = set()
        if title == Title.GDHT:
            out |= _each_part(
                scope,
                "r.unit_path",
                f"SELECT DISTINCT p.unit_path FROM {rec} r {members} WHERE r.title = 'GDHT'"
                f" AND r.subject_type = 'household'{y_sql}{{scope}} AND hm.household_id = r.subject_id AND {current}",
                y_p,
            )
        elif title == Title.DHHT:
            out |= _each_part(
                scope,
                "r.unit_path",
                f"SELECT DISTINCT p.unit_path FROM {rec} r CROSS JOIN {ch} ch {members} WHERE r.title = 'DHHT'"
                f" AND r.subject_type = 'clan'{y_sql}{{scope}} AND ch.clan_id = r.subject_id"
                f" AND ch.valid_to IS NULL AND hm.household_id = ch.household_id AND {current}",
                y_p,
            )
        elif title == Title.CDHT:
            out |= _each_part(
                scope,
                "r.unit_path",
                f"SELECT DISTINCT p.unit_path FROM {rec} r CROSS JOIN {person} p WHERE r.title = 'CDHT'"
                f" AND r.subject_type = 'person'{y_sql}{{scope}} AND p.id = r.subject_id",
                y_p,
            )
        if "registry.ClanHousehold" in labels:
            for table, alias, key in ((clan, "c", "ch.clan_id"), (hh, "h", "ch.household_id")):
                out |= _each_part(
                    scope,
                    f"{alias}.unit_path",
                    f"SELECT DISTINCT p.unit_path FROM {table} {alias} CROSS JOIN {ch} ch {members}"
                    f" WHERE 1 = 1{{scope}} AND {key} = {alias}.id AND hm.household_id = ch.household_id"
                    f" AND {current}",
                )
        return out

    def _scoped(self, year, scope):
        """The people of a few communes (a refresh) or villages (live figures), driven from them
        through the path index: each person's current household, its clans and village, and the
        recognitions of those — wherever they were recorded (a clan recognised in one commune has
        households in others; a household keeps its recognition when a member moves away)."""
        rec, hm, ch, person = (
            _t("recognition.Recognition"),
            _t("registry.HouseholdMember"),
            _t("registry.ClanHousehold"),
            _t("registry.Person"),
        )
        y_sql, y_p = _year_sql("r.year", year)
        cy_sql, cy_p = _year_sql("year", year)
        if connection.vendor == "postgresql":
            yield from self._scoped_pg(year, scope)
            return
        # one statement per range or list of paths: SQLite seeks the path index for each, where an OR
        # of many ranges may make it scan the people
        for o_sql, o_p in scope.parts("p.unit_path"):
            adult = (
                f"p.status = 'active' AND p.birth_year <= r.year - 15 AND r.revoked_at IS NULL{y_sql}{o_sql}"
            )
            # CROSS JOIN: SQLite keeps this order (the scoped people first); PostgreSQL plans it as
            # the inner join it is
            sql = (
                "SELECT x.path, x.year, COUNT(*), SUM(CASE WHEN c.cid IS NULL THEN 0 ELSE 1 END)"
                " FROM (SELECT DISTINCT pid, path, year FROM ("
                f"  SELECT p.id AS pid, p.unit_path AS path, r.year AS year FROM {person} p"
                f"   CROSS JOIN {hm} hm CROSS JOIN {rec} r"
                "   WHERE hm.person_id = p.id AND hm.valid_to IS NULL AND r.subject_id = hm.household_id"
                f"   AND r.subject_type = 'household' AND r.title = 'GDHT' AND {adult}"
                f"  UNION ALL SELECT p.id, p.unit_path, r.year FROM {person} p"
                f"   CROSS JOIN {hm} hm CROSS JOIN {ch} ch CROSS JOIN {rec} r"
                "   WHERE hm.person_id = p.id AND hm.valid_to IS NULL AND ch.household_id = hm.household_id"
                "   AND ch.valid_to IS NULL AND r.subject_id = ch.clan_id AND r.subject_type = 'clan'"
                f"   AND r.title = 'DHHT' AND {adult}"
                f"  UNION ALL SELECT p.id, p.unit_path, r.year FROM {person} p CROSS JOIN {rec} r"
                "   WHERE r.subject_id = p.village_id AND r.subject_type = 'unit' AND r.title = 'CDHT_THON'"
                f"   AND {adult}"
                " ) u) x"
                f" LEFT JOIN (SELECT subject_id AS cid, year AS cyear FROM {rec} WHERE title = 'CDHT'"
                f"   AND subject_type = 'person' AND revoked_at IS NULL{cy_sql}) c"
                "   ON c.cid = x.pid AND c.cyear = x.year"
                " GROUP BY x.path, x.year"
            )
            params = (y_p + o_p) * 3 + cy_p
            for path, y, n, cdht in _fetch(sql, params):
                yield "adults_in_lf", path, y, n
                yield "cdht_in_lf", path, y, int(cdht or 0)

    def _scoped_pg(self, year, scope):
        """PostgreSQL: the same count, each person's covered years in a LATERAL subquery. A set
        operation is never pulled up into the outer query, so it runs once per scoped person on the
        indexes (member by person, recognitions by subject); left to plan the joins itself,
        PostgreSQL misjudged how many recognitions a title has and hashed whole tables (seconds)."""
        rec, hm, ch, person = (
            _t("recognition.Recognition"),
            _t("registry.HouseholdMember"),
            _t("registry.ClanHousehold"),
            _t("registry.Person"),
        )
        y_sql, y_p = _year_sql("r.year", year)
        live = f"r.revoked_at IS NULL{y_sql}"
        sql_head = (
            "SELECT p.unit_path, y.year, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM"
            f" {rec} c WHERE c.title = 'CDHT' AND c.subject_type = 'person' AND c.subject_id = p.id"
            " AND c.year = y.year AND c.revoked_at IS NULL) THEN 1 ELSE 0 END)"
            f" FROM {person} p CROSS JOIN LATERAL ("
            f"  SELECT r.year FROM {hm} hm JOIN {rec} r ON r.subject_id = hm.household_id"
            f"   AND r.subject_type = 'household' AND r.title = 'GDHT' AND {live}"
            "   WHERE hm.person_id = p.id AND hm.valid_to IS NULL"
            f"  UNION SELECT r.year FROM {hm} hm JOIN {ch} ch ON ch.household_id = hm.household_id"
            f"   AND ch.valid_to IS NULL JOIN {rec} r ON r.subject_id = ch.clan_id AND r.subject_type = 'clan'"
            f"   AND r.title = 'DHHT' AND {live} WHERE hm.person_id = p.id AND hm.valid_to IS NULL"
            f"  UNION SELECT r.year FROM {rec} r WHERE r.subject_id = p.village_id AND r.subject_type = 'unit'"
            f"   AND r.title = 'CDHT_THON' AND {live}"
            " ) y WHERE p.status = 'active' AND p.birth_year <= y.year - 15"
        )
        # one range per statement, as on SQLite (the path index seeks once)
        for o_sql, o_p in scope.parts("p.unit_path"):
            sql = f"{sql_head}{o_sql} GROUP BY p.unit_path, y.year"
            for path, y, n, cdht in _fetch_without_jit(sql, y_p * 3 + o_p):
                yield "adults_in_lf", path, y, n
                yield "cdht_in_lf", path, y, int(cdht or 0)


def _years(cur, titles: Iterable[str], year: int | None) -> list[int]:
    """The years recognitions of ``titles`` span (index seeks on the rollup index, no scan)."""
    if year is not None:
        return [year]
    lo, hi = None, None
    rec = _t("recognition.Recognition")
    for t in titles:
        # two statements: SQLite seeks the index for a lone MIN or MAX, but scans it for both at once
        cur.execute(f"SELECT MIN(year) FROM {rec} WHERE title = %s", [t])
        (a,) = cur.fetchone()
        cur.execute(f"SELECT MAX(year) FROM {rec} WHERE title = %s", [t])
        (b,) = cur.fetchone()
        if a is not None:
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
    return [] if lo is None else list(range(lo, hi + 1))


class LearningUnitFamily(Family):
    """Staff of organisations recognised ĐVHT in the year — and how many of them hold CDHT."""

    code = "lu"
    titles = frozenset({Title.DVHT, Title.CDHT})
    models = frozenset({"registry.OrgMembership"})
    measures = {
        "staff_in_lu": _("Cán bộ, công chức, viên chức, người lao động trong ĐVHT"),
        "cdht_in_lu": _("Cán bộ trong ĐVHT đạt CDHT"),
    }

    def related_paths(self, *, scope, labels=(), title=None, year=None):
        """Counted where the ĐVHT was recorded: the recognitions of the organisations whose staff
        changed, and of those a person whose CDHT changed works for (often in another commune)."""
        rec, om, org = (
            _t("recognition.Recognition"),
            _t("registry.OrgMembership"),
            _t("registry.Organisation"),
        )
        dvht = "r.subject_type = 'organisation' AND r.title = 'DVHT' AND r.revoked_at IS NULL"
        out: set[str] = set()
        if "registry.OrgMembership" in labels:
            out |= _each_part(
                scope,
                "o.unit_path",
                f"SELECT DISTINCT r.unit_path FROM {org} o CROSS JOIN {rec} r"
                f" WHERE 1 = 1{{scope}} AND r.subject_id = o.id AND {dvht}",
            )
        if title == Title.CDHT:
            y_sql, y_p = _year_sql("c.year", year)
            out |= _each_part(
                scope,
                "c.unit_path",
                f"SELECT DISTINCT r.unit_path FROM {rec} c CROSS JOIN {om} om CROSS JOIN {rec} r"
                f" WHERE c.title = 'CDHT' AND c.subject_type = 'person'{y_sql}{{scope}}"
                " AND om.person_id = c.subject_id AND om.valid_to IS NULL"
                f" AND r.subject_id = om.organisation_id AND r.year = c.year AND {dvht}",
                y_p,
            )
        return out

    def rows(self, *, year=None, scope=None):
        rec, om = _t("recognition.Recognition"), _t("registry.OrgMembership")
        y_sql, y_p = _year_sql("r.year", year)
        y2_sql, y2_p = _year_sql("year", year)
        s_sql, s_p = scope.sql("r.unit_path") if scope else ("", [])
        sql = (
            "SELECT x.unit_path, x.year, COUNT(*), SUM(CASE WHEN c.cid IS NULL THEN 0 ELSE 1 END)"
            f" FROM (SELECT DISTINCT r.unit_path AS unit_path, r.year AS year, om.person_id AS pid FROM {rec} r"
            f"  JOIN {om} om ON om.organisation_id = r.subject_id AND om.valid_to IS NULL"
            f"  WHERE r.title = 'DVHT' AND r.subject_type = 'organisation' AND r.revoked_at IS NULL{y_sql}{s_sql}"
            " ) x"
            f" LEFT JOIN (SELECT subject_id AS cid, year AS cyear FROM {rec} WHERE title = 'CDHT'"
            f"   AND subject_type = 'person' AND revoked_at IS NULL{y2_sql}) c ON c.cid = x.pid AND c.cyear = x.year"
            " GROUP BY x.unit_path, x.year"
        )
        for path, y, n, cdht in _fetch(sql, y_p + s_p + y2_p):
            yield "staff_in_lu", path, y, n
            yield "cdht_in_lu", path, y, int(cdht or 0)


class DigitalFamily(Family):
    """CDHT holders of the year with digital skills (TT 02/2025 level ≥ 1), and proficient (≥ 2)."""

    code = "digital"
    titles = frozenset({Title.CDHT})
    models = frozenset({"registry.Person"})
    measures = {
        "cdht_digital": _("Người đạt CDHT có kỹ năng số"),
        "cdht_digital_pro": _("Người đạt CDHT thành thạo kỹ năng số"),
    }

    def related_paths(self, *, scope, labels=(), title=None, year=None):
        """Counted where the CDHT was recorded: the recognitions of the people whose record changed."""
        if "registry.Person" not in labels:
            return set()
        rec, person = _t("recognition.Recognition"), _t("registry.Person")
        return _each_part(
            scope,
            "p.unit_path",
            f"SELECT DISTINCT r.unit_path FROM {person} p CROSS JOIN {rec} r WHERE 1 = 1{{scope}}"
            " AND r.subject_id = p.id AND r.subject_type = 'person' AND r.title = 'CDHT' AND r.revoked_at IS NULL",
        )

    def rows(self, *, year=None, scope=None):
        rec, person = _t("recognition.Recognition"), _t("registry.Person")
        y_sql, y_p = _year_sql("r.year", year)
        s_sql, s_p = scope.sql("r.unit_path") if scope else ("", [])
        sql = (
            "SELECT r.unit_path, r.year, SUM(CASE WHEN p.digital_skill >= 1 THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN p.digital_skill >= 2 THEN 1 ELSE 0 END)"
            f" FROM {rec} r JOIN {person} p ON p.id = r.subject_id"
            f" WHERE r.title = 'CDHT' AND r.subject_type = 'person' AND r.revoked_at IS NULL{y_sql}{s_sql}"
            " GROUP BY r.unit_path, r.year"
        )
        for path, y, d, pro in _fetch(sql, y_p + s_p):
            yield "cdht_digital", path, y, int(d or 0)
            yield "cdht_digital_pro", path, y, int(pro or 0)


class DataSetFamily(Family):
    """Approved figures of aggregate data sets: measure ``ds:<element code>``."""

    code = "ds"
    models = frozenset({"plans.DataEntry", "plans.DataValue"})

    @property
    def measures(self):  # type: ignore[override]
        from xhht.plans.models import DataElement

        return {f"ds:{c}": n for c, n in DataElement.objects.values_list("code", "name")}

    def rows(self, *, year=None, scope=None):
        y_sql, y_p = _year_sql("e.year", year)
        s_sql, s_p = scope.sql("e.unit_path") if scope else ("", [])
        sql = (
            f"SELECT el.code, e.unit_path, e.year, SUM(v.value) FROM {_t('plans.DataValue')} v"
            f" JOIN {_t('plans.DataEntry')} e ON e.id = v.entry_id JOIN {_t('plans.DataElement')} el"
            f" ON el.id = v.element_id WHERE e.status = 'approved' AND v.value IS NOT NULL{y_sql}{s_sql}"
            " GROUP BY el.code, e.unit_path, e.year"
        )
        for code, path, y, v in _fetch(sql, y_p + s_p):
            yield f"ds:{code}", path, y, int(v)


FAMILIES: list[Family] = [
    RecognitionFamily(),
    RegistrationFamily(),
    PeopleFamily(),
    CountFamily("households", "households", _("Số hộ gia đình"), "registry.Household", "1 = 1"),
    CountFamily("clans", "clans", _("Số dòng họ"), "registry.Clan", "1 = 1"),
    CountFamily(
        "orgs", "organisations", _("Số cơ quan, đơn vị"), "registry.Organisation", "valid_to IS NULL"
    ),
    CountFamily(
        "villages",
        "villages",
        _("Số thôn, tổ dân phố"),
        "geo.AdminUnit",
        "level = 4 AND valid_to IS NULL",
        path_col="path",
    ),
    CountFamily(
        "communes",
        "communes",
        _("Số xã, phường, đặc khu"),
        "geo.AdminUnit",
        "level = 3 AND valid_to IS NULL",
        path_col="path",
    ),
    CountFamily(
        "provinces",
        "provinces",
        _("Số tỉnh, thành phố"),
        "geo.AdminUnit",
        "level = 1 AND valid_to IS NULL",
        path_col="path",
    ),
    CentreFamily(),
    AssociationFamily(),
    LearningFamilyFamily(),
    LearningUnitFamily(),
    DigitalFamily(),
    DataSetFamily(),
]


def family_of(measure: str) -> Family:
    for f in FAMILIES:
        if measure.startswith("ds:") and f.code == "ds":
            return f
        if measure in f.measures:
            return f
    raise KeyError(measure)


def is_snapshot(measure: str) -> bool:
    return not family_of(measure).yearly


def known_measures() -> dict[str, str]:
    """Every measure code with its label in the current language."""
    out: dict[str, str] = {}
    for f in FAMILIES:
        out.update({k: str(v) for k, v in f.measures.items()})
    return out


def label(measure: str) -> str:
    """One measure's label in the current language (the code itself if unknown)."""
    try:
        return str(family_of(measure).measures.get(measure, measure))
    except KeyError:
        return measure


def families_for_title(title: str) -> list[Family]:
    return [f for f in FAMILIES if title in f.titles]


def families_for_model(label: str) -> list[Family]:
    return [f for f in FAMILIES if label in f.models]


def all_rows(families: Iterable[Family], *, year=None, scope=None) -> Iterator[Row]:
    for f in families:
        yield from f.rows(year=year if f.yearly else None, scope=scope)
