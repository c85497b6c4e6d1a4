"""Planned outages by customer, by names, by free text; outage reports."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice_harness import assert_error

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
FIELDS = {"code", "province", "district", "ward", "area", "start_at", "end_at", "reason", "in_progress"}


def outages(api, **params):
    response = api.get("/v1/outages/planned", params=params)
    assert response.status_code == 200, response.text
    return response.json()["outages"]


def test_every_listed_outage_is_in_the_window(api):
    listed = outages(api, days=14)
    assert len(listed) >= 20
    for outage in listed:
        assert set(outage) == FIELDS
        start, end = dt.datetime.fromisoformat(outage["start_at"]), dt.datetime.fromisoformat(outage["end_at"])
        assert end > NOW and start < NOW + dt.timedelta(days=14) and start < end
        assert outage["in_progress"] == (start <= NOW < end)
    starts = [o["start_at"] for o in listed]
    assert starts == sorted(starts)
    assert {o["province"] for o in listed} == {"TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ"}
    assert any(o["ward"] is None for o in listed) and sum(o["ward"] is not None for o in listed) > len(listed) / 2
    assert len(outages(api, days=3)) < len(listed)


def test_demo_hung_has_an_outage_in_progress(api):
    [current] = [o for o in outages(api, customer_code="PB01000567890") if o["in_progress"]]
    assert (current["ward"], current["district"], current["province"]) == ("Phường Tân An", "Quận Ninh Kiều", "Cần Thơ")


def test_demo_tuan_has_an_outage_in_dich_vong_within_three_days(api):
    listed = outages(api, customer_code="pd01000345678", days=3)
    assert any(o["ward"] == "Phường Dịch Vọng" and not o["in_progress"] for o in listed)
    assert all(o["district"] == "Quận Cầu Giấy" for o in listed)


@pytest.mark.parametrize("params", [
    {"province": "Hà Nội", "district": "Quận Cầu Giấy", "ward": "Phường Dịch Vọng"},
    {"province": "ha noi", "district": "cau giay", "ward": "dich vong"},
    {"province": "HN", "district": "Q. Cầu Giấy", "ward": "P. Dịch Vọng"},
    {"ward": "DỊCH VỌNG"},
    {"area": "phường Dịch Vọng, quận Cầu Giấy, Hà Nội"},
    {"area": "dich vong cau giay"},
])
def test_names_match_without_accents_case_or_administrative_words(api, params):
    listed = outages(api, days=3, **params)
    assert any(o["ward"] == "Phường Dịch Vọng" for o in listed), listed


@pytest.mark.parametrize("district", ["Quận 7", "quan 7", "Q7", "q.7", "Q. 07"])
def test_numbered_districts(api, district):
    expected = [o["code"] for o in outages(api, days=14) if o["district"] == "Quận 7"]
    assert [o["code"] for o in outages(api, days=14, province="tp hcm", district=district)] == expected


def test_free_text_areas(api):
    every = outages(api, days=14)
    in_hanoi = [o["code"] for o in every if o["province"] == "Hà Nội"]
    assert [o["code"] for o in outages(api, days=14, area="Hà Nội")] == in_hanoi
    assert outages(api, days=14, area="một nơi không có thật") == []
    # The customer's area wins over names.
    by_customer = outages(api, customer_code="PB01000567890", province="Hà Nội")
    assert all(o["province"] == "Cần Thơ" for o in by_customer)


def test_whole_district_outages_cover_their_wards(api):
    every = outages(api, days=14)
    district_wide = next(o for o in every if o["ward"] is None)
    listed = outages(api, days=14, province=district_wide["province"], district=district_wide["district"],
                     ward="Phường Không Tồn Tại")
    assert district_wide["code"] in [o["code"] for o in listed]


def test_at_moves_the_reference_moment(api):
    dich_vong = next(o for o in outages(api, customer_code="PD01000345678", days=3) if o["ward"] == "Phường Dịch Vọng")
    start = dt.datetime.fromisoformat(dich_vong["start_at"])
    during = (start + dt.timedelta(hours=1)).isoformat()
    listed = outages(api, customer_code="PD01000345678", at=during, days=1)
    assert next(o for o in listed if o["code"] == dich_vong["code"])["in_progress"] is True
    in_utc = (start + dt.timedelta(hours=1)).astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    assert [o["code"] for o in outages(api, customer_code="PD01000345678", at=in_utc, days=1)] == [o["code"] for o in listed]
    after = (dt.datetime.fromisoformat(dich_vong["end_at"]) + dt.timedelta(minutes=1)).isoformat()
    assert dich_vong["code"] not in [o["code"] for o in outages(api, customer_code="PD01000345678", at=after)]
    naive_local = (start + dt.timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert [o["code"] for o in outages(api, customer_code="PD01000345678", at=naive_local, days=1)] == [o["code"] for o in listed]


def test_outage_filters_reject_unknown_or_malformed_customers(api):
    assert_error(api.get("/v1/outages/planned", params={"customer_code": "PE09999999999"}), 404, "not_found")
    assert_error(api.get("/v1/outages/planned", params={"customer_code": "hello"}), 422, "validation_error")


def test_outage_report_during_a_planned_outage(api):
    response = api.post("/v1/outage-reports", json={"customer_code": "PB01000567890", "description": "Mất điện cả nhà",
                                                     "hazard": False})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["code"].startswith("SC2026") and len(ticket["code"]) == 12
    assert ticket["status"] == "tiep_nhan" and ticket["created_at"] == NOW.isoformat()
    assert ticket["planned_outage"]["in_progress"] is True and ticket["planned_outage"]["ward"] == "Phường Tân An"
    request = api.get(f"/v1/requests/{ticket['code']}").json()
    assert request["kind"] == "outage_report" and request["customer_code"] == "PB01000567890"


def test_outage_report_by_address(api, new_phone):
    response = api.post("/v1/outage-reports", json={"address": "15 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
                                                     "phone": new_phone, "description": "Dây điện bị đứt rơi xuống đường",
                                                     "hazard": True})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["planned_outage"] is None
    found = api.get("/v1/requests", params={"phone": new_phone}).json()["requests"]
    assert [r["code"] for r in found] == [ticket["code"]]
    assert "nguy hiểm" in found[0]["history"][0]["note"]


def test_outage_report_without_an_outage_nearby(api):
    ticket = api.post("/v1/outage-reports", json={"customer_code": "PE01000123456", "description": "Mất điện",
                                                   "hazard": False}).json()
    assert ticket["planned_outage"] is None


@pytest.mark.parametrize("body, field", [
    ({"description": "Mất điện", "hazard": False}, "customer_code or address"),
    ({"address": "  ", "description": "Mất điện", "hazard": False}, "customer_code or address"),
    ({"address": "12 Lê Lợi", "description": "", "hazard": False}, "description"),
    ({"address": "12 Lê Lợi", "description": "Mất điện"}, "hazard"),
    ({"address": "12 Lê Lợi", "description": "Mất điện", "hazard": 1}, "hazard"),
    ({"address": "12 Lê Lợi", "description": "Mất điện", "hazard": False, "phone": "12345"}, "phone"),
    ({"address": "12 Lê Lợi", "description": "Mất điện", "hazard": False, "extra": 1}, "extra"),
    ({"customer_code": "P1", "description": "Mất điện", "hazard": False}, "customer_code"),
])
def test_outage_report_validation(api, body, field):
    assert field in assert_error(api.post("/v1/outage-reports", json=body), 422, "validation_error")["message"]


def test_outage_report_for_an_unknown_customer(api):
    assert_error(api.post("/v1/outage-reports", json={"customer_code": "PE09999999999", "description": "x",
                                                       "hazard": False}), 404, "not_found")
