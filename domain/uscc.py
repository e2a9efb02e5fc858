"""Unified social credit code (统一社会信用代码, GB 32100-2015) validation, pure and I/O-free."""

from __future__ import annotations

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters GB 32100-2015 allows (I, O, Z, S, V are not used)."""

USCC_WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of the first 17 characters (3**i mod 31)."""

USCC_LENGTH = 18

_VALUES = {char: index for index, char in enumerate(USCC_ALPHABET)}
_DIVISION = slice(2, 8)  # positions 3-8: administrative division code
_DIGITS = frozenset("0123456789")


def _charset_problem(text: str) -> str | None:
    """Return the charset refusal for text, or None when every character is allowed."""
    for char in text:
        if char not in _VALUES:
            return (
                f"含有不允许的字符 {char!r}（不使用 I、O、Z、S、V 及小写字母）"
                f" / contains a character not allowed: {char!r}"
                " (I, O, Z, S, V and lower case are not used)"
            )
    return None


def _division_problem(text: str) -> str | None:
    """Return the refusal for a non-digit division code (positions 3-8), or None."""
    if not all(char in _DIGITS for char in text[_DIVISION]):
        return (
            "第3-8位登记管理机关行政区划码应为6位数字"
            " / positions 3-8 (administrative division code) must be 6 digits"
        )
    return None


def check_character(first17: str) -> str:
    """Compute the 18th (check) character for the first 17 characters of a uscc."""
    if len(first17) != USCC_LENGTH - 1:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    problem = _charset_problem(first17)
    if problem is not None:
        raise ValueError(problem)
    total = sum(weight * _VALUES[char] for weight, char in zip(USCC_WEIGHTS, first17, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Return None when code is a valid uscc, else a short reason (Chinese / English)."""
    if len(code) != USCC_LENGTH:
        return (
            f"统一社会信用代码应为18位（实际{len(code)}位）"
            f" / the uscc must have 18 characters (got {len(code)})"
        )
    problem = _charset_problem(code) or _division_problem(code)
    if problem is not None:
        return problem
    expected = check_character(code[:17])
    if code[17] != expected:
        return (
            f"校验码错误：应为 {expected}（实际 {code[17]}）"
            f" / check digit wrong: expected {expected}, got {code[17]}"
        )
    return None


def is_valid_uscc(code: str) -> bool:
    """Return True when code is a valid unified social credit code."""
    return uscc_problem(code) is None
