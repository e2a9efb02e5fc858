"""The indicator catalogue of ZPIC-WF-20 4.3 (table 1), in given/when/then style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.rulebook.catalogue import (
    CLAUSES_BY_ID,
    GROUPS,
    GROUPS_BY_ID,
    INDICATORS,
    INDICATORS_BY_ID,
    LAYERS,
    METHODS,
    TOTAL_POINTS,
    indicator_of_clause,
    standard_citation,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
# Clause 4.3 of the rules verbatim, shipped with the code (domain/rulebook/sources/README.md).
SEED = REPO_ROOT / "domain" / "rulebook" / "sources" / "ZPIC-WF-20-4.3.txt"

PARAGRAPH_ONLY = {"4.3.1.2"}
"""Indicators the standard states as one paragraph, with no numbered or listed items."""

EXPECTED = {  # rules.md §3.1: id -> (points, number of clauses)
    "4.3.1.1": (4, 3),
    "4.3.1.2": (6, 1),
    "4.3.1.3": (6, 3),
    "4.3.1.4": (6, 2),
    "4.3.1.5": (7, 2),
    "4.3.1.6": (5, 4),
    "4.3.1.7": (6, 3),
    "4.3.2.1": (6, 5),
    "4.3.2.2": (6, 4),
    "4.3.2.3": (4, 2),
    "4.3.2.4": (10, 6),
    "4.3.2.5": (7, 5),
    "4.3.2.6": (2, 2),
    "4.3.3.1": (15, 5),
    "4.3.3.2": (10, 3),
}


@pytest.fixture(scope="module")
def seed_text() -> str:
    """Clause 4.3 of ZPIC-WF-20 as the repository ships it; missing, the test fails."""
    assert SEED.is_file(), f"seed not found at {SEED}"
    return SEED.read_text(encoding="utf-8")


def test_there_are_the_fifteen_indicators_of_rules_3_1() -> None:
    """Given the catalogue, when its indicators are listed, then they are the 15 of §3.1."""
    assert len(INDICATORS) == 15
    assert [indicator.id for indicator in INDICATORS] == list(EXPECTED)
    assert set(INDICATORS_BY_ID) == set(EXPECTED)


@pytest.mark.parametrize("indicator_id", list(EXPECTED))
def test_each_indicator_has_its_points_and_clause_count(indicator_id: str) -> None:
    """Given an indicator, when its points and clauses are counted, then they match §3.1."""
    indicator = INDICATORS_BY_ID[indicator_id]
    points, clauses = EXPECTED[indicator_id]
    assert indicator.points == points
    assert len(indicator.clauses) == clauses


def test_group_totals_are_40_35_25_and_100_overall() -> None:
    """Given the groups, when their indicators' points are summed, then 40/35/25 and 100."""
    assert [(group.id, group.points) for group in GROUPS] == [
        ("4.3.1", 40),
        ("4.3.2", 35),
        ("4.3.3", 25),
    ]
    for group in GROUPS:
        summed = sum(i.points for i in INDICATORS if i.group == group.id)
        assert summed == group.points, group.id
    assert sum(group.points for group in GROUPS) == TOTAL_POINTS == 100
    assert sum(indicator.points for indicator in INDICATORS) == TOTAL_POINTS


def test_each_indicators_group_is_the_prefix_of_its_id() -> None:
    """Given each indicator, when its id is cut at the last dot, then that is its group."""
    for indicator in INDICATORS:
        assert indicator.group == indicator.id.rsplit(".", 1)[0]
        assert indicator.group in GROUPS_BY_ID


def test_clause_ids_start_with_their_indicator_id_and_are_unique() -> None:
    """Given every clause, when ids are compared, then each is under its indicator and unique."""
    ids = [clause.id for indicator in INDICATORS for clause in indicator.clauses]
    assert len(ids) == len(set(ids)) == len(CLAUSES_BY_ID)
    for indicator in INDICATORS:
        if indicator.id in PARAGRAPH_ONLY:  # cited by its own number (api.md Additions)
            assert [clause.id for clause in indicator.clauses] == [indicator.id]
            continue
        for number, clause in enumerate(indicator.clauses, start=1):
            assert clause.id == f"{indicator.id}.{number}"


def test_every_clause_has_chinese_and_english_text() -> None:
    """Given every clause, when its texts are read, then neither is blank."""
    for clause in CLAUSES_BY_ID.values():
        assert clause.zh.strip(), clause.id
        assert clause.en.strip(), clause.id


def test_every_clause_line_of_chinese_occurs_in_the_seed(seed_text: str) -> None:
    """Given the seed, when each line of a clause's zh text is sought, then it is found."""
    # A clause with sub-items (1) 2) …) or a note (注：) keeps each on its own line; every line,
    # the first one included, is the seed's text verbatim.
    for clause in CLAUSES_BY_ID.values():
        first, *rest = clause.zh.split("\n")
        assert first in seed_text, clause.id
        for line in rest:
            assert line in seed_text, (clause.id, line)


def test_the_source_is_clause_4_3_of_the_rules(seed_text: str) -> None:
    """Given the shipped source, when its ends are read, then it runs from 4.3 to 4.3.3.2.3."""
    assert seed_text.startswith("4.3 评价指标\n")
    assert seed_text.rstrip().splitlines()[-1].startswith("4.3.3.2.3 ")
    assert not re.search(r"^4\.4 ", seed_text, flags=re.MULTILINE)


