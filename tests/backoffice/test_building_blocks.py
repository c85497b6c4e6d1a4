"""Settings, identifiers, code sequences and random request codes, place names, the attempt
limiter, the Host header check."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy.orm import Session

from backoffice.app import create_app
from backoffice.areas import Area, area_key, resolve, same_area
from backoffice.billing import quota_households
from backoffice.clock import add_working_days
from backoffice.codes import format_code, new_request_code, next_code, normalize_customer_code, reserve_code
from backoffice.db import create_schema
from webkit.db import make_engine
from backoffice.guard import AttemptLimiter
from backoffice.middleware import host_name
from backoffice.seed_data import places
from backoffice.settings import DEFAULT_DATABASE_URL, Settings, SettingsError
from backoffice_harness import ROOT, service_env


def test_settings_need_an_api_key():
    with pytest.raises(SettingsError, match="BACKOFFICE_API_KEY"):
        Settings.from_env({})
    with pytest.raises(SettingsError):
        create_app(Settings(api_key=""))


def test_settings_defaults_and_overrides():
    settings = Settings.from_env({"BACKOFFICE_API_KEY": "k"})
    assert (settings.host, settings.port, settings.database_url) == ("127.0.0.1", 8100, DEFAULT_DATABASE_URL)
    assert DEFAULT_DATABASE_URL.endswith("/.run/backoffice.db") and settings.clock.fixed is None
    assert settings.allow_reset is False
    for flag, allowed in (("true", True), ("TRUE", True), ("1", True), ("false", False), ("", False)):
        assert Settings.from_env({"BACKOFFICE_API_KEY": "k", "BACKOFFICE_ALLOW_RESET": flag}).allow_reset is allowed
    settings = Settings.from_env({"BACKOFFICE_API_KEY": "k", "ASSISTANT_TODAY": "2026-11-24",
                                  "BACKOFFICE_PORT": "9000", "BACKOFFICE_DATABASE_URL": "postgresql+psycopg://x/y"})
    assert settings.clock.now() == dt.datetime(2026, 11, 24, 10, 0) and settings.port == 9000
    assert settings.database_url == "postgresql+psycopg://x/y"
    for bad in ({"BACKOFFICE_PORT": "http"}, {"BACKOFFICE_PORT": "70000"}, {"ASSISTANT_TODAY": "24/11/2026"},
                {"BACKOFFICE_TODAY": "2026-11-24"},  # replaced by ASSISTANT_TODAY: refused, not ignored
                {"BACKOFFICE_DATABASE_URL": "not a url"}, {"BACKOFFICE_DATABASE_URL": "nosuchdb://x/y"},
                {"BACKOFFICE_ALLOW_RESET": "maybe"}):
        with pytest.raises(SettingsError):
            Settings.from_env({"BACKOFFICE_API_KEY": "k", **bad})


def test_the_service_refuses_to_start_without_a_key():
    env = service_env("sqlite://", 1)
    env.pop("BACKOFFICE_API_KEY")
    result = subprocess.run([sys.executable, "-m", "backoffice"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "BACKOFFICE_API_KEY is not set" in result.stderr


def test_settings_read_the_one_clock():
    settings = Settings.from_env({"BACKOFFICE_API_KEY": "k", "ASSISTANT_TODAY": "2026-11-24T08:30:00Z"})
    assert settings.clock.now() == dt.datetime(2026, 11, 24, 15, 30)
    with pytest.raises(SettingsError, match="ASSISTANT_TODAY"):
        Settings.from_env({"BACKOFFICE_API_KEY": "k", "ASSISTANT_TODAY": "tomorrow"})


def test_working_days():
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # Friday -> Monday
    assert add_working_days(dt.date(2026, 11, 24), 5) == dt.date(2026, 12, 1)


@pytest.mark.parametrize("typed, code", [
    ("PE01000123456", "PE01000123456"), ("pe 0100 0123456", "PE01000123456"), ("pa01nd0012345", "PA01ND0012345"),
    ("PE0100012345", None), ("XE01000123456", None), ("P101000123456", None), ("PĐ01000123456", None), ("", None),
    ("P" * 500, None),
])
def test_customer_codes(typed, code):
    assert normalize_customer_code(typed) == code


def test_code_sequences_per_prefix_and_year():
    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine) as session:
        assert next_code(session, "YC", 2026) == "YC2026000001"
        assert next_code(session, "YC", 2026) == "YC2026000002"
        assert next_code(session, "YC", 2027) == "YC2027000001"
        assert next_code(session, "KN", 2026) == "KN2026000001"
        reserve_code(session, "SC2026000010")
        assert next_code(session, "SC", 2026) == "SC2026000011"
        reserve_code(session, "YC2026000001")  # below the counter: nothing changes
        assert next_code(session, "YC", 2026) == "YC2026000003"
    with pytest.raises(ValueError):
        format_code("YC", 2026, 1_000_000)


def test_request_codes_are_random_and_free():
    import random
    import re

    from backoffice.models import Complaint

    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine) as session:
        codes = [new_request_code(session, "KN", 2026) for _ in range(50)]
        assert all(re.fullmatch(r"KN2026\d{6}", code) for code in codes) and len(set(codes)) == 50
        assert sorted(codes) != codes  # not given in order
        # a code that exists (or is taken but not written yet) is never given again
        rng = random.Random(7)
        first = new_request_code(session, "KN", 2026, random.Random(7))
        session.add(Complaint(code=first, status="tiep_nhan", category="khac", content="x", phone="0591234567",
                              created_at=dt.datetime(2026, 11, 24), updated_at=dt.datetime(2026, 11, 24)))
        session.flush()
        second = new_request_code(session, "KN", 2026, rng)
        assert second != first
        third = new_request_code(session, "KN", 2026, random.Random(7), taken={first, second})
        assert third not in (first, second)


@pytest.mark.parametrize("a, b", [
    ("Quận 7", "Q7"), ("Quận 7", "quan 07"), ("Quận 7", "q.7"), ("TP. Hồ Chí Minh", "tp hcm"),
    ("TP. Hồ Chí Minh", "Sài Gòn"), ("Thành phố Thủ Đức", "thu duc"), ("Phường Bến Nghé", "P. BEN NGHE"),
    ("Phường Hải Châu I", "hai chau 1"), ("Hà Nội", "HN"), ("Phường 12", "p12"), ("Quận Cầu Giấy", "cầu giấy"),
])
def test_same_places_however_typed(a, b):
    assert same_area(a, b)


@pytest.mark.parametrize("a, b", [("Quận 7", "Quận 1"), ("Phường Dịch Vọng", "Dịch Vọng Hậu"), ("Quận 7", ""),
                                  ("Phú Nhuận", "Nhuận")])
def test_different_places(a, b):
    assert not same_area(a, b)


def test_area_keys_keep_names_that_only_look_like_prefixes():
    assert area_key("Phú Nhuận") == "phu nhuan" and area_key("Xã Đàn") == "dan"


@pytest.mark.parametrize("text, expected", [
    ("Sơn Trà, Đà Nẵng", [Area("Đà Nẵng", "Quận Sơn Trà")]),
    ("phường Dịch Vọng, Cầu Giấy", [Area("Hà Nội", "Quận Cầu Giấy", "Phường Dịch Vọng")]),
    ("Dịch Vọng Hậu", [Area("Hà Nội", "Quận Cầu Giấy", "Phường Dịch Vọng Hậu")]),
    ("p12 tân bình", [Area("TP. Hồ Chí Minh", "Quận Tân Bình", "Phường 12")]),
    ("12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM", [Area("TP. Hồ Chí Minh", "Quận 1", "Phường Bến Nghé")]),
    ("Bình Thủy, Cần Thơ", [Area("Cần Thơ", "Quận Bình Thủy")]),
    ("phường Bình Thủy", [Area("Cần Thơ", "Quận Bình Thủy", "Phường Bình Thủy")]),
    ("Hà Nội", [Area("Hà Nội")]),
    ("xyz", []),
])
def test_free_text_places(text, expected):
    assert resolve(text, places()) == expected


def test_quota_households():
    assert [quota_households(m, True) for m in (1, 4, 5, 8, 9, 16)] == [1, 1, 2, 2, 3, 4]
    assert quota_households(12, False) == 1


def test_attempt_limiter_forgets_after_the_window():
    now = [0.0]
    limiter = AttemptLimiter(max_failures=2, window=60, clock=lambda: now[0])
    limiter.failed("a")
    now[0] = 10.5
    limiter.failed("a")
    assert limiter.blocked("a") and not limiter.blocked("b")
    assert (limiter.retry_after("a"), limiter.retry_after("b")) == (50, 0)  # the first failure leaves at 60
    now[0] = 59.9
    assert limiter.retry_after("a") == 1
    now[0] = 61
    assert not limiter.blocked("a")
    limiter.failed("a")
    limiter.succeeded("a")
    assert not limiter.blocked("a")


def test_attempt_limiter_memory_is_bounded():
    limiter = AttemptLimiter(max_failures=1, window=60, max_keys=3)
    for key in "abcd":
        limiter.failed(key)
    assert len(limiter) == 3 and not limiter.blocked("a") and limiter.blocked("d")


@pytest.mark.parametrize("header, name", [
    (b"127.0.0.1:8100", "127.0.0.1"), (b"LOCALHOST", "localhost"), (b"[::1]:8100", "::1"), (b"[::1]", "::1"),
    (b"evil.example:8100", "evil.example"), (b"127.0.0.1:x", None), (b"[::1]x", None), (b"", None),
    (b"\xff", None),
])
def test_host_names(header, name):
    assert host_name(header) == name


def test_allowed_hosts():
    settings = Settings.from_env({"BACKOFFICE_API_KEY": "k", "BACKOFFICE_HOST": "10.0.0.5",
                                  "BACKOFFICE_ALLOWED_HOSTS": "backoffice, BO.internal",
                                  "BACKOFFICE_URL": "http://cis.example:8100"})
    assert settings.allowed_hosts == {"127.0.0.1", "localhost", "::1", "10.0.0.5", "backoffice", "bo.internal",
                                      "cis.example"}
    assert Settings.from_env({"BACKOFFICE_API_KEY": "k"}).allowed_hosts == {"127.0.0.1", "localhost", "::1"}
