"""Test harness: runs the real back-office service (``python -m backoffice``) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "test-key-0f9c2b"
TODAY = "2026-11-24"  # every service of these tests runs on this day (ASSISTANT_TODAY), 10:00
STARTUP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_env(database_url: str, port: int, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKOFFICE_") and k != "ASSISTANT_TODAY"}
    env.update({
        "BACKOFFICE_DATABASE_URL": database_url,
        "BACKOFFICE_API_KEY": API_KEY,
        "BACKOFFICE_HOST": "127.0.0.1",
        "BACKOFFICE_PORT": str(port),
        "ASSISTANT_TODAY": TODAY,
        "PYTHONPATH": str(ROOT),
        **extra,
    })
    return env


@contextmanager
def running_service(database_url: str, log_path: Path, **extra_env: str) -> Iterator[str]:
    """Starts the service, waits for /health, yields its base URL, stops it."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "backoffice"], cwd=ROOT, env=service_env(database_url, port, **extra_env),
            stdout=log, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the service exited ({process.returncode}):\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


FIELD_CODES = {"invalid_phone", "missing", "too_long", "blank", "invalid"}


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    """The response is the API's error shape with this status (and code): 422 adds the
    offending ``fields``, 429 ``retry_after`` (and the Retry-After header)."""
    assert response.status_code == status, response.text
    body = response.json()
    extra = {422: {"fields"}, 429: {"retry_after"}}.get(status, set())
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"} | extra, body
    assert body["error"]["message"]
    if status == 422:
        fields = body["error"]["fields"]
        assert fields and all(set(f) == {"field", "code", "params"} and f["code"] in FIELD_CODES for f in fields), body
    if status == 429:
        assert response.headers["Retry-After"] == str(body["error"]["retry_after"]), response.headers
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def dump_database(database_url: str) -> dict:
    """Every row of every table, in primary-key order."""
    from sqlalchemy import create_engine, select

    from backoffice.models import Base

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return {table.name: connection.execute(select(table).order_by(*table.primary_key.columns)).all()
                    for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def quiet_customers(database_url: str, count: int) -> list:
    """Non-demo customers in ``count`` distinct wards that have, right now, no open outage
    incident and no planned outage in progress: a report from there opens a new ticket."""
    import datetime as dt

    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from backoffice.models import Customer, OutageTicket, PlannedOutage, ward_key
    from backoffice.seed_data import DEMO_CUSTOMERS

    now = dt.datetime.combine(dt.date.fromisoformat(TODAY), dt.time(10, 0))
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            busy = set(session.scalars(select(OutageTicket.open_ward).where(OutageTicket.open_ward.is_not(None))))
            busy |= {ward_key(d.province, d.district, d.ward) for d in DEMO_CUSTOMERS}
            current = session.scalars(select(PlannedOutage).where(PlannedOutage.start_at <= now,
                                                                  PlannedOutage.end_at > now)).all()
            chosen = []
            for customer in session.scalars(select(Customer).order_by(Customer.id)):
                key = ward_key(customer.province, customer.district, customer.ward)
                if key in busy or any((o.province, o.district) == (customer.province, customer.district)
                                      and o.ward in (None, customer.ward) for o in current):
                    continue
                busy.add(key)
                chosen.append({"code": customer.code, "ward": customer.ward, "district": customer.district,
                               "province": customer.province})
                if len(chosen) == count:
                    return chosen
    finally:
        engine.dispose()
    raise AssertionError(f"fewer than {count} quiet wards left")
