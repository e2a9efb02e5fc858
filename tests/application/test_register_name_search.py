"""The register's name search finds exactly the names holding the query (ZPIC-WF-20 8): on
PostgreSQL through an index of characters and character pairs, on the embedded store by scan."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import Tracking
from hypothesis import given
from hypothesis import strategies as st

from ecpsc.services import Services
from projections.register import query_grams

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
