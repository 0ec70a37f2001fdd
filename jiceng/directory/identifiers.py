"""Validation of resident ID numbers and unified social credit codes (python-stdnum).

Resident IDs: stdnum's ``cn.ric.validate`` also looks the county code up in its region
table, and that table lacks codes in use today (every 3715xx code of 聊城市, issued since
1998, is missing), so it would reject real residents of the demo county. We therefore use
stdnum for compaction, the birth date and the check digit, and check only that the first
two digits name a province-level division (docs/decisions/0004-resident-id-validation.md).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

# GB/T 2260 province-level prefixes (mainland 11–65, Taiwan 71, Hong Kong 81, Macao 82).
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


class InvalidIdentifier(ValueError):
    """The identifier is malformed; ``reason`` says how (for the error message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def compact_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def check_id_number(value: str, *, today: dt.date | None = None) -> str:
    """The compact 18-character ID, or ``InvalidIdentifier`` saying what is wrong."""
    number = compact_id_number(value)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdentifier("length")
    if number[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdentifier("region")
    try:
        birth = ric.get_birth_date(number)
    except StdnumError as exc:
        raise InvalidIdentifier("birth_date") from exc
    if birth > (today or timezone.localdate()):
        raise InvalidIdentifier("birth_date")
    if ric.calc_check_digit(number) != number[17]:
        raise InvalidIdentifier("checksum")
    return number


def birth_date_of(number: str) -> dt.date:
    return ric.get_birth_date(number)


def is_male(number: str) -> bool:
    return int(number[16]) % 2 == 1


def make_id_number(region: str, birth: dt.date, serial: int) -> str:
    """A checksum-valid ID for synthetic (demo/test) people: region, birth date, 3-digit serial."""
    body = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "X")


def compact_credit_code(value: str) -> str:
    return uscc.compact(value or "").upper()


def check_credit_code(value: str) -> str:
    number = compact_credit_code(value)
    try:
        return uscc.validate(number)
    except StdnumError as exc:
        raise InvalidIdentifier("credit_code") from exc


def make_credit_code(registration_authority: str, organisation_code_body: str, region: str = "371522") -> str:
    """A checksum-valid unified social credit code for synthetic enterprises.

    ``registration_authority`` is two characters (``91`` for an enterprise), the region six
    digits, the organisation code body eight characters (its own check digit is computed).
    """
    from stdnum.cn import uscc as _uscc

    org_body = organisation_code_body[:8]
    org = org_body + _org_check(org_body)
    body = f"{registration_authority}{region}{org}"
    return body + _uscc.calc_check_digit(body + "0")


def _org_check(body: str) -> str:
    """Check character of a GB 11714 organisation code body (8 characters)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))
