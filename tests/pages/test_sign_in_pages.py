"""Signing in to the staff pages through the browser's forms (TestClient keeps the cookies)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.pages.support import ADMIN, PASSWORD, csrf_of, sign_in, staff_member


def test_a_page_without_a_session_sends_the_browser_to_sign_in(client: TestClient) -> None:
    # given no session
    # when the home page is asked for
    answer = client.get("/?x=1", follow_redirects=False)
    # then the browser is sent to the sign-in form, which will bring it back
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/%3Fx%3D1"


def test_signing_in_sets_a_strict_http_only_cookie_and_shows_home(client: TestClient) -> None:
    # given a planner with a password
    staff_member(client, "李强", ["planner"], "liqiang")
    form = client.get("/sign-in")
    # when they sign in
    answer = client.post(
        "/sign-in",
        data={"sign_in_name": "liqiang", "password": PASSWORD, "csrf_token": csrf_of(form.text),
              "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    # then the session cookie is HttpOnly and SameSite=Strict, and home greets them
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(h for h in answer.headers.get_list("set-cookie")
                  if h.startswith("ecpsc_session="))  # fmt: skip
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    home = client.get("/")
    assert home.status_code == 200 and "李强" in home.text


def test_the_session_cookie_is_secure_behind_tls(settings) -> None:  # type: ignore[no-untyped-def]
    # given the server reached over https
    from api.main import create_app

    with TestClient(create_app(settings), base_url="https://testserver") as tls:
        staff_member(tls, "李强", ["planner"], "liqiang")
        form = tls.get("/sign-in")
        # when a planner signs in
        answer = tls.post(
            "/sign-in",
            data={"sign_in_name": "liqiang", "password": PASSWORD,
                  "csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )  # fmt: skip
    # then the cookie is only sent over TLS
    cookie = next(h for h in answer.headers.get_list("set-cookie")
                  if h.startswith("ecpsc_session="))  # fmt: skip
    assert "Secure" in cookie


def test_five_wrong_passwords_lock_the_account_and_record_it(client: TestClient) -> None:
    # given a planner
    user_id = staff_member(client, "李强", ["planner"], "liqiang")
    # when a wrong password is given five times
    answers = []
    for _ in range(5):
        form = client.get("/sign-in")
        answers.append(client.post(
            "/sign-in",
            data={"sign_in_name": "liqiang", "password": "not the password",
                  "csrf_token": csrf_of(form.text)},
        ))  # fmt: skip
    # then four are refused, the fifth locks the account; the right one is refused too
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    assert "登录名或密码不正确" in answers[0].text and "账户已锁定" in answers[4].text
    form = client.get("/sign-in")
    locked = client.post("/sign-in", data={"sign_in_name": "liqiang", "password": PASSWORD,
                                           "csrf_token": csrf_of(form.text)})  # fmt: skip
    assert locked.status_code == 429
    # and the failures and the lockout are events of the user
    services = client.app.state.services  # type: ignore[attr-defined]
    from uuid import UUID

    names = [type(e).__name__ for e in services.backoffice.repository.event_store.get(
        UUID(user_id))]  # fmt: skip
    assert names.count("SignInFailed") == 5 and names[-1] == "LockedOut"


def test_a_form_without_its_csrf_token_is_refused_and_records_nothing(
    client: TestClient,
) -> None:
    # given a signed-in planner
    staff_member(client, "李强", ["planner"], "liqiang")
    sign_in(client, "liqiang")
    services = client.app.state.services  # type: ignore[attr-defined]
    before = services.backoffice.recorder.max_notification_id()
    # when a form is posted without the token (as another site's page would)
    answer = client.post("/sign-out", data={})
    # then it is refused and the session goes on
    assert answer.status_code == 403
    assert services.backoffice.recorder.max_notification_id() == before
    assert client.get("/", follow_redirects=False).status_code == 200


def test_a_sign_in_form_without_its_cookie_token_is_refused(client: TestClient) -> None:
    # given a planner, and a sign-in post with a made-up token
    staff_member(client, "李强", ["planner"], "liqiang")
    # when it is sent
    answer = client.post("/sign-in", data={"sign_in_name": "liqiang", "password": PASSWORD,
                                           "csrf_token": "made-up"})  # fmt: skip
    # then no session starts
    assert answer.status_code == 403
    assert "ecpsc_session" not in client.cookies


def test_signing_out_ends_the_session_for_good(client: TestClient) -> None:
    # given a signed-in planner, and their cookie kept aside
    staff_member(client, "李强", ["planner"], "liqiang")
    token = sign_in(client, "liqiang")
    kept = client.cookies.get("ecpsc_session")
    # when they sign out
    answer = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    # then they are at the sign-in form, and the old cookie no longer opens pages
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
    client.cookies.set("ecpsc_session", kept or "")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_language_switch_shows_english(client: TestClient) -> None:
    # given a signed-in planner reading Chinese
    staff_member(client, "李强", ["planner"], "liqiang")
    sign_in(client, "liqiang")
    assert "今日待办" in client.get("/").text
    # when they switch to English
    client.get("/language?to=en&next=/")
    # then the page speaks English
    page = client.get("/").text
    assert "Today&#39;s work" in page and 'lang="en"' in page


def test_a_password_is_refused_when_short_or_the_name_is_taken(client: TestClient) -> None:
    # given two staff members, one signing in as liqiang
    staff_member(client, "李强", ["planner"], "liqiang")
    other = client.post("/api/v1/users", json={"name": "王敏", "roles": ["intake"]},
                        headers=ADMIN).json()["id"]  # fmt: skip
    # when the other gets a short password, or the same name
    short = client.post(f"/api/v1/users/{other}/password",
                        json={"sign_in_name": "wangmin", "password": "short"}, headers=ADMIN)
    taken = client.post(f"/api/v1/users/{other}/password",
                        json={"sign_in_name": "LiQiang", "password": PASSWORD}, headers=ADMIN)
    # then 422 names the field, 409 names the rule
    assert short.status_code == 422 and short.json()["detail"][0]["loc"][-1] == "password"
    assert taken.status_code == 409 and taken.json()["code"] == "sign_in_name_taken"
