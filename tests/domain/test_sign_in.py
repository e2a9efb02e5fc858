"""Signing in to the staff web pages: passwords, lockout after repeated failures, sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.backoffice import BackOffice
from domain.errors import InvalidInput, RuleViolation
from domain.people import User
from domain.sign_in_desk import SignInLocked, SignInRefused
from tests.domain.support import TODAY

AT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
PASSWORD = "a long enough password"


@pytest.fixture
def office() -> tuple[BackOffice, User]:
    """A back office in memory with one planner who has a password."""
    bo = BackOffice(today=lambda: TODAY)
    admin = bo.bootstrap_admin()
    user, _ = bo.register_user("李强", ["planner"], None, admin)
    bo.set_password(user.id, "liqiang", PASSWORD, admin)
    return bo, user


def fail(bo: BackOffice, times: int, start: datetime, every: timedelta) -> None:
    for i in range(times):
        with pytest.raises(SignInRefused):
            bo.sign_in("liqiang", "wrong password", "10.0.0.1", start + i * every)


def event_names(bo: BackOffice, user: User) -> list[str]:
    return [type(e).__name__ for e in bo.repository.event_store.get(user.id)]


def test_right_password_opens_a_session_naming_the_user(office: tuple[BackOffice, User]) -> None:
    # given a planner with a password
    bo, user = office
    # when they sign in with it (the name compared case-blind)
    secret, actor = bo.sign_in("LiQiang", PASSWORD, "127.0.0.1", AT)
    # then the session names them, with their roles, and the sign-in is recorded
    assert actor.id == str(user.id) and actor.roles == frozenset({"planner"})
    session_actor = bo.session_actor(secret, AT + timedelta(minutes=5))
    assert session_actor is not None and session_actor.id == str(user.id)
    assert event_names(bo, user)[-1] == "SignedIn"


def test_five_failures_in_a_row_lock_the_account_for_fifteen_minutes(
    office: tuple[BackOffice, User],
) -> None:
    # given a planner who has got the password wrong four times in a minute
    bo, user = office
    fail(bo, 4, AT, timedelta(seconds=10))
    # when the fifth wrong password comes
    with pytest.raises(SignInLocked) as locked:
        bo.sign_in("liqiang", "wrong password", "10.0.0.1", AT + timedelta(seconds=40))
    # then the account is locked for fifteen minutes, recorded as an event
    assert locked.value.until == AT + timedelta(seconds=40, minutes=15)
    assert event_names(bo, user)[-2:] == ["SignInFailed", "LockedOut"]
    # and even the right password is refused meanwhile, recording nothing
    version = bo.get_user(user.id).version
    with pytest.raises(SignInLocked):
        bo.sign_in("liqiang", PASSWORD, "127.0.0.1", AT + timedelta(minutes=10))
    assert bo.get_user(user.id).version == version
    # and after the lockout the right password works again
    secret, _ = bo.sign_in("liqiang", PASSWORD, "127.0.0.1", AT + timedelta(minutes=16))
    assert bo.session_actor(secret, AT + timedelta(minutes=17)) is not None


def test_failures_spread_out_do_not_lock(office: tuple[BackOffice, User]) -> None:
    # given failures twenty minutes apart (each outside the window of the one before)
    bo, user = office
    # when six come in a row that way
    fail(bo, 6, AT, timedelta(minutes=20))
    # then the account is not locked: each counts as the first
    assert not bo.get_user(user.id).is_locked(AT + timedelta(hours=2))
    assert bo.get_user(user.id).failed_sign_ins == 1


def test_a_success_clears_the_failures(office: tuple[BackOffice, User]) -> None:
    # given four failures, then the right password
    bo, user = office
    fail(bo, 4, AT, timedelta(seconds=5))
    bo.sign_in("liqiang", PASSWORD, "127.0.0.1", AT + timedelta(seconds=30))
    # when four more failures come
    fail(bo, 4, AT + timedelta(minutes=1), timedelta(seconds=5))
    # then the account is still open (the count started again)
    assert not bo.get_user(user.id).is_locked(AT + timedelta(minutes=2))


def test_an_unknown_name_is_refused_and_records_nothing(office: tuple[BackOffice, User]) -> None:
    # given the store as it is
    bo, _ = office
    before = bo.recorder.max_notification_id()
    # when someone signs in under a name nobody has
    with pytest.raises(SignInRefused):
        bo.sign_in("nobody", PASSWORD, "10.0.0.1", AT)
    # then nothing is recorded
    assert bo.recorder.max_notification_id() == before


def test_sessions_end_at_sign_out_and_after_twelve_hours(office: tuple[BackOffice, User]) -> None:
    # given two sessions of the planner
    bo, _ = office
    first, _ = bo.sign_in("liqiang", PASSWORD, "127.0.0.1", AT)
    second, _ = bo.sign_in("liqiang", PASSWORD, "127.0.0.1", AT)
    # when the first is signed out
    bo.sign_out(first, AT + timedelta(hours=1))
    # then it admits nothing more; the second lasts twelve hours and no longer
    assert bo.session_actor(first, AT + timedelta(hours=1, minutes=1)) is None
    assert bo.session_actor(second, AT + timedelta(hours=11, minutes=59)) is not None
    assert bo.session_actor(second, AT + timedelta(hours=12)) is None
    assert bo.session_actor("not a session", AT) is None


def test_short_passwords_and_taken_names_are_refused(office: tuple[BackOffice, User]) -> None:
    # given the planner named liqiang, and a second user
    bo, _ = office
    admin = bo.bootstrap_admin()
    other, _ = bo.register_user("王敏", ["intake"], None, admin)
    # when the second user is given a short password, or the planner's name
    # then each is refused, naming the field or the rule
    with pytest.raises(InvalidInput) as short:
        bo.set_password(other.id, "wangmin", "short", admin)
    assert short.value.field == "password"
    with pytest.raises(RuleViolation) as taken:
        bo.set_password(other.id, " LIQIANG ", PASSWORD, admin)
    assert taken.value.code == "sign_in_name_taken"
    assert bo.get_user(other.id).password_hash is None
