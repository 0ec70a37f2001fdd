"""Importing a workbook: validate every row, then write all of it or nothing.

1. Parse the first sheet (header row → columns by their Chinese header).
2. For each row: parse every cell, resolve it (e.g. area code → an Area the user may write to),
   check duplicates of the natural key inside the file, and run the model's own validation
   (resident ID and credit-code checksums, choices, lengths).
3. Any error → nothing is written; the uploaded workbook comes back annotated cell by cell (red
   fill and a comment on each bad cell, an 错误 column per row) with a row-level error list.
4. Otherwise, one transaction: new rows through ``do_bulk_create``, changed rows through
   ``do_update`` (both audited), identical rows left alone — so importing the same file twice
   changes nothing the second time.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from jiceng.core import services
from jiceng.core.errors import DomainError, PermissionRefused
from jiceng.core.scope import minimal_paths, permission_name, user_scope_paths
from jiceng.core.transfer.models import ImportRun, ImportStatus
from jiceng.core.transfer.registry import CellError, Importer, RowErrors

ERROR_FILL = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
ERROR_HEADER = "错误"
MAX_ROWS = 200_000
MAX_ERRORS_STORED = 500


class ImportInvalid(DomainError):
    code = "import_invalid"


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    run: ImportRun
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    data: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)  # field (or "") → message
    instance: models.Model | None = None
    existing: models.Model | None = None


# --- reads ------------------------------------------------------------------------------------


def list_runs(user: Any) -> Any:
    """Import runs a user may see: their own, and any in their areas if they may view import runs."""
    from django.db.models import Q

    visible = ImportRun.objects.restrict(user, "view").values("pk")
    return ImportRun.objects.filter(Q(created_by_id=getattr(user, "pk", None)) | Q(pk__in=visible)).select_related(
        "created_by"
    )


# --- templates ---------------------------------------------------------------------------------


def build_template(importer: Importer) -> bytes:
    """An empty workbook with the Chinese headers, a comment per header and an example sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.title)[:31]
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFB42318" if column.required else "FF1F2933")
        hint = (_("Required. ") if column.required else "") + (column.help or "")
        if hint:
            cell.comment = Comment(hint, "Jiceng")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 3)
    example = workbook.create_sheet(_("example"))
    example.append([c.header for c in importer.columns])
    example.append([c.example for c in importer.columns])
    example.append([_("This sheet is an example; only the first sheet is imported.")])
    return _save(workbook)


# --- import ------------------------------------------------------------------------------------


def do_import(importer: Importer, content: bytes, *, file_name: str, acting_user: Any) -> ImportResult:
    """Import ``content`` (an .xlsx file) for ``acting_user``. All rows or none."""
    if not user_scope_paths(acting_user, permission_name(importer.model, "add")):
        raise PermissionRefused(_("You may not add %(what)s.") % {"what": importer.model._meta.verbose_name_plural})
    rows, header_errors = _read_rows(importer, content)
    if header_errors:  # without the columns, row-by-row messages would only repeat the problem
        errors = header_errors
    else:
        _validate_rows(importer, rows, acting_user)
        errors = [
            RowError(row.number, _header_for(importer, name), message)
            for row in rows
            for name, message in row.errors.items()
        ]
    area_path = (minimal_paths(user_scope_paths(acting_user, permission_name(importer.model, "add"))) or [""])[0]
    if errors:
        run = ImportRun.objects.create(
            importer=importer.key,
            file_name=file_name[:255],
            created_by=acting_user,
            area_path=area_path,
            status=ImportStatus.FAILED,
            rows=len(rows),
            error_count=len(errors),
            errors=[e.as_dict() for e in errors[:MAX_ERRORS_STORED]],
            error_workbook=annotate(importer, content, errors),
        )
        return ImportResult(run=run, errors=errors)
    try:
        with transaction.atomic():
            created, updated, unchanged = _write(importer, rows, acting_user)
            run = ImportRun.objects.create(
                importer=importer.key,
                file_name=file_name[:255],
                created_by=acting_user,
                area_path=area_path,
                status=ImportStatus.SUCCEEDED,
                rows=len(rows),
                created_count=created,
                updated_count=updated,
                unchanged_count=unchanged,
            )
    except IntegrityError as exc:
        raise ImportInvalid(
            _("The workbook conflicts with existing records (%(detail)s); nothing was written.") % {"detail": exc}
        ) from exc
    return ImportResult(run=run, created=created, updated=updated, unchanged=unchanged)


def _header_for(importer: Importer, field_name: str) -> str:
    column = importer.column_for(field_name)
    return column.header if column else ""


