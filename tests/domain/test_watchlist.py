"""The eligibility watchlist (ZPIC-WF-20 4.1.2), in memory, in given/when/then style."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from domain.backoffice import BackOffice
from domain.errors import InvalidInput, RuleViolation
from domain.people import Actor
from domain.watchlist import WatchlistEntry
from tests.domain.support import TODAY, stored_count, submit
from tests.factories import VALID_USCCS

USCC = VALID_USCCS[1]
OTHER = VALID_USCCS[2]
SUSPENSION = "business_suspension_order"
SERIOUS = "serious_illegal"


def test_listing_puts_the_organization_on_the_watchlist(bo: BackOffice, intake: Actor) -> None:
    # given an organization never listed
    assert bo.watchlist_entry(USCC) is None
    assert not bo.is_listed(USCC)
    # when an enforcement authority's listing is recorded
    bo.list_on_watchlist(USCC, SUSPENSION, "福州市市场监督管理局 2026-123", date(2026, 11, 10),
                         intake)
    # then the organization is listed, with source and date, and no other organization is
    entry = bo.watchlist_entry(USCC)
    assert entry is not None
    assert entry.is_listed and bo.is_listed(USCC)
    assert entry.uscc == USCC
    assert entry.listings == {
        SUSPENSION: {"source": "福州市市场监督管理局 2026-123", "listed_on": date(2026, 11, 10)}
    }
    assert entry.id == WatchlistEntry.create_id(USCC)
    assert not bo.is_listed(OTHER)


def test_listing_on_another_list_is_a_relisting(bo: BackOffice, intake: Actor) -> None:
    # given an organization on the business suspension list
    bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    # when it is also put on the serious illegal enterprise list
    bo.list_on_watchlist(USCC, SERIOUS, "source B", date(2026, 11, 12), intake)
    # then it is on both lists, recorded as Listed then Relisted on one aggregate
    entry = bo.watchlist_entry(USCC)
    assert entry is not None
    assert set(entry.listings) == {SUSPENSION, SERIOUS}
    assert entry.listings[SERIOUS] == {"source": "source B", "listed_on": date(2026, 11, 12)}
    assert entry.version == 2
    assert [type(e).__name__ for e in bo.events.get(entry.id)] == ["Listed", "Relisted"]


def test_listing_on_the_same_list_twice_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given an organization on the business suspension list
    entry = bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    # when it is put on that list again
    with pytest.raises(RuleViolation) as refused:
        bo.list_on_watchlist(USCC, SUSPENSION, "source C", date(2026, 11, 11), intake)
    # then it is refused as already listed and nothing is recorded
    assert refused.value.code == "already_listed"
    assert stored_count(bo, entry.id) == 1
    assert bo.watchlist_entry(USCC).listings[SUSPENSION]["source"] == "source A"  # type: ignore[union-attr]


def test_delisting_takes_the_organization_off_every_list(bo: BackOffice, intake: Actor) -> None:
    # given an organization on both lists
    bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    bo.list_on_watchlist(USCC, SERIOUS, "source B", date(2026, 11, 12), intake)
    # when it is delisted
    bo.delist(USCC, "整改完成 / rectified", date(2026, 11, 15), intake)
    # then it is on no list, and the history keeps all three events
    entry = bo.watchlist_entry(USCC)
    assert entry is not None
    assert not entry.is_listed and not bo.is_listed(USCC)
    assert entry.listings == {}
    assert [type(e).__name__ for e in bo.events.get(entry.id)] == [
        "Listed", "Relisted", "Delisted"
    ]


def test_listing_again_after_delisting(bo: BackOffice, intake: Actor) -> None:
    # given an organization listed and then delisted
    bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    bo.delist(USCC, "rectified", date(2026, 11, 15), intake)
    # when it is listed on the same list again
    bo.list_on_watchlist(USCC, SUSPENSION, "source D", date(2026, 11, 20), intake)
    # then it is listed again
    entry = bo.watchlist_entry(USCC)
    assert entry is not None and entry.is_listed
    assert entry.listings == {SUSPENSION: {"source": "source D", "listed_on": date(2026, 11, 20)}}


def test_delisting_an_organization_never_listed_is_refused(
    bo: BackOffice, intake: Actor
) -> None:
    # given an organization never listed
    before = bo.recorder.max_notification_id()
    # when it is delisted
    with pytest.raises(RuleViolation) as refused:
        bo.delist(USCC, "rectified", date(2026, 11, 15), intake)
    # then it is refused as not listed and nothing is recorded
    assert refused.value.code == "not_listed"
    assert bo.recorder.max_notification_id() == before
    assert bo.watchlist_entry(USCC) is None


def test_delisting_twice_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given an organization listed and delisted
    entry = bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    bo.delist(USCC, "rectified", date(2026, 11, 15), intake)
    # when it is delisted again
    with pytest.raises(RuleViolation) as refused:
        bo.delist(USCC, "rectified", date(2026, 11, 16), intake)
    # then it is refused as not listed and nothing is recorded
    assert refused.value.code == "not_listed"
    assert stored_count(bo, entry.id) == 2


def test_delisting_before_the_listing_date_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given an organization listed on 2026-11-10 and on 2026-11-12
    entry = bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    bo.list_on_watchlist(USCC, SERIOUS, "source B", date(2026, 11, 12), intake)
    # when it is delisted as of 2026-11-11 (before its latest listing) or 2026-11-09
    for day in (date(2026, 11, 11), date(2026, 11, 9)):
        with pytest.raises(InvalidInput) as refused:
            bo.delist(USCC, "rectified", day, intake)
        # then it is refused as an impossible date and the organization stays listed
        assert refused.value.field == "delisted_on"
        assert stored_count(bo, entry.id) == 2
        assert bo.is_listed(USCC)
    # and delisting on the day of the latest listing is accepted
    bo.delist(USCC, "rectified", date(2026, 11, 12), intake)
    assert not bo.is_listed(USCC)


@pytest.mark.parametrize("command", ["list", "delist"])
def test_watchlist_dates_after_today_are_refused(
    bo: BackOffice, intake: Actor, command: str
) -> None:
    # given an organization listed, when delisting is tested
    if command == "delist":
        bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 10), intake)
    before = bo.recorder.max_notification_id()
    # when the listing or delisting is dated tomorrow
    with pytest.raises(InvalidInput) as refused:
        if command == "list":
            bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 29), intake)
        else:
            bo.delist(USCC, "rectified", date(2026, 11, 29), intake)
    # then the date is refused and nothing is recorded
    assert refused.value.field == ("listed_on" if command == "list" else "delisted_on")
    assert bo.recorder.max_notification_id() == before


@pytest.mark.parametrize("watchlist", [SUSPENSION, SERIOUS])
def test_a_listed_organization_cannot_be_accepted(
    bo: BackOffice, intake: Actor, watchlist: str
) -> None:
    # given a complete application from an organization that is then listed
    app = submit(bo, intake, uscc=USCC)
    bo.list_on_watchlist(USCC, watchlist, "source A", date(2026, 11, 21), intake)
    # when the application is accepted
    with pytest.raises(RuleViolation) as refused:
        bo.review_application(app.id, "accepted", [], [], TODAY, intake)
    # then it is refused as ineligible and the application is unchanged
    assert refused.value.code == "ineligible"
    assert refused.value.clause == "ZPIC-WF-20 4.1.2"
    stored = bo.get_application(app.id)
    assert (stored.status, stored.version) == ("submitted", 1)
    assert stored_count(bo, app.id) == 1


def test_a_listed_organization_can_still_be_rejected(bo: BackOffice, intake: Actor) -> None:
    # given an application from a listed organization
    app = submit(bo, intake, uscc=USCC)
    bo.list_on_watchlist(USCC, SERIOUS, "source A", date(2026, 11, 21), intake)
    # when it is rejected with the listing as reason
    bo.review_application(app.id, "rejected", ["列入严重违法企业名单 / listed"], [], TODAY, intake)
    # then it is rejected
    assert bo.get_application(app.id).status == "rejected"


def test_another_organizations_listing_does_not_block(bo: BackOffice, intake: Actor) -> None:
    # given another organization on the watchlist
    bo.list_on_watchlist(OTHER, SUSPENSION, "source A", date(2026, 11, 10), intake)
    app = submit(bo, intake, uscc=USCC)
    # when this organization's application is accepted
    bo.review_application(app.id, "accepted", [], [], TODAY, intake)
    # then it is accepted
    assert bo.get_application(app.id).status == "accepted"


def test_after_delisting_the_application_can_be_accepted(bo: BackOffice, intake: Actor) -> None:
    # given an application refused because its organization was listed
    app = submit(bo, intake, uscc=USCC)
    bo.list_on_watchlist(USCC, SUSPENSION, "source A", date(2026, 11, 21), intake)
    with pytest.raises(RuleViolation):
        bo.review_application(app.id, "accepted", [], [], date(2026, 11, 22), intake)
    # when the organization is delisted and the application reviewed again
    bo.delist(USCC, "rectified", date(2026, 11, 23), intake)
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 24), intake)
    # then it is accepted
    stored = bo.get_application(app.id)
    assert (stored.status, stored.version) == ("accepted", 2)


def test_an_unknown_watchlist_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given an organization never listed
    before = bo.recorder.max_notification_id()
    # when it is put on a list the rules do not have
    with contextlib.suppress(InvalidInput, RuleViolation, ValueError):
        bo.list_on_watchlist(USCC, "blacklist", "source", date(2026, 11, 10), intake)
    # then nothing is recorded
    assert bo.recorder.max_notification_id() == before
    assert bo.watchlist_entry(USCC) is None
