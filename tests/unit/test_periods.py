import datetime as dt

import pytest

from actions.periods import LATEST, MONTH, PREVIOUS, RECENT, PeriodQuery, month_label, parse_period

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("tháng này", PeriodQuery(LATEST)),
        ("kỳ này", PeriodQuery(LATEST)),
        ("ki nay", PeriodQuery(LATEST)),
        ("thang nay", PeriodQuery(LATEST)),
        ("tháng trước", PeriodQuery(PREVIOUS)),
        ("thang truoc", PeriodQuery(PREVIOUS)),
        ("tháng rồi", PeriodQuery(PREVIOUS)),
        ("tháng 10", PeriodQuery(MONTH, "2026-10")),
        ("t10", PeriodQuery(MONTH, "2026-10")),
        ("thg 9", PeriodQuery(MONTH, "2026-09")),
        ("tháng 12", PeriodQuery(MONTH, "2025-12")),
        ("10/2025", PeriodQuery(MONTH, "2025-10")),
        ("tháng 3/2026", PeriodQuery(MONTH, "2026-03")),
        ("tháng mười", PeriodQuery(MONTH, "2026-10")),
        ("tháng mười hai", PeriodQuery(MONTH, "2025-12")),
        ("3 tháng gần đây", PeriodQuery(RECENT, count=3)),
        ("mấy tháng gần đây", PeriodQuery(RECENT, count=3)),
        ("6 thang qua", PeriodQuery(RECENT, count=6)),
        ("40 tháng gần đây", PeriodQuery(RECENT, count=12)),
    ],
)
def test_periods(text, expected):
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "tháng 13", "13/2026", "12/2026", "1/1999", "xin chào", "👍"])
def test_no_period(text):
    assert parse_period(text, TODAY) is None


def test_month_label():
    assert month_label("2026-03") == "tháng 3/2026"
