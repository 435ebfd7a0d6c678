"""Fuzzing every route of XHHT: the pages (every URL pattern of the resolver, with its converters) and
the API (every operation of the ninja OpenAPI schema), as several roles, with hostile values — ids
beyond 64 bits, forged paging cursors, NUL bytes, text where numbers are expected, unicode digits,
long strings. Shared by ``tests/web/test_fuzz.py`` (bounded, in CI on both databases) and
``bench/bench_fuzz.py`` (thousands of requests, counts the server errors).

The world is the demo data set (``xhht demo``: every registry, campaigns, files, decisions, plans).
Before generating, :func:`crawl` walks the pages as the most privileged role and keeps the links
(with their real ids and cursors) and the forms (with their fields and current values) it finds, so
generated requests reach past the first "not found" into the code that reads parameters: a link with
one value replaced, a form posted with one field replaced.

A request answered with a status of 500 or more is a failure; :func:`send` keeps its traceback.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import sys
import traceback
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from hypothesis import strategies as st

SRC = Path(__file__).resolve().parents[2] / "src" / "xhht"

# The roles a request is sent as (demo usernames; None = anonymous). Province officers of the
# education department and of the association, the commune association officer and approver of
# commune A, an officer of commune B, a village head, a head of an organisation, a citizen, and the
# administrator (who sees every route's deepest code).
ROLES: tuple[str | None, ...] = (
    "so_gddt",
    "hkh_tinh",
    "hkh_xa",
    "ubnd_xa",
    "hkh_kontum",
    "truong_thon",
    "thu_truong",
    "cong_dan",
    "admin",
    None,
)
# Prefixes not fuzzed as pages: the API (fuzzed from its schema) and Django's own admin.
SKIP_PREFIXES = ("api/", "quan-tri/")

# ---------------------------------------------------------------------------------------- values

HUGE_INTS = [2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**20, 10**40, -(2**63) - 1]
NASTY: list[str] = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "00",
    "007",
    "1.5",
    "1e9",
    "1e400",
    "1_000",
    "+5",
    " 5 ",
    "0x10",
    "²",  # str.isdigit() says yes, int() says no
    "³³",
    "١٢",  # Arabic-Indic digits: int() reads them
    "５",  # full-width digit
    "Ⅻ",
    "NaN",
    "inf",
    "-inf",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "%",
    "_",
    "\\",
    "'",
    '"',
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "\x00",
    "a\x00b",
    "1\x00",
    "\x00\x00\x00",
    "\u202e",
    "\ufeff",
    "😀",
    "Nguyễn Văn Á",
    "thôn 1",
    "\r\n",
    "\t",
    "a" * 5000,
    "9" * 400,
    "-" + "9" * 30,
    "2025-13-45",
    "31/02/2025",
    "0000-00-00",
    "99999-01-01",
    "../../etc/passwd",
    "%00",
    "%ff",
    ",",
    "1,2",
    "1.234,5",
    *[str(n) for n in HUGE_INTS],
]
FORMATS = ["csv", "xlsx", "pdf", "json", "yaml", "yml", "html", "xml", "CSV", "xlsx\x00", ""]


def encode_cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, ensure_ascii=False).encode()).decode().rstrip("=")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**80), 2**80)
    | st.sampled_from(HUGE_INTS)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["\x00", "a\x00", "2025-01-01", "", "zzzz"]),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=2),
    max_leaves=5,
)
# A paging cursor as the pages make them (urlsafe base64 of a JSON list), with anything inside,
# and a few that are not base64 or not JSON at all.
cursors = st.one_of(
    st.lists(json_values, max_size=3).map(encode_cursor),
    json_values.map(encode_cursor),
    st.sampled_from(["!!!", "====", "e30", "W10", "bnVsbA", "AA", "%00", "W1td"]),
    st.binary(max_size=12).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")),
)
int_texts = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.sampled_from(HUGE_INTS).map(str),
    st.integers(0, 60).map(str),
)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=24)
nul_texts = st.tuples(texts, texts).map(lambda ab: ab[0] + "\x00" + ab[1])
# query names every list or filter page is likely to read
CORE_NAMES = [
    "q",
    "sau",
    "after",
    "trang",
    "page",
    "don_vi",
    "unit",
    "nam",
    "year",
    "commune",
    "village",
    "thon",
]


def values(world: World) -> st.SearchStrategy[str]:
    """Anything a parameter may hold: hostile constants, numbers, text, cursors, real ids and words."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(NASTY),
        int_texts,
        texts,
        nul_texts,
        cursors,
        st.sampled_from(world.ids).map(str),
        st.sampled_from(world.words),
    )


