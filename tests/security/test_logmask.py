"""common/logmask.py: phone numbers are masked to their last 3 digits in every log record."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from common import logmask
from common.logmask import PhoneMaskFilter, mask, mask_record

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, masked", [
    ("0903123456", "*******456"),
    ("+84 903 123 456", "********456"),
    ("+84903123456", "********456"),
    ("84903123456", "********456"),
    ("0903.123.456", "*******456"),
    ("0903-123-456", "*******456"),
    ("0903 123 456", "*******456"),
    ("gọi 0987654321 nhé", "gọi *******321 nhé"),
    ("số 0359999888, hoặc 0779999888.", "số *******888, hoặc *******888."),
    ("024 3825 1234", "********234"),
    ("(028) 3823 4567", "********567"),
    ("02838234567", "********567"),
    ("0236 3821 234", "********234"),
    ("+84 24 3825 1234", "*********234"),
    # URLs as uvicorn's access log writes them: the query string percent-encoded, + for a space
    ("GET /v1/requests?phone=0903123456&limit=3 HTTP/1.1", "GET /v1/requests?phone=*******456&limit=3 HTTP/1.1"),
    ("phone=%2B84%20903%20123%20456", "phone=********456"),
    ("phone=0903+123+456", "phone=*******456"),
    ("q=s%C4%91t%200903123456", "q=s%C4%91t%20*******456"),
    ("/v1/requests/0903123456", "/v1/requests/*******456"),
])
def test_phone_numbers_are_masked_to_their_last_three_digits(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize("text", [
    "PE01000123456", "pe 0100 0123456", "PB02123456789",  # customer codes (PB02… looks like a landline)
    "YC2026000123", "KN2026000001", "SC 2026000001", "CD2026000011",  # request and outage codes
    "2026-11-24 10:00:00,123", "127.0.0.1:51234", "meter 1598402269", "1.234.567 đồng", "kwh=333",
    "090312345", "09031234567", "0123456789", "x0903123456",  # too short, too long, not a prefix, in a word
    "",
])
def test_what_is_not_a_phone_is_left_alone(text):
    assert mask(text) == text


def test_the_last_four_digits_never_remain():
    # the back office checks identity with the last 4 digits: a log must not hold them
    for phone in ("0903123456", "+84 912 345 678", "0939.555.666"):
        assert phone.replace(" ", "").replace(".", "")[-4:] not in mask(f"verify {phone}")


def _record(msg, args=(), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("test", logging.INFO, __file__, 1, msg, args, exc_info)


def test_records_keep_their_shape():
    access = _record('%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5123", "GET", "/v1/x?phone=0912345678", "1.1", 200))
    mask_record(access)
    # uvicorn's access formatter unpacks these five arguments: same number, same types
    assert access.args == ("127.0.0.1:5123", "GET", "/v1/x?phone=*******678", "1.1", 200)
    assert access.getMessage() == '127.0.0.1:5123 - "GET /v1/x?phone=*******678 HTTP/1.1" 200'
    named = _record("%(who)s called", ({"who": "0912345678"},))
    assert mask_record(named).getMessage() == "*******678 called"
    message = mask_record(_record("customer 0912345678 verified"))
    assert message.msg == "customer *******678 verified" and message.args == ()
    objects = mask_record(_record("tracker %s / %r", ({"phone": "0912345678"}, ["+84 912 345 678"])))
    assert "0912345678" not in objects.getMessage() and "912 345 678" not in objects.getMessage()
    assert mask_record(_record("%d kWh for %s", (333, b"0912345678"))).getMessage() == "333 kWh for b'*******678'"


def test_exception_text_is_masked():
    try:
        raise ValueError("bad phone 0912345678")
    except ValueError:
        record = mask_record(_record("failed", exc_info=sys.exc_info()))
    formatted = logging.Formatter().format(record)
    assert "ValueError: bad phone *******678" in formatted and "0912345678" not in formatted


def test_the_filter_masks_what_a_handler_writes():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PhoneMaskFilter())
    logger = logging.getLogger("tests.security.logmask.filter")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("callback to %s", "0987 654 321")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "callback to *******321\n"


def test_install_masks_every_record_of_the_process():
    # in a child process: install() changes the process's record factory for good
    script = """
import logging, sys
from common import logmask
logmask.install(); logmask.install()  # idempotent
assert logmask.installed()
logging.basicConfig(stream=sys.stdout, format="%(name)s %(message)s", level=logging.INFO)
logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/?p=0903123456", "1.1", 200)
logging.getLogger("sanic.root").info("message from 0912 345 678")
logging.getLogger().info({"sender": "x", "phone": "+84 987 654 321"})
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        'uvicorn.access 127.0.0.1:1 - "GET /?p=*******456 HTTP/1.1" 200',
        "sanic.root message from *******678",
        "root {'sender': 'x', 'phone': '********321'}",
    ]

