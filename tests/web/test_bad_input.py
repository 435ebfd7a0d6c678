"""Bad input gets a 4xx with a Vietnamese message, never a server error (issue 12, point 7). Each
case is one the fuzzing found (``test_fuzz.py``); ``Client(raise_request_exception=False)`` keeps a
500 a status to assert on rather than an exception."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from xhht.accounts.models import Role
from xhht.core.params import BadParameter, int_param, parse_int
from xhht.registry import services
from xhht.registry.selectors import encode_cursor

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(units, make_user):
    return make_user(Role.HKH_XA, units.commune_a)


@pytest.fixture
def client(officer):
    c = Client(raise_request_exception=False)
    c.force_login(officer)
    return c


@pytest.fixture
def centres(units, officer):
    dm = services.centre_create(actor=officer, commune=units.commune_a, name="TTHTCĐ Đăk Mar")
    other = services.centre_create(actor=officer, commune=units.commune_a, name="Trung tâm Kon Jơ Ri")
    return dm, other


# ------------------------------------------------------------------ the learning-centre search


def test_centre_search_page_finds_by_name_without_diacritics(client, centres):
    dm, other = centres
    r = client.get("/so-dang-ky/tthtcd/", {"q": "dak mar"})
    assert r.status_code == 200
    body = r.content.decode()
    assert f"/so-dang-ky/tthtcd/{dm.pk}/" in body and f"/so-dang-ky/tthtcd/{other.pk}/" not in body


def test_centre_search_api(client, centres):
    dm, _ = centres
    r = client.get("/api/registry/centres", {"q": "Đăk"})
    assert r.status_code == 200
    assert [c["id"] for c in r.json()["items"]] == [dm.pk]
    assert client.get("/api/registry/centres", {"q": "không có"}).json()["items"] == []


# ------------------------------------------------------------------ NUL characters


@pytest.mark.parametrize(
    "path",
    [
        "/don-vi/tim/?q=a%00b",
        "/so-dang-ky/ho/?q=%00",
        "/so-dang-ky/cong-dan/xuat.csv?q=%00",
        "/xac-thuc/ab%00c/",
    ],
)
def test_nul_in_the_query_or_path_is_a_400_page(client, path):
    r = client.get(path)
    assert r.status_code == 400
    assert "ký tự NUL" in r.content.decode()


def test_nul_in_a_form_field_is_a_400(client, units):
    r = client.post("/so-dang-ky/ho/them/", {"code": "HH\x00", "village": units.village_a1.pk})
    assert r.status_code == 400 and "ký tự NUL" in r.content.decode()


def test_nul_in_the_api(client):
    r = client.get("/api/geo/search", {"q": "\x00"})
    assert r.status_code == 400
    assert r.json()["code"] == "nul_byte" and "NUL" in r.json()["detail"]
    r = client.post(
        "/api/criteria/sets/1/score", '{"answers": {"1.1": "a\\u0000"}}', content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "nul_byte"


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul():
    from xhht.core.middleware import _JSON_NUL

    assert _JSON_NUL.search(b'{"a": "x\\u0000"}')
    assert _JSON_NUL.search(b'{"a": "x\\\\\\u0000"}')  # \\ then \u0000
    assert not _JSON_NUL.search(b'{"a": "x\\\\u0000"}')  # the six characters \u0000


# ------------------------------------------------------------------ paging cursors


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor(["a", "b"]),  # text where the id goes
        encode_cursor([None, {}]),
        encode_cursor(["HH", 2**70]),  # beyond 64 bits
        encode_cursor(["a\x00", 1]),
        encode_cursor([1]),
        "!!!not-base64",
    ],
)
@pytest.mark.parametrize("path", ["/so-dang-ky/ho/", "/so-dang-ky/cong-dan/", "/so-dang-ky/tthtcd/"])
def test_forged_cursor_is_a_400_with_a_message(client, path, cursor, units):
    r = client.get(path, {"sau": cursor})
    assert r.status_code == 400
    assert "trang tiếp theo" in r.content.decode()


def test_forged_cursor_in_the_api(client):
    r = client.get("/api/registry/households", {"after": encode_cursor([None, {}])})
    assert r.status_code == 400 and r.json()["code"] == "invalid_cursor"


def test_real_cursor_still_pages(client, officer, units):
    for i in range(55):
        p = services.person_create(actor=officer, village=units.village_a1, full_name=f"Người {i:02d}")
        services.household_create(actor=officer, village=units.village_a1, head=p, code=f"HH-{i:03d}")
    first = client.get("/api/registry/households").json()
    assert len(first["items"]) == 50 and first["next"]
    second = client.get("/api/registry/households", {"after": first["next"]}).json()
    assert [h["code"] for h in second["items"]] == [f"HH-{i:03d}" for i in range(50, 55)]


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("value", ["²", "abc", str(2**64), "-" + "9" * 30, "1.5"])
def test_unreadable_numbers_in_filters_match_nothing(client, value, officer, units):
    services.person_create(actor=officer, village=units.village_a1, full_name="Nguyễn Văn A")
    for params in (
        {"village": value},
        {"commune": value},
        {"digital_skill": value},
        {"birth_year_from": value},
    ):
        r = client.get("/so-dang-ky/cong-dan/", params)
        assert r.status_code == 200, params
    assert client.get("/so-dang-ky/ho/", {"village": value}).status_code == 200
    assert client.get("/so-dang-ky/hoi-vien/", {"branch": value}).status_code == 200


@pytest.mark.parametrize("value", ["²", "abc", str(2**64)])
def test_unreadable_numbers_where_one_is_required_are_a_400(client, value, units):
    r = client.get("/chi-so/", {"nam": value})
    assert r.status_code == 400 and "«năm»" in r.content.decode()
    r = client.get("/so-dang-ky/cong-dan/trung-lap/", {"commune": value})
    assert r.status_code == 400 and "«xã»" in r.content.decode()


def test_huge_ids_in_a_multiple_choice_are_an_invalid_choice(client, centres):
    dm, other = centres
    r = client.post(
        f"/so-dang-ky/tthtcd/{dm.pk}/sap-nhap/", {"centres": [str(2**64)], "effective": "01/07/2025"}
    )
    assert r.status_code in (200, 400)  # the form again, with the error
    other.refresh_from_db()
    assert other.merged_into_id is None


def test_parse_int():
    assert parse_int("42") == 42 and parse_int(" -7 ") == -7 and parse_int(3) == 3
    for bad in ("²", "١٢", "1.0", "", "0x1", str(2**63), True, None, [1]):
        with pytest.raises(BadParameter):
            parse_int(bad, param="x")
    assert parse_int(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(BadParameter) as exc:
        parse_int("5", min_value=1900, max_value=2100, label="năm")
    assert exc.value.code == "out_of_range" and "1900" in exc.value.message
    assert int_param({"a": ""}, "a", 7) == 7 and int_param({}, "a") is None


# ------------------------------------------------------------------ the API's errors


def test_api_permission_denied_is_the_same_404_as_out_of_scope(units, make_user):
    citizen = make_user(Role.CONG_DAN, units.village_a1)
    c = Client(raise_request_exception=False)
    c.force_login(citizen)
    r = c.get("/api/geo/search", {"q": "Đăk"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    out_of_scope = c.get(f"/api/geo/units/{units.commune_b.pk}")
    assert out_of_scope.status_code == 404 and out_of_scope.json() == r.json()


def test_api_validation_errors_are_400_with_a_stable_code(client):
    r = client.get("/api/geo/units/abc")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid_parameters" and "unit_id" in body["detail"]
    assert body["errors"][0]["loc"][-1] == "unit_id"
    r = client.get("/api/recognition/decisions", {"after": str(2**64)})
    assert r.status_code in (200, 400)


def test_api_huge_path_id_is_404(client):
    assert client.get(f"/api/geo/units/{2**64}").status_code == 404


# ------------------------------------------------------------------ redirects and links from input


def test_appeal_resolve_next_that_is_not_a_path_goes_to_the_default(units, make_user):
    from xhht.recognition.views import _next

    class R:
        POST = {"next": "abc"}

        def get_host(self):
            return "testserver"

    assert _next(R(), "/danh-gia/kien-nghi/") == "/danh-gia/kien-nghi/"
    R.POST = {"next": "/danh-gia/"}
    assert _next(R(), "/x/") == "/danh-gia/"
    R.POST = {"next": "https://example.com/"}
    assert _next(R(), "/x/") == "/x/"


def test_subjects_page_links_back_only_to_a_real_plan(units, make_user):
    c = Client(raise_request_exception=False)
    c.force_login(make_user(Role.SO_GDDT, units.province))
    r = c.get("/ke-hoach/doi-tuong/", {"ke_hoach": "²", "nam": dt.date.today().year})
    assert r.status_code == 200


def test_the_message_in_english(client, centres):
    r = client.get("/chi-so/", {"nam": "abc"}, headers={"accept-language": "en"})
    assert r.status_code == 400 and "must be a whole number" in r.content.decode()
    r = client.get("/api/geo/search", {"q": "\x00"}, headers={"accept-language": "en"})
    assert "NUL character" in r.json()["detail"]


def test_a_form_posted_to_a_json_operation_is_not_a_server_error(client):
    """The NUL middleware must not read a multipart body the API then reads as JSON."""
    from xhht.criteria.models import CriteriaSet

    cs = CriteriaSet.objects.order_by("pk").first()
    pk = cs.pk if cs else 1
    for data in ({"answers": "x"}, {"a": "\x00"}):
        r = client.post(f"/api/criteria/sets/{pk}/score", data)
        assert r.status_code < 500
