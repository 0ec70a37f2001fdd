"""The importer registry: each app declares how a row of its workbook becomes a record.

Core knows no domain model; the directory (and later modules) register importers from their
own ``transfer.py``. An importer declares its columns (Chinese header → field and parser), the
natural key that makes imports idempotent, and how parsed cells become service data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class CellError(ValueError):
    """A cell's value is unusable; the message is shown to the user next to that cell."""


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}) from exc
    if not number.is_integer():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(number)


def parse_boolean(value: Any) -> bool:
    text = parse_text(value).lower()
    if text in {"是", "y", "yes", "true", "1"}:
        return True
    if text in {"", "否", "n", "no", "false", "0"}:
        return False
    raise CellError(_("“%(value)s” should be 是 or 否.") % {"value": value})


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = parse_text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from exc


def choice_parser(choices: type[models.Choices]) -> Callable[[Any], str]:
    """Accept a choice's value or its (Chinese or English) label."""

    def parse(value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        for key, label in choices.choices:
            if text in {str(key), str(label)}:
                return str(key)
        from django.utils import translation

        with translation.override("zh-hans"):
            for key, label in choices.choices:
                if text == str(label):
                    return str(key)
        options = "、".join(str(label) for _key, label in choices.choices)
        raise CellError(_("“%(value)s” is not one of: %(options)s.") % {"value": text, "options": options})

    return parse


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any] = parse_text
    required: bool = False
    example: Any = ""
    help: str = ""


@dataclass
class Importer:
    """How one registry is imported. ``resolve(data, user, memo)`` turns parsed cells into service
    data (e.g. an area code into the Area the user may write to) and raises ``RowErrors`` keyed by
    field; ``memo`` caches lookups across the rows of one import."""

    key: str
    title: str | Promise
    model: type[models.Model]
    columns: list[Column]
    natural_key: str | tuple[str, ...]  # one field (id_number) or several ((area, name))
    # (parsed row, acting user, a dict shared by all rows of one import for lookups) → service data
    resolve: Callable[[dict[str, Any], Any, dict[str, Any]], dict[str, Any]] = lambda data, user, memo: data
    compare_fields: list[str] = field(default_factory=list)

    def column_for(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)


class RowErrors(Exception):
    """Several cell errors of one row: ``{field: message}``."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(dict(errors))
        self.errors = dict(errors)


_importers: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    _importers[importer.key] = importer
    return importer


def get_importer(key: str) -> Importer | None:
    return _importers.get(key)


def importers() -> list[Importer]:
    return [_importers[k] for k in sorted(_importers)]