# ---------------------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """One URL pattern (``kind`` "page") or one API operation (``kind`` "api")."""

    kind: str
    template: str  # "/so-dang-ky/cong-dan/{pk}/"
    params: tuple[tuple[str, str], ...]  # (name, converter or schema type)
    methods: tuple[str, ...]
    query: tuple[tuple[str, str], ...] = ()  # declared query parameters (API)
    body: bool = False
    name: str = ""

    def __str__(self) -> str:
        return f"{'/'.join(self.methods)} {self.template}"


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def page_routes() -> list[Route]:
    """Every URL pattern of the project's resolver (API and admin left out), with its converters."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    out: list[Route] = []

    def walk(patterns, prefix: str, ns: str) -> None:
        for p in patterns:
            if not isinstance(p.pattern, RoutePattern):
                continue  # no regex patterns outside the admin
            route = prefix + str(p.pattern._route)
            if route.startswith(SKIP_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern):
                params = tuple((m["name"], m["conv"] or "str") for m in _ROUTE_PARAM.finditer(route))
                template = "/" + _ROUTE_PARAM.sub(lambda m: "{" + m["name"] + "}", route)
                out.append(Route("page", template, params, ("GET", "POST"), name=f"{ns}{p.name or ''}"))

    walk(get_resolver().url_patterns, "", "")
    return out


def api_routes() -> list[Route]:
    """Every operation of the ninja API, from its OpenAPI schema, with its path and query parameters."""
    from xhht.api.api import api

    schema = api.get_openapi_schema()
    out: list[Route] = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            params, query = [], []
            for prm in op.get("parameters", []):
                typ = _schema_type(prm.get("schema", {}))
                (params if prm["in"] == "path" else query).append((prm["name"], typ))
            out.append(
                Route(
                    "api",
                    path,
                    tuple(params),
                    (method.upper(),),
                    tuple(query),
                    body="requestBody" in op,
                    name=op.get("operationId", ""),
                )
            )
    return out


def _schema_type(s: dict) -> str:
    if "type" in s:
        return s["type"]
    for alt in s.get("anyOf", []):
        if alt.get("type") not in (None, "null"):
            return alt["type"]
    return "string"


def known_get_params() -> list[str]:
    """Names the views read from the query string or forms, grepped from the source (``request.GET``,
    ``request.POST``, ``.get("…")`` on either), plus the paging and filter names the selectors use."""
    names: set[str] = {"q", "sau", "after", "page", "trang", "cursor", "unit", "don_vi", "nam", "year", "fmt"}
    pat = re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist)?[\(\[]\s*f?[\"']([^\"'{}]+)[\"']")
    for path in SRC.rglob("*.py"):
        names.update(pat.findall(path.read_text(encoding="utf-8")))
    from xhht.registry import selectors

    names.update(selectors.FACT_FILTERS)
    names.update(selectors.BOOL_FILTERS)
    names.update(["village", "commune", "ethnicity", "birth_year_from", "birth_year_to", "person_q"])
    return sorted(names)


# ---------------------------------------------------------------------------------------- the world


class _Harvest(HTMLParser):
    """Links and forms (fields with their current values) of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("button",) and a.get("hx-get"):
            self.links.append(a["hx-get"])
        elif tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": (a.get("method") or "get").upper(), "fields": {}}
            )
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1]["fields"].setdefault(a["name"], "")
            elif a.get("type") != "file":
                self.forms[-1]["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1]["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select:
            fields = self.forms[-1]["fields"]
            if "selected" in a or not fields.get(self._select):
                fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"][a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


@dataclass
class World:
    """The demo data, a logged-in client per role, and what a crawl found."""

    users: dict
    ids: list[int]
    words: list[str]
    uuids: list[str]
    routes: list[Route]
    get_names: list[str]
    links: list[str] = field(default_factory=list)
    forms: list[tuple[str, dict]] = field(default_factory=list)  # (action path, fields)
    names_by_path: dict[str, set[str]] = field(default_factory=dict)  # query names seen per path
    clients: dict = field(default_factory=dict)

    def client(self, role):
        from django.test import Client

        c = self.clients.get(role)
        if c is None:
            c = self.clients[role] = Client(raise_request_exception=False)
            if role is not None:
                c.force_login(self.users[role])
        return c

    def relogin(self, role) -> None:
        """After a request that may have ended the session (logout, password set)."""
        self.clients.pop(role, None)


def build_world(crawl_pages: int = 250) -> World:
    """Seed the demo data (inside the caller's transaction in tests) and crawl it."""
    from django.apps import apps
    from django.db import models

    from xhht.core.demo import run_demo

    ctx = run_demo(write=lambda *a, **k: None)
    ids: set[int] = set(range(0, 12))
    words: set[str] = set(FORMATS)
    uuids: set[str] = {str(uuid.uuid4())}
    for model in apps.get_models():
        if not model.__module__.startswith("xhht."):
            continue
        pk = model._meta.pk
        if isinstance(pk, models.UUIDField):
            uuids.update(str(v) for v in model.objects.values_list("pk", flat=True)[:20])
        elif isinstance(pk, models.AutoField | models.BigAutoField):
            vs = list(model.objects.order_by("pk").values_list("pk", flat=True)[:15])
            vs += list(model.objects.order_by("-pk").values_list("pk", flat=True)[:5])
            ids.update(vs)
        for f in model._meta.fields:
            if f.choices:
                words.update(str(c[0]) for c in f.flatchoices)
            if isinstance(f, models.SlugField) or f.name in ("code", "token", "kind", "status"):
                words.update(
                    str(v) for v in model.objects.values_list(f.name, flat=True).distinct()[:20] if v
                )
    world = World(
        users=dict(ctx.users),
        ids=sorted(ids),
        words=sorted(words),
        uuids=sorted(uuids),
        routes=page_routes() + api_routes(),
        get_names=known_get_params(),
    )
    crawl(world, limit=crawl_pages)
    return world


def _route_key(path: str, query: str) -> tuple:
    """Links to the same pattern with the same parameter names are one page for the crawl."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return ("", path)
    return (match.view_name, tuple(sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)})))


def crawl(world: World, *, limit: int, role: str = "admin") -> None:
    """Breadth-first from the home page and from every route's first real id, as ``role``: keeps
    one link per (pattern, parameter names) and every form found."""
    client = world.client(role)
    tries: dict[tuple, int] = {}
    done: set[tuple] = set()
    queue: list[str] = ["/"] + [r.template for r in world.routes if r.kind == "page" and not r.params]
    visited = 0
    while queue and visited < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(("/api/", "/quan-tri/")):
            continue
        key = _route_key(parts.path, parts.query)
        # one page per (pattern, parameter names) — a few tries when the first link led nowhere
        if key in done or tries.get(key, 0) >= 3 or "dang-xuat" in parts.path:
            continue
        tries[key] = tries.get(key, 0) + 1
        visited += 1
        r = client.get(url)
        world.names_by_path.setdefault(parts.path, set()).update(
            k for k, _ in parse_qsl(parts.query, keep_blank_values=True)
        )
        if r.status_code != 200:
            continue
        done.add(key)
        world.links.append(url)
        if "html" not in r.get("Content-Type", ""):
            continue
        h = _Harvest()
        h.feed(r.content.decode("utf-8", "replace"))
        for href in h.links:
            if href.startswith("?"):
                href = parts.path + href
            if href.startswith("/"):
                queue.append(href)
        for form in h.forms:
            action = form["action"] or parts.path
            if form["method"] == "GET":
                queue.append(action + "?" + urlencode(form["fields"]))
            else:
                world.forms.append((urlsplit(action).path or parts.path, form["fields"]))


# ---------------------------------------------------------------------------------------- requests


@dataclass
class Req:
    role: str | None
    method: str
    path: str
    query: str = ""
    data: dict | None = None
    json_body: object = None
    fallback: str | None = None  # the role to send it as when ``role`` may not (403/404)

    def __str__(self) -> str:
        who = self.role or "anonymous"
        q = f"?{self.query}" if self.query else ""
        body = f" data={self.data!r}"[:600] if self.data else ""
        if self.json_body is not None:
            body = f" json={self.json_body!r}"[:600]
        return f"[{who}] {self.method} {self.path}{q}"[:800] + body


def _path_value(world: World, name: str, conv: str) -> st.SearchStrategy[str]:
    if conv in ("int", "integer"):
        base = st.one_of(
            st.sampled_from(world.ids).map(str),
            st.sampled_from(HUGE_INTS).map(lambda n: str(abs(n))),
            st.integers(0, 2**80).map(str),
            st.sampled_from(["0", "00", "007"]),
        )
        if conv == "integer":  # the API validates the type itself: send anything
            return st.one_of(base, base, st.sampled_from(NASTY))
        return base
    if conv == "uuid":
        return st.one_of(st.sampled_from(world.uuids), st.uuids().map(str))
    if conv == "slug":
        return st.one_of(
            st.sampled_from(world.words).filter(lambda w: re.fullmatch(r"[-a-zA-Z0-9_]+", w) is not None),
            st.from_regex(r"\A[-a-zA-Z0-9_]{1,40}\Z"),
            st.sampled_from(HUGE_INTS).map(lambda n: str(abs(n))),
        )
    # str and API strings: anything but "/" (the path cannot hold one in a segment)
    return st.one_of(
        st.sampled_from(world.words),
        st.sampled_from(NASTY),
        texts,
        st.sampled_from(world.ids).map(str),
    ).map(lambda s: s.replace("/", "") or "x")


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(values[m[1]], safe=""), template)


def _query(draw, world: World, own: list[str], n_max: int = 4) -> str:
    pairs = [(_names(draw, own, world), draw(values(world))) for _ in range(draw(st.integers(0, n_max)))]
    q = urlencode(pairs)
    junk = draw(
        st.sampled_from(["", "", "", "", "&", "&=", "&%ff=%fe", "&q=%00", "&sau=%", "&&a", "&nam=%C0%80"])
    )
    return (q + junk).lstrip("&")


@st.composite
def route_requests(draw, world: World, route: Route) -> Req:
    """A request to one route: path parameters, query and (for POST) form fields all generated."""
    role = draw(st.sampled_from(ROLES))
    path = _fill(route.template, {n: draw(_path_value(world, n, c)) for n, c in route.params})
    if route.kind == "api":
        method = route.methods[0]
        declared = [n for n, _ in route.query]
        query = _query(draw, world, declared or ["after", "q", "limit", "year"])
        body = None
        if route.body:
            body = draw(
                st.one_of(
                    st.dictionaries(
                        st.sampled_from(world.words + ["answers", "values", "1.1"]), json_values, max_size=4
                    ),
                    json_values,
                )
            )
        return Req(role, method, path, query, json_body=body)
    method = draw(st.sampled_from(["GET", "GET", "POST"]))
    query = _query(draw, world, sorted(world.names_by_path.get(path, ())))
    data = None
    if method == "POST":
        names = [n for action, fields in world.forms if action == path for n in fields] or world.get_names
        data = draw(st.dictionaries(st.sampled_from(names), values(world), max_size=6))
    return Req(role, method, path, query, data)


def _names(draw, own: list[str], world: World) -> str:
    """A parameter name: most often one the page itself uses, else a common or any known one."""
    pools = [own, own, own, CORE_NAMES, world.get_names] if own else [CORE_NAMES, world.get_names]
    return draw(st.sampled_from(draw(st.sampled_from(pools))))


@st.composite
def crawled_requests(draw, world: World) -> Req:
    """A link or form the crawl found, with one to three values replaced by generated ones."""
    role = draw(st.sampled_from(ROLES))
    if world.forms and draw(st.booleans()):
        action, fields = draw(st.sampled_from(world.forms))
        data = dict(fields)
        for _ in range(draw(st.integers(1, 2))):
            data[_names(draw, list(data), world)] = draw(values(world))
        return Req(role, "POST", action, "", data)
    url = draw(st.sampled_from(world.links))
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    own = sorted({k for k, _ in pairs} | world.names_by_path.get(parts.path, set()))
    for _ in range(draw(st.integers(1, 3))):
        name = _names(draw, own, world)
        pairs = [(k, v) for k, v in pairs if k != name] + [(name, draw(values(world)))]
    segments = parts.path.split("/")
    if draw(st.integers(0, 3)) == 0:  # replace a number in the path by a huge one
        nums = [i for i, s in enumerate(segments) if s.isdigit()]
        if nums:
            segments[draw(st.sampled_from(nums))] = str(draw(st.sampled_from(HUGE_INTS[3:8])))
    return Req(role, "GET", "/".join(segments), urlencode(pairs))


SWEEP_VALUES = ["²", str(2**64), "abc"]  # "²" passes str.isdigit(), not int(); NUL is refused centrally
SWEEP_CURSORS = [encode_cursor([None, {}]), encode_cursor(["a", "b"]), encode_cursor([2**70, "\x00"])]
CURSOR_NAMES = {"sau", "after", "cursor"}


def sweep_requests(world: World, role: str = "admin", form_role: str = "hkh_xa") -> list[Req]:
    """Every crawled page with each of its parameters (and the paging cursor) replaced in turn by a
    few hostile values, as ``role`` and as ``form_role`` (a commune's lists take other paths); the first form of every view with its fields replaced all at
    once (as ``role``), then one by one (as ``form_role``: a commune officer edits the demo
    commune's rows, and its forms list a commune's choices, not the country's), by a non-number and
    a number beyond 64 bits: the deterministic complement of the generated requests."""
    from django.urls import Resolver404, resolve

    out: list[Req] = []
    done: set[tuple[str, str]] = set()
    for url in world.links:
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        names = sorted({k for k, _ in pairs} | world.names_by_path.get(parts.path, set()))
        for name in names:
            if (parts.path, name) in done:
                continue
            done.add((parts.path, name))
            for v in SWEEP_CURSORS if name in CURSOR_NAMES else SWEEP_VALUES:
                query = urlencode([(k, x) for k, x in pairs if k != name] + [(name, v)])
                out.append(Req(role, "GET", parts.path, query))
                out.append(Req(form_role, "GET", parts.path, query))
    seen: set[str] = set()
    for action, fields in world.forms:
        try:
            view = resolve(action).view_name
        except Resolver404:
            continue
        if view in seen:
            continue
        seen.add(view)
        for i, name in enumerate(fields):
            out.append(
                Req(form_role, "POST", action, "", {**fields, name: SWEEP_VALUES[i % 2]}, fallback=role)
            )
        for v in SWEEP_VALUES[:2]:
            out.append(Req(role, "POST", action, "", dict.fromkeys(fields, v)))
    return out


def any_request(world: World) -> st.SearchStrategy[Req]:
    return st.one_of(
        st.sampled_from(world.routes).flatmap(lambda r: route_requests(world, r)),
        crawled_requests(world),
    )


@dataclass
class Result:
    status: int
    error: str = ""


def send(world: World, req: Req) -> Result:
    """Send ``req``; on a server error, roll back what it did (PostgreSQL aborts the transaction) and
    keep the traceback."""
    from django.core.signals import got_request_exception
    from django.db import connection, transaction

    errors: list[str] = []

    def keep(sender, request=None, **kw):
        errors.append("".join(traceback.format_exception(*sys.exc_info())))

    client = world.client(req.role)
    sid = transaction.savepoint() if connection.in_atomic_block else None
    got_request_exception.connect(keep)
    try:
        extra = {"QUERY_STRING": req.query}
        if req.json_body is not None:
            resp = client.generic(
                req.method, req.path, json.dumps(req.json_body), content_type="application/json", **extra
            )
        elif req.method == "POST":
            resp = client.post(req.path, req.data or {}, **extra)
        else:
            resp = client.generic(req.method, req.path, **extra)
        status = resp.status_code
    finally:
        got_request_exception.disconnect(keep)
    if sid is not None:
        if status >= 500:
            transaction.set_rollback(False)  # the error left the test's transaction marked
            transaction.savepoint_rollback(sid)
        else:
            transaction.savepoint_commit(sid)
    if req.method == "POST" and req.role is not None and ("dang-xuat" in req.path or "mat-khau" in req.path):
        world.relogin(req.role)
    if req.fallback and status in (403, 404):
        return send(world, dataclasses.replace(req, role=req.fallback, fallback=None))
    return Result(status, errors[-1] if errors else "")
