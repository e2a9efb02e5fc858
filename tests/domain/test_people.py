"""Staff users, tokens and the acting user on events (rules.md §11), in memory."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.application import CertificationApplication
from domain.backoffice import BackOffice
from domain.credentials import ApiToken, token_digest
from domain.errors import NotFound, RuleViolation
from domain.people import BOOTSTRAP_ADMIN_ID, User
from domain.rulebook.version import RULEBOOK_VERSION
from domain.sign_in_desk import SignInRefused
from tests.domain.support import submit

CCAA = {"number": "2026-N1SC-1234567", "valid_from": date(2025, 1, 1),
        "valid_until": date(2027, 12, 31)}


def test_registered_users_token_authenticates_with_their_roles(bo: BackOffice) -> None:
    # given the bootstrap admin
    admin = bo.bootstrap_admin()
    # when a user with two roles is registered
    user, token = bo.register_user("张三", ["intake", "planner"], None, admin)
    # then their token authenticates as an actor with exactly those roles
    actor = bo.authenticate(token)
    assert actor is not None
    assert actor.id == str(user.id)
    assert actor.name == "张三"
    assert actor.roles == frozenset({"intake", "planner"})
    assert actor.has_any("planner") and not actor.has_any("auditor")
    # and the user record names who registered them
    stored = bo.get_user(user.id)
    assert (stored.name, stored.roles, stored.active) == ("张三", ["intake", "planner"], True)
    assert stored.registered_by == BOOTSTRAP_ADMIN_ID


def test_each_user_gets_their_own_token(bo: BackOffice) -> None:
    # given two registered users
    admin = bo.bootstrap_admin()
    first, first_token = bo.register_user("张三", ["intake"], None, admin)
    second, second_token = bo.register_user("赵六", ["auditor"], CCAA, admin)
    # when each token is used
    # then it authenticates its own user
    assert first_token != second_token
    assert bo.authenticate(first_token).id == str(first.id)  # type: ignore[union-attr]
    assert bo.authenticate(second_token).id == str(second.id)  # type: ignore[union-attr]
    assert bo.get_user(second.id).registration_valid_on(date(2026, 11, 28))
    assert not bo.get_user(second.id).registration_valid_on(date(2028, 1, 1))


def test_another_token_for_the_same_user(bo: BackOffice) -> None:
    # given a registered user
    admin = bo.bootstrap_admin()
    user, first_token = bo.register_user("张三", ["intake"], None, admin)
    # when another token is issued to them
    second_token = bo.issue_token(user.id, admin)
    # then both authenticate the same user
    assert second_token != first_token
    assert bo.authenticate(first_token).id == bo.authenticate(second_token).id  # type: ignore[union-attr]


def test_issuing_a_token_to_an_unknown_user_is_refused(bo: BackOffice) -> None:
    # given no such user
    before = bo.recorder.max_notification_id()
    # when a token is issued to a random id
    with pytest.raises(NotFound):
        bo.issue_token(uuid4(), bo.bootstrap_admin())
    # then nothing is recorded
    assert bo.recorder.max_notification_id() == before


def test_unknown_roles_are_refused(bo: BackOffice) -> None:
    # given an empty store
    # when a user with a role that does not exist is registered
    with pytest.raises(ValueError, match="superuser"):
        bo.register_user("张三", ["intake", "superuser"], None, bo.bootstrap_admin())
    # then nothing is recorded
    assert bo.recorder.max_notification_id() in (None, 0)


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43, "test-admin-token"])
def test_unknown_token_authenticates_nobody(bo: BackOffice, token: str) -> None:
    # given a registered user
    bo.register_user("张三", ["intake"], None, bo.bootstrap_admin())
    # when an unknown token is presented
    # then nobody is authenticated
    assert bo.authenticate(token) is None


def test_revoked_token_authenticates_nobody(bo: BackOffice) -> None:
    # given a registered user's token, revoked
    admin = bo.bootstrap_admin()
    user, token = bo.register_user("张三", ["intake"], None, admin)
    bo.revoke_token(user.id, ApiToken.create_id(token_digest(token)), "离职 / left", admin)
    # when it is presented
    # then nobody is authenticated
    assert bo.authenticate(token) is None


def test_a_token_expires_after_its_lifetime(bo: BackOffice) -> None:
    # given tokens issued with a lifetime of one day, one issued two days ago
    admin = bo.bootstrap_admin()
    bo.token_lifetime = timedelta(days=1)
    user, fresh = bo.register_user("张三", ["intake"], None, admin)
    credential = bo.get_token(user.id, ApiToken.create_id(token_digest(fresh)))
    now = datetime.now(UTC)
    # when the fresh one is presented, and its record is looked at two days on
    # then the fresh one is accepted, and expires a day after issue
    assert bo.authenticate(fresh) is not None
    assert now < credential.expires_at <= now + timedelta(days=1)
    assert not bo.token_accepted(credential, at=now + timedelta(days=2))


def test_a_deactivated_user_is_refused_every_token_and_session(bo: BackOffice) -> None:
    # given a staff member with two tokens and an open web session
    admin = bo.bootstrap_admin()
    user, token = bo.register_user("张三", ["intake"], None, admin)
    second = bo.issue_token(user.id, admin)
    bo.set_password(user.id, "zhangsan", "a long password", admin)
    secret, _ = bo.sign_in("zhangsan", "a long password", "127.0.0.1")
    assert bo.session_actor(secret) is not None
    # when an admin deactivates them
    bo.deactivate_user(user.id, "离职 / left the company", admin)
    # then no token, no session and no sign-in is accepted; a second deactivation is refused
    assert bo.authenticate(token) is None
    assert bo.authenticate(second) is None
    assert bo.session_actor(secret) is None
    with pytest.raises(SignInRefused):
        bo.sign_in("zhangsan", "a long password", "127.0.0.1")
    with pytest.raises(RuleViolation):
        bo.deactivate_user(user.id, "again", admin)


def test_only_the_tokens_digest_is_stored(bo: BackOffice) -> None:
    # given a registered user and a second token
    admin = bo.bootstrap_admin()
    user, token = bo.register_user("张三", ["intake"], None, admin)
    second = bo.issue_token(user.id, admin)
    # when every stored event is read as bytes
    states = [n.state for n in bo.recorder.select_notifications(start=1, limit=1000)]
    everything = b"\n".join(states)
    # then neither raw token appears anywhere, and each digest does
    assert len(states) == 3
    for raw in (token, second):
        assert raw.encode() not in everything
        assert token_digest(raw).encode() in everything
    # and the digest is the SHA-256 hex of the token
    credential = bo.repository.get(ApiToken.create_id(token_digest(token)))
    assert isinstance(credential, ApiToken)
    assert credential.digest == token_digest(token)
    assert len(credential.digest) == 64
    assert credential.user_id == str(user.id)


def test_a_user_is_not_an_application(bo: BackOffice) -> None:
    # given a registered user
    user, _ = bo.register_user("张三", ["intake"], None, bo.bootstrap_admin())
    # when their id is read as an application
    # then it is not found
    with pytest.raises(NotFound):
        bo.get_application(user.id)
    assert isinstance(bo.get_user(user.id), User)


def test_review_records_rulebook_version_and_reviewer(bo: BackOffice) -> None:
    # given an intake user authenticated by their token, and a submitted application
    admin = bo.bootstrap_admin()
    user, token = bo.register_user("张三", ["intake"], None, admin)
    reviewer = bo.authenticate(token)
    assert reviewer is not None
    app = submit(bo, reviewer)
    # when the user reviews it
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), reviewer)
    # then the stored Reviewed event carries the rulebook version and the reviewer's id
    events = list(bo.events.get(app.id))
    reviewed = events[-1]
    assert isinstance(reviewed, CertificationApplication.Reviewed)
    assert reviewed.rulebook_version == RULEBOOK_VERSION  # type: ignore[attr-defined]
    assert reviewed.by == str(user.id)  # type: ignore[attr-defined]
    # and the submission names its submitter too
    assert events[0].by == str(user.id)  # type: ignore[attr-defined]
