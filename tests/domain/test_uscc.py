"""Unified social credit code (GB 32100-2015) validation, in given/when/then style."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.uscc import USCC_ALPHABET, check_character, is_valid_uscc, uscc_problem

KNOWN_VALID = "91350100M000100Y43"  # widely cited public example
COMPUTED_VALID = ("91110000100000000R", "91440300MA5DC12341", "12100000400000624D")


@pytest.mark.parametrize("code", [KNOWN_VALID, *COMPUTED_VALID])
def test_known_valid_codes_are_accepted(code: str) -> None:
    # given a valid uscc
    # when it is checked
    problem = uscc_problem(code)
    # then there is no problem
    assert problem is None
    assert is_valid_uscc(code)


def test_check_character_of_known_code() -> None:
    # given the first 17 characters of a known valid code
    first17 = KNOWN_VALID[:17]
    # when the check character is computed
    result = check_character(first17)
    # then it is the published 18th character
    assert result == "3"


def test_changed_check_character_is_refused_naming_the_expected_one() -> None:
    # given a known valid code whose last character is changed
    code = KNOWN_VALID[:17] + "4"
    # when it is checked
    problem = uscc_problem(code)
    # then it is refused as a wrong check digit, naming the expected character
    assert problem is not None
    assert problem.startswith("校验码错误")
    assert "check digit wrong: expected 3" in problem
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("code", ["", KNOWN_VALID[:17], KNOWN_VALID + "0", " " + KNOWN_VALID])
def test_wrong_length_is_refused(code: str) -> None:
    # given a code that does not have 18 characters
    # when it is checked
    problem = uscc_problem(code)
    # then it is refused for its length, Chinese first then English
    assert problem is not None
    assert problem.startswith("统一社会信用代码应为18位")
    assert "the uscc must have 18 characters" in problem
    assert not is_valid_uscc(code)


def test_lower_case_is_refused() -> None:
    # given a valid code written in lower case
    code = "91440300ma5dc12341"
    # when it is checked
    problem = uscc_problem(code)
    # then it is refused for its characters
    assert problem is not None
    assert problem.startswith("含有不允许的字符")
    assert "contains a character not allowed" in problem


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters_are_refused(letter: str) -> None:
    # given a valid code with a forbidden letter in the organization code
    code = KNOWN_VALID[:8] + letter + KNOWN_VALID[9:]
    # when it is checked
    problem = uscc_problem(code)
    # then it is refused for that character
    assert problem is not None
    assert "contains a character not allowed" in problem
    assert repr(letter) in problem


@pytest.mark.parametrize("position", range(2, 8))
def test_non_digit_in_division_code_is_refused(position: int) -> None:
    # given a code whose division code (positions 3-8) holds a letter, with a matching check
    first17 = KNOWN_VALID[:position] + "A" + KNOWN_VALID[position + 1 : 17]
    code = first17 + check_character(first17)
    # when it is checked
    problem = uscc_problem(code)
    # then it is refused for the division code
    assert problem is not None
    assert "positions 3-8" in problem
    assert not is_valid_uscc(code)


@pytest.mark.parametrize(
    "first17", ["", "9135010", KNOWN_VALID, "91350100m000100Y4", "913501OOM000100Y4"]
)
def test_check_character_rejects_bad_input(first17: str) -> None:
    # given input that is not 17 allowed characters
    # when the check character is computed
    # then a ValueError is raised
    with pytest.raises(ValueError):
        check_character(first17)


alphabet_chars = st.sampled_from(USCC_ALPHABET)
digits = st.sampled_from("0123456789")
first17s = st.tuples(
    st.text(alphabet=alphabet_chars, min_size=2, max_size=2),
    st.text(alphabet=digits, min_size=6, max_size=6),
    st.text(alphabet=alphabet_chars, min_size=9, max_size=9),
).map("".join)


@given(first17=first17s, other=alphabet_chars)
def test_appending_the_check_character_gives_a_valid_code_and_only_it(
    first17: str, other: str
) -> None:
    # given any 17 alphabet characters with digits at positions 3-8
    # when the check character is appended
    check = check_character(first17)
    # then the code is valid
    assert is_valid_uscc(first17 + check)
    # and replacing the check character with any other alphabet character makes it invalid
    if other != check:
        assert not is_valid_uscc(first17 + other)
        assert f"expected {check}" in (uscc_problem(first17 + other) or "")


@given(first17=first17s)
def test_every_other_check_character_is_refused(first17: str) -> None:
    # given any 17 alphabet characters with digits at positions 3-8 and their check character
    check = check_character(first17)
    # when each other alphabet character is put in its place
    refused = [c for c in USCC_ALPHABET if c != check and not is_valid_uscc(first17 + c)]
    # then all 30 of them are refused
    assert len(refused) == len(USCC_ALPHABET) - 1
