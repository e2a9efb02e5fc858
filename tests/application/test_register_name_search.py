"""The register's name search finds exactly the names holding the query (ZPIC-WF-20 8): on
PostgreSQL through an index of characters and character pairs, on the embedded store by scan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import given
from hypothesis import strategies as st

from domain.certificate import Certificate
from domain.disposal import Disposal
from ecpsc.services import Services
from projections.register import PostgresRegisterView, RegisterProjection, query_grams

NAMES = (
    "华为技术有限公司",
    "海尔智家股份有限公司",
    "青岛海信电器股份有限公司",
    "美的集团",
    "格力电器（珠海）有限公司",
    "100%_售后服务中心",
    "ABC家电维修",
    "华",
)


def _issued(serial: int, name: str) -> Certificate.Issued:
    """A certificate issued to an organization of that name, as the projection receives it."""
    return Certificate.Issued(
        originator_id=Certificate.create_id(f"PROBE-{serial}"),
        originator_version=1,
        timestamp=datetime(2026, 1, 1, tzinfo=UTC),
        originator_topic="domain.certificate:Certificate",
        number=f"PROBE-{serial}",
        organization={"name": name, "uscc": f"USCC{serial}", "address": ""},
        scope="",
        sites=[],
        grade="five_star",
        issued_on=date(2026, 1, serial % 28 + 1),
        expires_on=date(2029, 1, 1),
        audit_id="a",
        decision_id="d",
        application_id=None,
        basis="initial",
        by="probe",
    )


def _register_rows(view: Any) -> RegisterProjection:
    """The NAMES on the register, through its projection, each event in its own transaction."""
    projection = RegisterProjection(view)
    for serial, name in enumerate(NAMES, start=1):
        projection.process_event(_issued(serial, name), Tracking("SearchProbe", serial))
    return projection


def test_every_substring_of_a_name_finds_exactly_the_names_holding_it(
    services: Services,
) -> None:
    # given register rows with Chinese, mixed and wildcard-bearing names
    view = services.read_models.view("register")
    _register_rows(view)
    queries = {name[i:j] for name in NAMES for i in range(len(name))
               for j in range(i + 1, min(len(name), i + 4) + 1)}  # fmt: skip
    queries |= {"小米", "华海", "%", "_", "0%_", "abc", "家电维", "司公"}
    for q in sorted(queries):
        # when the register is searched by that text
        rows, total = view.search(today=date(2026, 11, 28), q=q, limit=100)
        # then it finds the names that contain it, and only those
        found = sorted(row["organization_name"] for row in rows)
        expected = sorted(n for n in NAMES if q in n or _ascii_fold_matches(services, q, n))
        assert found == expected, q
        assert total == len(expected), q


def _ascii_fold_matches(services: Services, q: str, name: str) -> bool:
    # SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's does not.
    return not services.settings.is_postgres and q.lower() in name.lower()


def test_the_name_search_on_postgresql_is_answered_from_the_pair_index(
    services: Services,
) -> None:
    # given the register's view on PostgreSQL, or nothing to check on the embedded store
    view = services.read_models.view("register")
    if not services.settings.is_postgres:
        assert query_grams("华为") == ["华为"]
        return
    _register_rows(view)
    # when a two-character query is planned with scans priced out
    with view.datastore.transaction(commit=False) as curs:
        curs.execute("SET LOCAL enable_seqscan = off")
        curs.execute(
            "EXPLAIN SELECT number FROM register_certificates"
            " WHERE register_grams(organization_name) @> %s::text[]",
            [query_grams("华为")],
        )
        plan = " ".join(str(row["QUERY PLAN"]) for row in curs.fetchall())
    # then the plan reads the GIN index of character pairs
    assert "register_certificates_name_grams" in plan


@given(st.text(alphabet="华为海尔电器有限公司ab%_", min_size=1, max_size=12), st.data())
def test_a_name_holding_a_query_holds_all_the_query_s_pairs(name: str, data: Any) -> None:
    # given any substring of a name
    i = data.draw(st.integers(0, len(name) - 1))
    j = data.draw(st.integers(i + 1, len(name)))
    q = name[i:j]
    # then every gram the index asks of it is among the name's characters and pairs
    grams = {name[k : k + n] for n in (1, 2) for k in range(len(name) - n + 1)}
    assert set(query_grams(q)) <= grams


def _gram_counts(view: Any) -> dict[str, int]:
    """The gram counts of names the register holds (a gram no name holds any more is left out)."""
    rows = view.rows("SELECT gram, n FROM register_gram_counts")
    return {r["gram"]: int(r["n"]) for r in rows if int(r["n"])}


def _counted(names: list[str]) -> dict[str, int]:
    """What the gram counts should say of these names: each gram once per name holding it."""
    counts: dict[str, int] = {"": len(names)}
    for name in names:
        for gram in {name[k : k + n] for n in range(1, 5) for k in range(len(name) - n + 1)}:
            counts[gram] = counts.get(gram, 0) + 1
    return counts


def test_the_gram_counts_follow_every_certificate_issued_renamed_and_disposed_of(
    services: Services,
) -> None:
    """Given certificates on the register, when one is recertified under a new name and one is
    disposed of, in one batch, then the gram counts say how many names hold each character and
    pair, and a search's total is that count."""
    view = services.read_models.view("register")
    projection = _register_rows(view)
    assert _gram_counts(view) == _counted(list(NAMES))
    first = _issued(1, NAMES[0])
    renamed = Certificate.Recertified(
        originator_id=first.originator_id,
        originator_version=2,
        timestamp=datetime(2029, 1, 1, tzinfo=UTC),
        decision_id="d2",
        audit_id="a2",
        application_id=None,
        reissued_on=date(2028, 12, 1),
        cycle_starts_on=date(2029, 1, 1),
        expires_on=date(2032, 1, 1),
        grade="five_star",
        organization={"name": "华为终端有限公司", "uscc": "USCC1", "address": ""},
        scope="",
        sites=[],
        next_surveillance_due=None,
        rulebook_version="test",
        by="probe",
    )
    disposed = Disposal.Recorded(
        originator_id=Disposal.create_id("probe-row"),
        originator_version=1,
        timestamp=datetime(2029, 2, 1, tzinfo=UTC),
        originator_topic="domain.disposal:Disposal",
        row_key="probe-row",
        uscc="USCC3",
        reason="retention ended",
        records=[],
        documents=[],
        certificate_numbers=["PROBE-3"],
        application_ids=[],
        retain_until=date(2029, 1, 1),
        disposed_on=date(2029, 2, 1),
        by="probe",
    )

    with view.batched():
        projection.process_event(renamed, Tracking("SearchProbe", 100))
        projection.process_event(disposed, Tracking("SearchProbe", 101))

    names = ["华为终端有限公司", NAMES[1], *NAMES[3:]]
    assert _gram_counts(view) == _counted(names)
    rows, total = view.search(today=date(2026, 11, 28), q="有限")
    assert total == sum("有限" in n for n in names) == len(rows)
    assert view.certificate("PROBE-1")["organization_name"] == "华为终端有限公司"