def test_every_numbered_clause_of_the_seed_is_in_the_catalogue(seed_text: str) -> None:
    """Given the seed's numbered clauses (4.3.x.y.z), when listed, then the catalogue has each."""
    numbered = re.findall(r"^(4\.3\.\d\.\d+\.\d+) ", seed_text, flags=re.MULTILINE)
    unnumbered = {"4.3.1.1.1", "4.3.1.1.2", "4.3.1.1.3", *PARAGRAPH_ONLY}
    assert len(numbered) == len(set(numbered))
    assert set(numbered) | unnumbered == set(CLAUSES_BY_ID)


def test_numbered_clauses_follow_their_number_in_the_seed(seed_text: str) -> None:
    """Given a clause numbered in the seed, when sought with its number, then it is found."""
    unnumbered = {"4.3.1.1.1", "4.3.1.1.2", "4.3.1.1.3", *PARAGRAPH_ONLY}
    for clause in CLAUSES_BY_ID.values():
        if clause.id not in unnumbered:
            first = clause.zh.split("\n")[0]
            assert f"{clause.id} {first}" in seed_text, clause.id


def test_a_paragraph_only_indicator_is_cited_by_its_own_number(seed_text: str) -> None:
    """Given the indicators whose text in the seed is one paragraph under their heading (no
    numbered item and no listed items), then exactly those are cited by their own number and
    the catalogue has no made-up number under them; the one before reads as the standard's."""
    for indicator in INDICATORS:
        heading = f"{indicator.id} {indicator.name_zh}\n\n"
        after = seed_text.split(heading, 1)[1].lstrip().split("\n", 1)[0]
        one_paragraph = not after.startswith((f"{indicator.id}.", "- 1)"))
        assert one_paragraph == (indicator.id in PARAGRAPH_ONLY), indicator.id
    staffing = INDICATORS_BY_ID["4.3.1.2"]
    assert f"4.3.1.2 人员配置\n\n{staffing.clauses[0].zh}" in seed_text
    assert CLAUSES_BY_ID["4.3.1.2"] is staffing.clauses[0]
    assert indicator_of_clause("4.3.1.2") is staffing
    assert "4.3.1.2.1" not in CLAUSES_BY_ID and indicator_of_clause("4.3.1.2.1") is None
    assert standard_citation("4.3.1.2.1") == "4.3.1.2"
    assert standard_citation("4.3.2.4.3") == "4.3.2.4.3"


def test_sub_items_are_included() -> None:
    """Given 4.3.1.3.2 and 4.3.1.3.3, when read, then their three sub-items are in the text."""
    for clause_id in ("4.3.1.3.2", "4.3.1.3.3"):
        zh = CLAUSES_BY_ID[clause_id].zh
        en = CLAUSES_BY_ID[clause_id].en
        assert zh.split("\n")[0].endswith("具体包括：")
        for item in ("1) ", "2) ", "3) "):
            assert f"\n{item}" in zh
            assert f"\n{item}" in en


def test_only_goods_service_indicators_are_excludable() -> None:
    """Given every indicator, when asked whether it is excludable, then only 4.3.2.x are."""
    excludable = {indicator.id for indicator in INDICATORS if indicator.excludable}
    assert excludable == {f"4.3.2.{n}" for n in range(1, 7)}


def test_indicator_of_a_clause() -> None:
    """Given clause 4.3.2.4.3, when its indicator is looked up, then it is repair 4.3.2.4."""
    indicator = indicator_of_clause("4.3.2.4.3")
    assert indicator is not None
    assert indicator.id == "4.3.2.4"
    assert indicator.name_zh == "维修"
    assert indicator_of_clause("4.3.1.1.1") is INDICATORS_BY_ID["4.3.1.1"]


@pytest.mark.parametrize("clause_id", ["4.3.2.4", "4.3.2.4.7", "", "9.9.9.9.9"])
def test_unknown_clause_has_no_indicator(clause_id: str) -> None:
    """Given an id that is no clause, when its indicator is looked up, then there is none."""
    assert indicator_of_clause(clause_id) is None


def test_customer_relations_carries_the_ruled_fifteen_points() -> None:
    """Given customer relations, omitted by the garbled table 1, then it has 25 - 10 = 15."""
    relations = INDICATORS_BY_ID["4.3.3.1"]
    assert (relations.name_zh, relations.name_en, relations.points) == (
        "顾客关系",
        "customer relations",
        15,
    )


def test_every_indicator_is_qualitative() -> None:
    """Given the seed does not tell indicators apart (4.4.2.3), then all are qualitative."""
    assert all(indicator.qualitative for indicator in INDICATORS)


def test_layers_and_methods_are_bilingual() -> None:
    """Given the layers (4.4.1.2) and methods (4.4.1.5), then each has zh and en wording."""
    assert {key: term.zh for key, term in LAYERS.items()} == {
        "service_management": "服务管理",
        "service_execution": "服务执行",
        "customer_feedback": "顾客反馈",
    }
    assert [term.zh for term in METHODS.values()] == [
        "查阅文件和记录",
        "询问工作人员",
        "观察现场",
        "访问顾客",
    ]
    for term in (*LAYERS.values(), *METHODS.values()):
        assert term.en.strip()