def _read_rows(importer: Importer, content: bytes) -> tuple[list[_Row], list[RowError]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise ImportInvalid(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(iterator, ())]
    positions = {name: i for i, name in enumerate(header) if name}
    errors = [
        RowError(1, column.header, _("The column “%(header)s” is missing.") % {"header": column.header})
        for column in importer.columns
        if column.required and column.header not in positions
    ]
    rows: list[_Row] = []
    for number, values in enumerate(iterator, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportInvalid(_("A workbook may hold at most %(max)d rows.") % {"max": MAX_ROWS})
        row = _Row(number=number, data={})
        for column in importer.columns:
            index = positions.get(column.header)
            raw = values[index] if index is not None and index < len(values) else None
            try:
                value = column.parse(raw)
            except CellError as exc:
                row.errors[column.field] = str(exc)
                continue
            if column.required and value in (None, ""):
                row.errors[column.field] = _("This column is required.")
                continue
            row.data[column.field] = value
        rows.append(row)
    workbook.close()
    return rows, errors


def _key_fields(importer: Importer) -> tuple[str, ...]:
    key = importer.natural_key
    return (key,) if isinstance(key, str) else tuple(key)


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _validate_rows(importer: Importer, rows: list[_Row], user: Any) -> None:
    """Resolve every row, then check natural-key duplicates, existing records and model rules."""
    model = importer.model
    fields = _key_fields(importer)
    attnames = [model._meta.get_field(f).attname for f in fields]
    if len(fields) == 1:  # e.g. resident IDs: compact before comparing
        for row in rows:
            if row.data.get(fields[0]) not in (None, ""):
                row.data[fields[0]] = _normalise_key(model, fields[0], row.data[fields[0]])
    memo: dict[str, Any] = {}
    keyed: list[tuple[_Row, tuple[Any, ...]]] = []
    for row in rows:
        if row.errors:
            continue
        try:
            row.data = importer.resolve(dict(row.data), user, memo)
        except RowErrors as exc:
            row.errors.update(exc.errors)
            continue
        keyed.append((row, tuple(_raw(row.data.get(f)) for f in fields)))
    duplicate_field = fields[-1]  # for (area, name) keys the name is what repeats
    seen: dict[tuple[Any, ...], int] = {}
    for row, key in keyed:
        if any(part in (None, "") for part in key):
            continue
        if key in seen:
            row.errors.setdefault(duplicate_field, _("Duplicate of row %(row)d in this file.") % {"row": seen[key]})
        else:
            seen[key] = row.number
    candidates = model._default_manager.filter(**{f"{attnames[0]}__in": {key[0] for key in seen}})
    existing_all = {tuple(getattr(o, a) for a in attnames): o for o in candidates}
    mine = set(candidates.restrict(user, "change").values_list("pk", flat=True))
    for row, key in keyed:
        if row.errors:
            continue
        existing = existing_all.get(key)
        if existing is not None and existing.pk not in mine:
            row.errors[fields[0]] = _("A record with this key exists outside the areas you manage.")
            continue
        instance = copy.copy(existing) if existing is not None else model()  # never touch the original
        for name, value in row.data.items():
            setattr(instance, name, value)
        # Related objects came from restricted queries in resolve(): no need to re-check that they
        # exist (one query per row). Uniqueness of the natural key was checked for the whole file
        # above; other unique constraints are enforced by the database in the write transaction.
        resolved = [name for name, value in row.data.items() if isinstance(value, models.Model)]
        try:
            instance.full_clean(exclude=resolved, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                row.errors[name if name != "__all__" else ""] = " ".join(messages)
            continue
        row.instance = instance
        row.existing = existing


def _normalise_key(model: type[models.Model], key: str, value: Any) -> Any:
    probe = model(**{key: value})
    clean = getattr(probe, "clean", None)
    if callable(clean):
        try:
            clean()
        except ValidationError:
            return value
    return getattr(probe, key)


def _write(importer: Importer, rows: list[_Row], user: Any) -> tuple[int, int, int]:
    new = [row.instance for row in rows if row.existing is None and row.instance is not None]
    created = services.do_bulk_create(importer.model, new, acting_user=user, validate=False, comment="import")
    updated = unchanged = 0
    for row in rows:
        if row.existing is None:
            continue
        changes = {k: v for k, v in row.data.items() if _differs(row.existing, k, v)}
        if changes:
            services.do_update(row.existing, data=changes, acting_user=user, comment="import")
            updated += 1
        else:
            unchanged += 1
    return len(created), updated, unchanged


def _differs(obj: models.Model, name: str, new: Any) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:  # compare ids: loading the related object would cost a query per row
        return getattr(obj, field.attname) != (new.pk if isinstance(new, models.Model) else new)
    return (getattr(obj, name) or None) != (new or None)


# --- the annotated workbook -------------------------------------------------------------------


def annotate(importer: Importer, content: bytes, errors: list[RowError]) -> bytes:
    """The uploaded workbook with each bad cell filled red and commented, and an 错误 column."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    headers = {str(cell.value).strip(): cell.column for cell in sheet[1] if cell.value is not None}
    error_column = headers.get(ERROR_HEADER) or sheet.max_column + 1
    sheet.cell(row=1, column=error_column, value=ERROR_HEADER).font = Font(bold=True, color="FFB91C1C")
    by_row: dict[int, list[str]] = {}
    for error in errors:
        column = headers.get(error.column)
        target = sheet.cell(row=error.row, column=column or error_column)
        target.fill = ERROR_FILL
        target.comment = Comment(error.message, "Jiceng")
        by_row.setdefault(error.row, []).append(f"{error.column}：{error.message}" if error.column else error.message)
    for row_number, messages in by_row.items():
        sheet.cell(row=row_number, column=error_column, value="；".join(messages))
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
