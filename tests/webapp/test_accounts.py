"""The shared accounts (webkit.accounts) in the web app over real HTTP: the session cookie and its CSRF
checks, bearer tokens beside it, disabling a user, and `make user`."""

from __future__ import annotations

import io
import os
import subprocess

import httpx
import pytest
from sqlalchemy.orm import sessionmaker

from admin_support import PASSWORD, STAFF, STAFF_PASSWORD, add_user, login, start
from webapp.settings import Settings, SettingsError
from webkit.accounts import cli
from webkit.accounts.sessions import CookiePolicy, csrf_token
from webkit.db import make_engine

from isolated_stack import ROOT, stop_service  # noqa: E402  (scripts/ is on the path through admin_support)

COOKIE = "__Host-cskh_session"
ENTRY = "/api/kb/entries/kiem-dinh-cong-to"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("accounts")


@pytest.fixture(scope="module")
def url(workdir):
    process, base = start(workdir)
    yield base
    stop_service(process)


@pytest.fixture(scope="module")
def admin(url):
    return login(url)


def same_origin(url):
    """What a browser sends with a request of our own page."""
    return {"Origin": url, "Sec-Fetch-Site": "same-origin"}


def cookie_login(url, username="admin", password=PASSWORD, headers=None) -> httpx.Response:
    return httpx.post(f"{url}/api/auth/login", json={"username": username, "password": password, "session": "cookie"},
                      headers=headers if headers is not None else same_origin(url))


def cookie_session(url, username="admin", password=PASSWORD):
    """(Cookie header, CSRF token) of a new cookie session."""
    answer = cookie_login(url, username, password)
    assert answer.status_code == 200, answer.text
    name, _, value = answer.headers["set-cookie"].split(";")[0].partition("=")
    assert name == COOKIE
    return {"Cookie": f"{COOKIE}={value}"}, answer.json()["csrf_token"]


# --- the session cookie ------------------------------------------------------------------------

def test_a_cookie_sign_in_sets_a_strict_httponly_secure_cookie_and_gives_only_the_csrf_token(url):
    answer = cookie_login(url)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "token" not in body and body["csrf_token"] and body["role"] == "admin"
    assert body["display_name"] == "admin" and answer.headers["cache-control"] == "no-store"
    cookies = answer.headers.get_list("set-cookie")
    assert len(cookies) == 1
    name_value, *attributes = [part.strip() for part in cookies[0].split(";")]
    value = name_value.split("=", 1)[1]
    assert name_value.startswith(f"{COOKIE}=") and value not in answer.text.replace(name_value, "")
    assert {a.lower() for a in attributes} == {"httponly", "path=/", "samesite=strict", "secure"}
    assert body["csrf_token"] == csrf_token(value) != value

    me = httpx.get(f"{url}/api/auth/me", headers={"Cookie": f"{COOKIE}={value}"})
    assert me.status_code == 200 and me.json()["csrf_token"] == body["csrf_token"]  # a reloaded page gets it back


