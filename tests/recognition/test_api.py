"""/api/recognition/: campaigns, files, decisions scoped like the pages; the public certificate check."""

from __future__ import annotations

from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.recognition import services


def test_campaigns_files_and_decisions_are_scoped(decided, make_user, login):
    c = decided
    officer = login(c.manager)
    data = officer.get("/api/recognition/campaigns").json()
    assert [x["id"] for x in data["items"]] == [c.campaign.pk]
    assert data["items"][0]["title_label"] == "Gia đình học tập"
    assert officer.get(f"/api/recognition/campaigns/{c.campaign.pk}").json()["unit_name"] == "Xã Đăk Mar"

    files = officer.get(f"/api/recognition/files?campaign={c.campaign.pk}&limit=2").json()
    assert len(files["items"]) == 2 and files["next"] == files["items"][-1]["id"]
    rest = officer.get(f"/api/recognition/files?campaign={c.campaign.pk}&after={files['next']}").json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    assert {f["status"] for f in files["items"] + rest["items"]} == {"recognised"}
    one = officer.get(f"/api/recognition/files/{rest['items'][0]['id']}").json()
    assert one["answers"]["1.1"]["value"] == 45 and one["decision_id"] == c.decision.pk
    assert [r["code"] for r in one["results"]] == ["1.1", "1.2", "2.1"]

    d = officer.get(f"/api/recognition/decisions/{c.decision.pk}").json()
    assert d["number_label"] == "1/QĐ-UBND" and d["subject_count"] == 3 and d["legal_basis"]
    recs = officer.get(f"/api/recognition/decisions/{c.decision.pk}/recognitions?limit=2").json()
    assert len(recs["items"]) == 2 and recs["next"]
    assert [x["id"] for x in officer.get("/api/recognition/decisions").json()["items"]] == [c.decision.pk]

    # An officer of the other commune sees nothing of Xã Đăk Mar, and ids give 404.
    other = login(make_user(Role.HKH_XA, c.units.commune_b))
    assert other.get("/api/recognition/campaigns").json()["items"] == []
    assert other.get("/api/recognition/files").json()["items"] == []
    assert other.get("/api/recognition/decisions").json()["items"] == []
    assert other.get(f"/api/recognition/files/{one['id']}").status_code == 404
    assert other.get(f"/api/recognition/campaigns/{c.campaign.pk}").status_code == 404
    assert other.get(f"/api/recognition/decisions/{c.decision.pk}").status_code == 404
    assert other.get(f"/api/recognition/decisions/{c.decision.pk}/recognitions").status_code == 404
    # Not logged in: 401.
    from django.test import Client

    assert Client().get("/api/recognition/files").status_code == 401


def test_citizen_sees_only_own_files(cycle, make_user, login):
    c = cycle
    head_user = make_user(Role.CONG_DAN, c.units.village_a1)
    mine = helpers.household(c.units.village_a1, "Y Blơng Ksor", head_user=head_user)
    a_mine = services.register(user=head_user, campaign=c.campaign, subject_id=mine.pk)
    a_other = services.register(user=c.manager, campaign=c.campaign, subject_id=c.households[0].pk)
    citizen = login(head_user)
    items = citizen.get("/api/recognition/files").json()["items"]
    assert [x["id"] for x in items] == [a_mine.pk]
    assert citizen.get(f"/api/recognition/files/{a_mine.pk}").status_code == 200
    assert citizen.get(f"/api/recognition/files/{a_other.pk}").status_code == 404
    assert citizen.get("/api/recognition/decisions").json()["items"] == []


def test_public_verification_returns_what_the_page_shows(decided, client):
    rec = decided.decision.recognitions.get(subject_name="Hộ Trần Thị Hương")
    token = rec.certificate.token
    resp = client.get(f"/api/recognition/verify/{token}")
    assert resp.status_code == 200
    assert resp["X-Robots-Tag"].startswith("noindex")
    assert resp.json() == {
        "state": "valid",
        "holder": "Hộ Trần T** H**",
        "title": "GDHT",
        "title_label": "Gia đình học tập",
        "year": 2025,
        "issuer": "Ủy ban nhân dân xã Đăk Mar",
    }
    services.recognition_revoke(user=decided.chair, recognition=rec, reason="Khai sai")
    data = client.get(f"/api/recognition/verify/{token}").json()
    assert data["state"] == "revoked" and "Khai sai" not in str(data)
    assert client.get(f"/api/recognition/verify/{token[:-1]}x").status_code == 404
