"""Two staff members changing one record at the same moment (issue 9, faults): one command
wins, the other is answered `409 version_conflict`, and the record holds only the winner's
change. The two requests go through a real server; both are held just before saving until both
have loaded the same version, so the race happens every time, not by luck."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from domain.backoffice import BackOffice
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.browser.conftest import server_url  # noqa: F401  (the real server fixture)
from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
MEET_SECONDS = 20


def test_two_reviews_of_one_application_at_once_one_wins_the_other_conflicts(
    server_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given an application received, and two intake clerks
    with httpx.Client(base_url=server_url, timeout=60) as api:
        office = LifecycleOffice(api, ADMIN)
        application_id = office.application(uscc(951), "2026-11-20").json()["id"]
        second_clerk = office.user("受理员乙", "intake")[1]
    # and every save held until two commands have loaded the record and are about to save
    meet = threading.Barrier(2, timeout=MEET_SECONDS)
    save = BackOffice.save

    def held_save(self: BackOffice, *objs: Any, **kwargs: Any) -> Any:
        meet.wait()
        return save(self, *objs, **kwargs)

    monkeypatch.setattr(BackOffice, "save", held_save)
    outcomes: dict[str, httpx.Response] = {}

    def review(name: str, headers: dict[str, str], outcome: str) -> None:
        body = {"outcome": outcome, "reasons": [] if outcome == "accepted" else ["缺材料"],
                "missing": [] if outcome == "accepted" else ["licences"],
                "reviewed_on": "2026-11-21"}  # fmt: skip
        outcomes[name] = httpx.post(f"{server_url}/api/v1/applications/{application_id}/review",
                                    json=body, headers=headers, timeout=60)  # fmt: skip

    # when one clerk accepts it while the other asks for a supplement, at the same moment
    threads = [
        threading.Thread(target=review, args=("first", office.intake, "accepted")),
        threading.Thread(target=review, args=("second", second_clerk, "supplement_requested")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(MEET_SECONDS * 3)
    monkeypatch.undo()
    # then one review is recorded and the other is refused as a version conflict
    statuses = sorted(answer.status_code for answer in outcomes.values())
    assert statuses == [200, 409], {k: v.text for k, v in outcomes.items()}
    loser = next(a for a in outcomes.values() if a.status_code == 409)
    assert loser.json()["code"] == "version_conflict" and loser.json()["clause"]
    winner = next(a for a in outcomes.values() if a.status_code == 200).json()
    # and the record shows the winner's review alone
    record = httpx.get(f"{server_url}/api/v1/applications/{application_id}",
                       headers=ADMIN, timeout=30).json()  # fmt: skip
    assert record["status"] == winner["status"]
    assert record["version"] == winner["version"] == 2