def test_bearer_sign_in_is_unchanged(url):
    answer = httpx.post(f"{url}/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert answer.status_code == 200 and "set-cookie" not in answer.headers
    assert set(answer.json()) == {"token", "role", "username", "display_name", "expires_at"}
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    assert httpx.get(f"{url}/api/auth/me", headers=headers).json() == {
        "username": "admin", "role": "admin", "display_name": "admin"}  # no CSRF token: a header is not forged
    assert httpx.post(f"{url}{ENTRY}/publish", headers=headers).status_code == 200  # no CSRF needed


@pytest.mark.parametrize("forged", [
    {},  # no CSRF token (a browser that labels nothing, a plugin)
    {"X-CSRF-Token": "doan-bua"},
    {"X-CSRF-Token": "RIGHT", "Origin": "http://127.0.0.1:9", "Sec-Fetch-Site": "same-site"},  # another port
    {"X-CSRF-Token": "RIGHT", "Origin": "https://lua-dao.example", "Sec-Fetch-Site": "cross-site"},
    {"X-CSRF-Token": "RIGHT", "Sec-Fetch-Site": "cross-site"},
    {"X-CSRF-Token": "RIGHT", "Origin": "null"},
])
def test_a_cross_site_post_with_the_session_cookie_is_refused_and_writes_nothing(url, admin, forged):
    cookie, csrf = cookie_session(url)
    headers = {**cookie, **{k: (csrf if v == "RIGHT" else v) for k, v in forged.items()}}
    before = httpx.get(f"{url}{ENTRY}", headers=admin).json()
    for method, path, body in [("POST", f"{ENTRY}/unpublish", None), ("PUT", ENTRY, {"answer": "Dạ, giả mạo."}),
                               ("DELETE", ENTRY, None), ("POST", "/api/auth/logout", None),
                               ("PATCH", f"/api/users/{STAFF}", {"disabled": True})]:
        answer = httpx.request(method, f"{url}{path}", headers=headers, json=body)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "csrf_failed"
    assert httpx.get(f"{url}{ENTRY}", headers=admin).json() == before
    assert httpx.get(f"{url}/api/auth/me", headers=cookie).status_code == 200  # not even signed out
    assert httpx.get(f"{url}/api/kb/entries", headers=headers).status_code == 200  # reading is not a change


def test_our_own_page_changes_state_with_the_cookie_and_its_csrf_token(url, admin):
    cookie, csrf = cookie_session(url)
    for extra in ({**same_origin(url)}, {}):  # a browser's labels, or none (then the token alone)
        headers = {**cookie, **extra, "X-CSRF-Token": csrf}
        assert httpx.post(f"{url}{ENTRY}/unpublish", headers=headers).json()["status"] == "draft"
        assert httpx.post(f"{url}{ENTRY}/publish", headers=headers).json()["status"] == "published"
    other_cookie, other_csrf = cookie_session(url)
    assert httpx.post(f"{url}{ENTRY}/unpublish", headers={**cookie, "X-CSRF-Token": other_csrf}).status_code == 403
    assert httpx.post(f"{url}/api/auth/logout", headers={**cookie, "X-CSRF-Token": csrf}).status_code == 204
    assert httpx.get(f"{url}/api/auth/me", headers=cookie).status_code == 401
    assert httpx.get(f"{url}/api/auth/me", headers=other_cookie).status_code == 200  # only that session ended


def test_a_cookie_sign_in_from_another_site_is_refused(url):
    for headers in ({"Origin": "https://lua-dao.example", "Sec-Fetch-Site": "cross-site"},
                    {"Origin": "http://127.0.0.1:9", "Sec-Fetch-Site": "same-site"}):
        answer = cookie_login(url, headers=headers)  # no login CSRF: the admin's browser under another account
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "csrf_failed"
        assert "set-cookie" not in answer.headers


def test_the_bearer_header_wins_over_a_cookie(url, admin):
    cookie, _ = cookie_session(url)
    assert httpx.get(f"{url}/api/auth/me", headers={**cookie, "Authorization": "Bearer nope"}).status_code == 401
    answer = httpx.post(f"{url}{ENTRY}/publish", headers={**cookie, **admin})
    assert answer.status_code == 200  # authenticated by the header: no CSRF check needed


# --- disabling users ---------------------------------------------------------------------------

def test_a_disabled_user_cannot_sign_in_and_its_sessions_stop(url, admin, workdir):
    add_user(workdir / "webapp.db", "tam-nghi", "mat-khau-tam-nghi", "staff")
    bearer = login(url, "tam-nghi", "mat-khau-tam-nghi")
    cookie, _ = cookie_session(url, "tam-nghi", "mat-khau-tam-nghi")
    for credentials in (bearer, cookie):
        assert httpx.get(f"{url}/api/auth/me", headers=credentials).status_code == 200

    staff = login(url, STAFF, STAFF_PASSWORD)
    refused = httpx.patch(f"{url}/api/users/tam-nghi", headers=staff, json={"disabled": True})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"  # admins only
    disabled = httpx.patch(f"{url}/api/users/tam-nghi", headers=admin, json={"disabled": True})
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    for credentials in (bearer, cookie):
        assert httpx.get(f"{url}/api/auth/me", headers=credentials).status_code == 401  # at once

    right = httpx.post(f"{url}/api/auth/login", json={"username": "tam-nghi", "password": "mat-khau-tam-nghi"})
    assert right.status_code == 403 and right.json()["error"]["code"] == "account_disabled"
    wrong = httpx.post(f"{url}/api/auth/login", json={"username": "tam-nghi", "password": "sai-mat-khau"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"  # says nothing more
    listed = {u["username"]: u for u in httpx.get(f"{url}/api/users", headers=admin).json()}
    assert listed["tam-nghi"]["disabled"] and not listed["admin"]["disabled"] and listed[STAFF]["role"] == "staff"
    assert set(listed["admin"]) == {"username", "role", "display_name", "disabled", "created_at"}  # no hash

    enabled = httpx.patch(f"{url}/api/users/tam-nghi", headers=admin, json={"disabled": False})
    assert enabled.status_code == 200 and not enabled.json()["disabled"]
    assert httpx.get(f"{url}/api/auth/me", headers=bearer).status_code == 401  # old sessions stay ended
    login(url, "tam-nghi", "mat-khau-tam-nghi")


def test_an_admin_cannot_disable_themselves_and_unknown_users_are_404(url, admin):
    answer = httpx.patch(f"{url}/api/users/admin", headers=admin, json={"disabled": True})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "cannot_disable_self"
    assert httpx.patch(f"{url}/api/users/khong-co-ai", headers=admin, json={"disabled": True}).status_code == 404
    assert httpx.patch(f"{url}/api/users/{STAFF}", headers=admin, json={"disabled": "co"}).status_code == 422
    assert httpx.get(f"{url}/api/users").status_code == 401


# --- make user ---------------------------------------------------------------------------------

# make run by the tests as a person runs it (not as a sub-make of `make test`)
MAKE_ENV = {**{k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}}


def make_user(workdir, name, role, stdin):
    return subprocess.run(["make", "-s", "--no-print-directory", "user", f"NAME={name}", f"ROLE={role}",
                           f"WEBAPP_DATABASE_URL=sqlite:///{workdir / 'webapp.db'}"],
                          cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120, env=MAKE_ENV)


def test_make_user_reads_the_password_from_stdin_and_the_user_signs_in(url, workdir):
    password = "mat-khau-cua-lan-2026"
    made = make_user(workdir, "lan.nguyen", "staff", f"{password}\n")
    assert made.returncode == 0, made.stderr
    assert password not in made.stdout + made.stderr
    signed_in = httpx.post(f"{url}/api/auth/login", json={"username": "lan.nguyen", "password": password})
    assert signed_in.status_code == 200 and signed_in.json()["role"] == "staff"

    again = make_user(workdir, "lan.nguyen", "staff", "mot-mat-khau-khac\n")
    assert again.returncode != 0 and "already exists" in again.stderr
    short = make_user(workdir, "hai", "admin", "ngan\n")
    assert short.returncode != 0 and "8 characters" in short.stderr
    empty = make_user(workdir, "ba", "staff", "")
    assert empty.returncode != 0 and "no password" in empty.stderr
    bad_role = make_user(workdir, "bon", "sep", "mat-khau-du-dai\n")
    assert bad_role.returncode != 0 and "invalid choice" in bad_role.stderr
    for env in ({}, {"NAME": "ten-trong-moi-truong"}):  # NAME only from make's command line
        usage = subprocess.run(["make", "-s", "--no-print-directory", "user"], cwd=ROOT, capture_output=True,
                               text=True, timeout=60, stdin=subprocess.DEVNULL, env={**MAKE_ENV, **env})
        assert usage.returncode == 2 and "NAME=" in usage.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_asks_twice_on_a_terminal_and_disables(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'users.db'}")
    from webapp import migrations

    migrations.upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    answers = iter(["mat-khau-mot", "mat-khau-hai"])
    assert cli.run(["create", "minh"], sessions, stdin=Terminal(), out=io.StringIO(),
                   ask=lambda prompt: next(answers)) == 1  # the two differ
    answers = iter(["mat-khau-mot", "mat-khau-mot"])
    assert cli.run(["create", "minh", "--role", "admin"], sessions, stdin=Terminal(), out=io.StringIO(),
                   ask=lambda prompt: next(answers)) == 0
    out = io.StringIO()
    assert cli.run(["disable", "minh"], sessions, out=out) == 0 and "disabled" in out.getvalue()
    out = io.StringIO()
    assert cli.run(["list"], sessions, out=out) == 0
    assert out.getvalue().split("\t")[:3] == ["minh", "admin", "disabled"]
    assert cli.run(["enable", "khong-co"], sessions, out=io.StringIO()) == 1
    engine.dispose()


# --- settings ----------------------------------------------------------------------------------

def test_the_insecure_dev_cookie_is_for_loopback_only():
    base = {"WEBAPP_ADMIN_PASSWORD": "x" * 12, "WEBAPP_DEV_INSECURE_COOKIE": "true"}
    assert Settings.from_env(base).insecure_dev_cookie
    assert not Settings.from_env({"WEBAPP_ADMIN_PASSWORD": "x" * 12}).insecure_dev_cookie
    for host in ("0.0.0.0", "10.1.2.3", "cskh.example.vn"):
        with pytest.raises(SettingsError, match="loopback"):
            Settings.from_env({**base, "WEBAPP_HOST": host})
    assert (CookiePolicy().name, CookiePolicy(secure=False).name) == ("__Host-cskh_session", "cskh_session")
    assert CookiePolicy(secure=False).attributes() == {"path": "/", "secure": False, "httponly": True,
                                                       "samesite": "strict"}


def test_the_first_admin_is_not_re_enabled_at_start(tmp_path):
    """ensure_user leaves an existing user as it is: an admin disabled with `webapp.users disable` stays so."""
    from webapp import migrations

    db = tmp_path / "users.db"
    engine = make_engine(f"sqlite:///{db}")
    migrations.upgrade(engine)
    add_user(db, "admin", "mat-khau-admin", "admin")
    sessions = sessionmaker(engine, expire_on_commit=False)
    assert cli.run(["disable", "admin"], sessions, out=io.StringIO()) == 0
    add_user(db, "admin", "mat-khau-khac", "admin")
    from webkit.accounts import users

    with sessions() as session:
        assert users.find(session, "admin").disabled
    engine.dispose()

