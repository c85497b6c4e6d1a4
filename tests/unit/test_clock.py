"""common.clock: Vietnam time, pinned by ASSISTANT_TODAY or real; the same in both runtimes."""

import datetime as dt

import pytest

from common.clock import (
    REFERENCE_TIME,
    SETTING,
    VIETNAM,
    Clock,
    ClockError,
    aware,
    clock_from_env,
    parse_reference,
    to_local,
    today,
)

UTC = dt.timezone.utc


@pytest.mark.parametrize("text, moment", [
    ("2026-11-24", dt.datetime(2026, 11, 24, 10, 0)),
    (" 2027-01-01 ", dt.datetime(2027, 1, 1, 10, 0)),
    ("2026-11-24T15:30", dt.datetime(2026, 11, 24, 15, 30)),
    ("2026-11-24 15:30:45", dt.datetime(2026, 11, 24, 15, 30, 45)),
    ("2026-11-24T15:30:45.123456", dt.datetime(2026, 11, 24, 15, 30, 45)),
    ("2026-11-24T08:30:00Z", dt.datetime(2026, 11, 24, 15, 30)),
    ("2026-11-24T08:30z", dt.datetime(2026, 11, 24, 15, 30)),
    ("2026-11-24T15:30+07:00", dt.datetime(2026, 11, 24, 15, 30)),
    ("2026-12-31T20:00-05:00", dt.datetime(2027, 1, 1, 8, 0)),  # already New Year in Vietnam
])
def test_reference_moments(text, moment):
    assert parse_reference(text) == moment


@pytest.mark.parametrize("text", ["", "24/11/2026", "2026-02-30", "20261124", "2026-W48-2", "2026-11-24T",
                                  "2026-11-24T25:00", "2026-11-24T10", "tomorrow", "2026-11-24T10:00+7"])
def test_what_is_not_an_iso_moment(text):
    with pytest.raises(ClockError, match="not an ISO date or datetime"):
        parse_reference(text)


def test_a_date_alone_means_ten_in_the_morning():
    assert REFERENCE_TIME == dt.time(10, 0)
    assert Clock(parse_reference("2026-11-24")).today() == dt.date(2026, 11, 24)


def test_pinned_clock_from_the_setting():
    assert SETTING == "ASSISTANT_TODAY"
    clock = clock_from_env({"ASSISTANT_TODAY": "2026-11-24"})
    assert clock.pinned and clock.now() == dt.datetime(2026, 11, 24, 10, 0) and clock.today() == dt.date(2026, 11, 24)
    assert clock.now() == clock.now()  # it does not move
    assert clock_from_env({"ASSISTANT_TODAY": "2026-12-31T23:59"}).today() == dt.date(2026, 12, 31)
    assert today({"ASSISTANT_TODAY": "2027-01-01"}) == dt.date(2027, 1, 1)


def test_a_bad_setting_names_itself():
    with pytest.raises(ClockError, match="ASSISTANT_TODAY: not an ISO date or datetime: '24/11/2026'"):
        clock_from_env({"ASSISTANT_TODAY": "24/11/2026"})


def test_the_setting_is_read_from_the_environment_by_default(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TODAY", "2026-11-24")
    assert clock_from_env().now() == dt.datetime(2026, 11, 24, 10, 0)
    assert today() == dt.date(2026, 11, 24)


@pytest.mark.parametrize("env", [{}, {"ASSISTANT_TODAY": ""}, {"ASSISTANT_TODAY": "  "}])
def test_an_unpinned_clock_follows_real_vietnam_time(env):
    clock = clock_from_env(env)
    before = (dt.datetime.now(UTC) + dt.timedelta(hours=7)).replace(tzinfo=None, microsecond=0)
    now = clock.now()
    after = (dt.datetime.now(UTC) + dt.timedelta(hours=7)).replace(tzinfo=None)
    assert not clock.pinned and now.tzinfo is None and now.microsecond == 0
    assert before <= now <= after
    assert clock.today() in (before.date(), after.date())


def test_fixed_moments_are_kept_in_vietnam_time():
    assert Clock(dt.datetime(2026, 11, 24, 3, 0, tzinfo=UTC)).now() == dt.datetime(2026, 11, 24, 10, 0)
    assert Clock(dt.datetime(2026, 1, 2, 3, 4)).today() == dt.date(2026, 1, 2)


def test_local_and_aware_datetimes():
    moment = dt.datetime(2026, 11, 24, 10, 0)
    assert aware(moment) == dt.datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert aware(moment).isoformat() == "2026-11-24T10:00:00+07:00" and aware(None) is None
    assert to_local(aware(moment)) == moment and to_local(moment) is moment
    assert to_local(dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)) == dt.datetime(2026, 11, 25, 3, 0)
    assert VIETNAM.utcoffset(None) == dt.timedelta(hours=7)