@pytest.mark.store("postgres")
def test_a_register_built_before_the_counts_existed_is_counted_once(services: Services) -> None:
    """Given a register built by a version without gram counts, when the read model's tables
    are set up again (as each process starting does), then every name is counted once, and
    certificates issued afterwards are counted by the projection."""
    view = services.read_models.view("register")
    projection = _register_rows(view)
    with view.datastore.transaction(commit=True) as curs:
        curs.execute("DROP TABLE register_gram_counts")

    view.create_table()
    view.create_table()

    assert _gram_counts(view) == _counted(list(NAMES))
    projection.process_event(_issued(50, "华美"), Tracking("SearchProbe", 50))
    assert _gram_counts(view) == _counted([*NAMES, "华美"])


@pytest.mark.store("postgres")
def test_a_page_read_in_page_order_is_the_page_the_pair_index_finds(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given register rows, when searches by one to four characters read their pages in page
    order (as common ones do on a large register), then every page and total is the one the
    pair index gives."""
    view = services.read_models.view("register")
    _register_rows(view)
    queries = sorted(
        {n[k : k + m] for n in NAMES for m in range(1, 5) for k in range(len(n) - m + 1)}
    )

    def pages(in_page_order: bool) -> list[tuple[list[str], int]]:
        monkeypatch.setattr(view, "_reads_in_page_order", lambda *_: in_page_order)
        found = []
        for q in queries:
            for offset in range(4):
                rows, total = view.search(today=date(2026, 11, 28), q=q, offset=offset, limit=2)
                found.append(([r["number"] for r in rows], total))
        return found

    assert pages(True) == pages(False)
    assert any(numbers for numbers, _ in pages(True))


def test_the_page_order_is_chosen_when_a_page_is_found_sooner_in_it() -> None:
    """Given the register's sizes, when a search is planned, then a page is read in page order
    only for queries matching many names: where it reads fewer rows than the matches."""
    decide = PostgresRegisterView._reads_in_page_order
    view = object.__new__(PostgresRegisterView)
    assert decide(view, 67_000, 1_000_000, 20)  # 电器: a page within ~300 rows
    assert not decide(view, 900, 1_000_000, 20)  # rare: the pair index
    assert not decide(view, 3_000, 1_000_000, 20_000)  # a deep page of a middling query
