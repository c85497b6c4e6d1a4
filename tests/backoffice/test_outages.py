"""Planned outages by customer, by names, by free text; outage reports."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from backoffice_harness import assert_error, quiet_customers

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


REPORT_FIELDS = {"code", "status", "status_label_vi", "created_at", "expected_restoration_at", "planned_outage",
                 "incident", "duplicate"}
INCIDENT_FIELDS = {"code", "reported_at", "reports", "expected_restoration_at", "status", "status_label_vi", "urgent"}


def report(api, **body):
    return api.post("/v1/outage-reports", json={"description": "Mất điện cả nhà", "hazard": False, **body})


def later(hours: float) -> str:
    return (NOW + dt.timedelta(hours=hours)).isoformat()


def requests_of(api, phone: str) -> list:
    return [r["code"] for r in api.post("/v1/requests/search", json={"phone": phone}).json()["requests"]]


def history_of(api, code: str, phone: str) -> list:
    response = api.post("/v1/requests/lookup", json={"code": code, "phone_last4": phone[-4:]})
    assert response.status_code == 200, response.text
    return response.json()["history"]


def phone_of(db, customer_code: str) -> str:
    from backoffice.models import Customer

    return db.scalar(select(Customer.phone).where(Customer.code == customer_code))


def test_a_planned_outage_in_progress_explains_the_failure_without_a_ticket(api, new_phone):
    before = requests_of(api, "0939555666")
    response = report(api, customer_code="PB01000567890")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == REPORT_FIELDS
    assert (body["code"], body["incident"], body["duplicate"], body["created_at"]) == (None, None, False, None)
    assert body["planned_outage"]["in_progress"] is True and body["planned_outage"]["ward"] == "Phường Tân An"
    # The same from an address the back office places in that ward.
    by_address = report(api, address="45 Hai Bà Trưng, phường Tân An, Ninh Kiều, Cần Thơ", phone=new_phone)
    assert by_address.status_code == 200 and by_address.json()["code"] is None
    assert by_address.json()["planned_outage"]["code"] == body["planned_outage"]["code"]
    assert requests_of(api, "0939555666") == before and requests_of(api, new_phone) == []


def test_a_hazard_is_ticketed_even_during_a_planned_outage(api):
    hazard = {"customer_code": "PB01000567890", "hazard": True, "description": "Dây điện bị đứt rơi xuống đường"}
    first = report(api, **hazard)
    assert first.status_code == 201, first.text
    ticket = first.json()
    assert ticket["code"].startswith("SC2026") and ticket["planned_outage"]["ward"] == "Phường Tân An"
    assert ticket["incident"]["urgent"] is True and ticket["expected_restoration_at"] == later(2)
    again = report(api, **hazard)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert (again.json()["code"], again.json()["incident"]["reports"]) == (ticket["code"], 2)


def test_reports_from_the_seeded_incidents_ward_are_attached_to_it(api, new_phone):
    first = report(api, customer_code="PE05000234567")
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["code"], body["duplicate"], body["planned_outage"], body["status"]) == (
        "SC2026000001", True, None, "dang_xu_ly")
    incident = body["incident"]
    assert set(incident) == INCIDENT_FIELDS and incident["code"] == "SC2026000001"
    assert incident["reported_at"] == body["created_at"] == (NOW - dt.timedelta(minutes=50)).isoformat()
    assert incident["expected_restoration_at"] == body["expected_restoration_at"] == later(3 + 10 / 60)
    assert incident["reports"] >= 4 and incident["urgent"] is False and incident["status_label_vi"] == "Đang xử lý"
    history = history_of(api, "SC2026000001", "0912345678")  # her report is attached: her phone proves it
    looked_up = api.post("/v1/requests/lookup", json={"code": "SC2026000001", "phone_last4": "5678"}).json()
    assert looked_up["expected_restoration_at"] == incident["expected_restoration_at"]  # the status says when power is back
    neighbour = report(api, address="10 Nguyễn Đức Cảnh, P. Tân Phong, Q7, TP.HCM", phone=new_phone).json()
    assert (neighbour["code"], neighbour["duplicate"]) == ("SC2026000001", True)
    assert neighbour["incident"]["reports"] == incident["reports"] + 1
    assert requests_of(api, new_phone) == ["SC2026000001"]  # their report is followed up there
    assert history_of(api, "SC2026000001", new_phone) == history  # no note per report


def test_a_new_ward_gets_one_ticket_that_later_reports_join_and_a_hazard_escalates(api, sqlite_service, new_phone):
    [quiet] = quiet_customers(sqlite_service[1], 1)
    first = report(api, customer_code=quiet["code"])
    assert first.status_code == 201, first.text
    ticket = first.json()
    assert (ticket["status"], ticket["duplicate"], ticket["planned_outage"]) == ("tiep_nhan", False, None)
    assert ticket["created_at"] == NOW.isoformat() and ticket["expected_restoration_at"] == later(4)
    assert ticket["incident"] == {"code": ticket["code"], "reported_at": NOW.isoformat(), "reports": 1,
                                  "expected_restoration_at": later(4), "status": "tiep_nhan",
                                  "status_label_vi": "Đã tiếp nhận", "urgent": False}
    where = f"7 hẻm nhỏ, {quiet['ward']}, {quiet['district']}, {quiet['province']}"
    neighbour = report(api, address=where, phone=new_phone)
    assert neighbour.status_code == 200 and neighbour.json()["duplicate"] is True
    assert (neighbour.json()["code"], neighbour.json()["incident"]["reports"]) == (ticket["code"], 2)
    for reports in (3, 4):
        hazard = report(api, customer_code=quiet["code"], hazard=True, description="Tủ điện bốc khói").json()
        assert (hazard["code"], hazard["duplicate"], hazard["incident"]["reports"]) == (ticket["code"], True, reports)
        assert hazard["incident"]["urgent"] is True and hazard["expected_restoration_at"] == later(2)
    notes = [h["note"] for h in history_of(api, ticket["code"], new_phone)]
    assert len(notes) == 2 and "nâng mức ưu tiên" in notes[1]  # escalated once


def test_a_new_hazard_is_due_sooner(api, sqlite_service, db):
    [quiet] = quiet_customers(sqlite_service[1], 1)
    ticket = report(api, customer_code=quiet["code"], hazard=True, description="Cây đổ đè lên đường dây điện").json()
    assert ticket["duplicate"] is False and ticket["incident"]["urgent"] is True
    assert ticket["expected_restoration_at"] == later(2)
    assert "nguy hiểm" in history_of(api, ticket["code"], phone_of(db, quiet["code"]))[0]["note"]


@pytest.mark.parametrize("address", ["15 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội", "một nơi không có thật"])
def test_reports_not_placed_in_a_ward_are_never_merged(api, new_phone, address):
    responses = [report(api, address=address, phone=new_phone, hazard=True) for _ in range(2)]
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    codes = [r.json()["code"] for r in responses]
    assert codes[0] != codes[1] and sorted(requests_of(api, new_phone)) == sorted(codes)
    assert all(r.json()["planned_outage"] is None and r.json()["incident"]["reports"] == 1 for r in responses)


def test_simultaneous_reports_of_one_outage_make_one_ticket(api, sqlite_service):
    [quiet] = quiet_customers(sqlite_service[1], 1)
    where = f"{quiet['ward']}, {quiet['district']}, {quiet['province']}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda n: report(api, address=f"{n} hẻm nhỏ, {where}", phone=f"05980000{n:02d}"),
                                  range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201], [r.text for r in responses]
    assert len({r.json()["code"] for r in responses}) == 1
    assert max(r.json()["incident"]["reports"] for r in responses) == 8


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
