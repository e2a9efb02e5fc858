"""The register's name search finds exactly the names holding the query (ZPIC-WF-20 8): on
PostgreSQL through an index of characters and character pairs, on the embedded store by scan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import given
from hypothesis import strategies as st

from ecpsc.services import Services
from projections.register import PostgresRegisterView, query_grams

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


def _register_rows(view: Any) -> None:
    """Register rows as the projection writes them, under a tracking name of their own."""
    for serial, name in enumerate(NAMES, start=1):
        view.write(
            [(
                "INSERT INTO register_certificates (number, certificate_id, organization_name,"
                " uscc, address, scope, sites, grade, status, issued_on, expires_on,"
                " last_modified, version) VALUES (?, ?, ?, ?, '', '', '[]', 'five_star',"
                " 'valid', '2026-01-01', '2029-01-01', '2026-01-01T00:00:00+00:00', 1)",
                [f"PROBE-{serial}", f"probe-{serial}", name, f"USCC{serial}"],
            )],
            Tracking("SearchProbe", serial),
        )  # fmt: skip


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
    return {r["gram"]: int(r["n"]) for r in view.rows("SELECT gram, n FROM register_gram_counts")}


def _counted(names: list[str]) -> dict[str, int]:
    """What the gram counts should say of these names: each gram once per name holding it."""
    counts: dict[str, int] = {"": len(names)}
    for name in names:
        for gram in {name[k : k + n] for n in (1, 2) for k in range(len(name) - n + 1)}:
            counts[gram] = counts.get(gram, 0) + 1
    return counts


@pytest.mark.store("postgres")
def test_the_gram_counts_follow_every_row_added_renamed_and_removed(services: Services) -> None:
    """Given register rows, when one is renamed (a recertification) and one removed (a
    disposal), then the gram counts say how many names hold each character and pair."""
    view = services.read_models.view("register")
    _register_rows(view)
    assert {k: v for k, v in _gram_counts(view).items() if v} == _counted(list(NAMES))

    view.write(
        [
            ("UPDATE register_certificates SET organization_name = ? WHERE number = ?",
             ["华为终端有限公司", "PROBE-1"]),
            ("UPDATE register_certificates SET status = 'expired' WHERE number = ?", ["PROBE-2"]),
            ("DELETE FROM register_certificates WHERE number = ?", ["PROBE-3"]),
        ],
        Tracking("SearchProbe", 100),
    )  # fmt: skip

    names = ["华为终端有限公司", *NAMES[1:2], *NAMES[3:]]
    assert {k: v for k, v in _gram_counts(view).items() if v} == _counted(names)
    rows, total = view.search(today=date(2026, 11, 28), q="有限")
    assert total == sum("有限" in n for n in names) == len(rows)


@pytest.mark.store("postgres")
def test_rows_written_before_the_counts_existed_are_counted_once(services: Services) -> None:
    """Given register rows written while there was no gram-count trigger (a register built by
    an earlier version), when the read model's tables are set up again, then every row is
    counted once, and rows written afterwards are counted by the trigger."""
    view = services.read_models.view("register")
    with view.datastore.transaction(commit=True) as curs:
        curs.execute("DROP TRIGGER register_gram_counts_kept ON register_certificates")
        curs.execute("DELETE FROM register_gram_counts")
    _register_rows(view)
    assert _gram_counts(view) == {}

    view.create_table()
    view.create_table()  # and again, as every process starting does

    assert _gram_counts(view) == _counted(list(NAMES))
    view.write(
        [("DELETE FROM register_certificates WHERE number = ?", ["PROBE-8"])],
        Tracking("SearchProbe", 100),
    )
    assert _gram_counts(view)["华"] == _counted(list(NAMES))["华"] - 1


@pytest.mark.store("postgres")
def test_a_page_read_in_page_order_is_the_page_the_pair_index_finds(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given register rows, when one- and two-character searches read their pages in page
    order (as common ones do on a large register), then every page and total is the one the
    pair index gives."""
    view = services.read_models.view("register")
    _register_rows(view)
    queries = sorted({n[k : k + m] for n in NAMES for m in (1, 2) for k in range(len(n) - m + 1)})

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
