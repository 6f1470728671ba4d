"""Excel import of enterprises and hazards: openpyxl reads, a Django form checks each row.

``import_rows(kind, content, user, commit=False)`` is the dry run (nothing written);
``commit=True`` writes every row through the services in ONE transaction — any bad row and
nothing is saved. Errors name the row and column: “第 17 行，列“整改期限”：日期格式应为
YYYY-MM-DD”. Templates come from :func:`template_xlsx`.

Bounded work (issue 15): the upload is at most :data:`MAX_FILE_BYTES`, its parts unpack to at most
:data:`MAX_UNPACKED_BYTES`, a sheet whose declared range exceeds :data:`MAX_ROWS` data rows or
:data:`MAX_COLUMNS` columns is refused before any row is read, rows are read at most
:data:`MAX_COLUMNS` wide and the read stops at the row limit or after :data:`READ_SECONDS`.
Values are read, not formulas: a formula cell counts with its last computed value, one without a
computed value is an error of that cell. A date column takes a real Excel date in any cell format,
a number (Excel's serial date, between :data:`FIRST_DATE` and :data:`LAST_DATE`) or text
YYYY-MM-DD.
"""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from contextvars import ContextVar
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, to_excel

from campaigns.constants import EARLIEST_FOUND_ON
from campaigns.models import Sector, Township
from yixian_safety.dates import today_local
from yixian_safety.xlsx import XLSX_READ_ERRORS, xlsx_bytes

from . import services
from .constants import LATEST_DATE
from .models import Enterprise, Hazard, HazardCriterion, Level, Source, validate_uscc

MAX_ROWS = 5000  # data rows per import (the header row comes on top)
MAX_COLUMNS = 100  # the templates have 9 and 11 columns; room for the county's own notes
MAX_FILE_BYTES = 5 * 1024 * 1024  # a full 5,000-row template is ~0.5 MB
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # all parts of the .xlsx zip together, once unpacked
READ_SECONDS = 25  # wall-clock budget per pass, below gunicorn's 30 s worker timeout
# Dates accepted in date columns (also as Excel serial numbers in a General cell).
FIRST_DATE = EARLIEST_FOUND_ON
LAST_DATE = LATEST_DATE


@dataclass
class _Lookups:
    """What the row forms look up, fetched once per import instead of once per row (a 5,000-row
    sheet took ~2 queries a row): townships and sectors by name, enterprises by code."""

    townships: dict[str, Township]
    sectors: dict[str, Sector]
    codes: set[str]  # the codes written in the sheet (formula cells are looked up one by one)
    visible_enterprises: dict[str, Enterprise]  # hazards: of those, the ones in the user's scope
    registered_codes: set[str]  # enterprises: of those, the ones already registered
    clauses: dict[int, list] = field(default_factory=dict)  # sector pk → its clauses (lazily)
    first_sectors: dict[int, Sector | None] = field(default_factory=dict)  # enterprise pk →


def _sector_clauses(sector) -> list:
    """The clauses of ``sector`` (with their standard), once per sector within an import."""
    from .reference import criteria_for

    if sector is None:
        return []
    lookups = _lookups.get()
    if lookups is None:
        return list(criteria_for(sector))
    if sector.pk not in lookups.clauses:
        lookups.clauses[sector.pk] = list(criteria_for(sector))
    return lookups.clauses[sector.pk]


def _first_sector(enterprise) -> Sector | None:
    lookups = _lookups.get()
    if lookups is not None and enterprise.pk in lookups.first_sectors:
        return lookups.first_sectors[enterprise.pk]
    sector = enterprise.sectors.order_by("order", "pk").first()
    if lookups is not None:
        lookups.first_sectors[enterprise.pk] = sector
    return sector


_lookups: ContextVar[_Lookups | None] = ContextVar("import_lookups", default=None)


def _sheet_codes(formula_rows: list, column: str) -> set[str]:
    header = [str(h).strip() if h is not None else "" for h in (formula_rows or [()])[0]]
    if column not in header:
        return set()
    i = header.index(column)
    return {
        str(row[i]).strip().upper()
        for row in formula_rows[1:]
        if row and i < len(row) and row[i] not in (None, "")
    }


def _load_lookups(kind: str, user, formula_rows: list) -> _Lookups:
    codes = _sheet_codes(formula_rows, "统一社会信用代码")
    visible, registered = {}, set()
    if kind == "hazards":
        visible = {
            e.credit_code: e
            for e in Enterprise.objects.visible_to(user).filter(credit_code__in=codes)
        }
    else:
        registered = set(
            Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
        )
    return _Lookups(
        townships={t.name: t for t in Township.objects.all()},
        sectors={x.name: x for x in Sector.objects.all()},
        codes=codes,
        visible_enterprises=visible,
        registered_codes=registered,
    )


class ImportDateField(forms.DateField):
    """A real Excel date (any cell format), an Excel serial number, or text YYYY-MM-DD."""

    default_error_messages = {
        "invalid": gettext_lazy("Date format should be YYYY-MM-DD"),
        "serial": gettext_lazy(
            "The number %(value)s is not a date between %(first)s and "
            "%(last)s (Excel serial dates %(low)s–%(high)s)."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return self._in_range(value)
        if isinstance(value, bool) or isinstance(value, datetime.time | datetime.timedelta):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, int | float):
            # A date typed into a General/number cell arrives as its serial number.
            low, high = int(to_excel(FIRST_DATE)), int(to_excel(LAST_DATE))
            if not low <= value <= high:
                raise ValidationError(
                    self.error_messages["serial"],
                    code="serial",
                    params={
                        "value": value,
                        "first": FIRST_DATE,
                        "last": LAST_DATE,
                        "low": low,
                        "high": high,
                    },
                )
            return from_excel(value).date()
        if value is not None and not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def _in_range(self, date):
        if not FIRST_DATE <= date <= LAST_DATE:
            raise ValidationError(
                _("Dates must lie between %(first)s and %(last)s.")
                % {"first": FIRST_DATE, "last": LAST_DATE},
                code="range",
            )
        return date


class NamedChoiceField(forms.ChoiceField):
    """Accepts the Chinese label (as shown in the UI) or the code of a choice."""

    def __init__(self, *, choices, **kwargs):
        self.by_label = {str(label): code for code, label in choices}
        super().__init__(choices=choices, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        return self.by_label.get(value, value)


class TownshipField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        lookups = _lookups.get()
        township = (
            lookups.townships.get(value) if lookups else Township.objects.filter(name=value).first()
        )
        if township is None:
            raise ValidationError(_("Unknown township “%(name)s”") % {"name": value})
        return township


class SectorsField(forms.CharField):
    """One or more sector names separated by 、 , ； or spaces."""

    def __init__(self, *, many: bool, **kwargs):
        self.many = many
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        for sep in "、,，;；":
            value = value.replace(sep, " ")
        names = [n for n in value.split() if n]
        lookups = _lookups.get()
        found = (
            lookups.sectors
            if lookups
            else {s.name: s for s in Sector.objects.filter(name__in=names)}
        )
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValidationError(_("Unknown sector “%(name)s”") % {"name": "、".join(unknown)})
        if not self.many and len(names) > 1:
            raise ValidationError(_("Give one sector only."))
        sectors = [found[n] for n in names]
        return sectors if self.many else (sectors[0] if sectors else None)


def criterion_resolve(value: str, sector) -> HazardCriterion:
    """The clause a cell names, among the clauses of ``sector``: its id, “<standard> <clause>”
    (standard by short name, title or document number, e.g. “城镇燃气 第四条第（一）项”), or
    the clause label alone when only one standard of the sector has it."""
    value = " ".join((value or "").replace("《", " ").replace("》", " ").split())
    clauses = _sector_clauses(sector)
    if value.isdigit():
        found = [c for c in clauses if c.pk == int(value)]
    else:
        head, _sep, label = value.rpartition(" ")
        found = [
            c
            for c in clauses
            if c.clause == label
            and (
                not head
                or head
                in (
                    c.standard.short_name,
                    c.standard.title,
                    c.standard.document_number,
                    c.standard.code,
                )
            )
        ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            _(
                "“%(value)s” is not a clause of a judgement standard for the "
                "sector “%(sector)s” (write e.g. “%(example)s”)."
            )
            % {
                "value": value,
                "sector": getattr(sector, "name", "—"),
                "example": (
                    f"{clauses[0].standard.short_name} {clauses[0].clause}" if clauses else "—"
                ),
            }
        )
    raise ValidationError(
        _(
            "“%(value)s” names clauses of several standards: put the "
            "standard's short name before the clause."
        )
        % {"value": value}
    )


class EnterpriseRowForm(forms.Form):
    name = forms.CharField(max_length=120)
    credit_code = forms.CharField(max_length=18, validators=[validate_uscc])
    township = TownshipField()
    sectors = SectorsField(many=True)
    address = forms.CharField(max_length=200, required=False)
    principal_name = forms.CharField(max_length=40)
    principal_phone = forms.CharField(max_length=30, required=False)
    principal_email = forms.EmailField(required=False)
    controller_name = forms.CharField(max_length=40, required=False)
    controller_phone = forms.CharField(max_length=30, required=False)
    controller_email = forms.EmailField(required=False)

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        lookups = _lookups.get()
        if (
            code in lookups.registered_codes
            if lookups and code in lookups.codes
            else Enterprise.objects.filter(credit_code=code).exists()
        ):
            raise ValidationError(_("An enterprise with this code is already registered."))
        return code


class HazardRowForm(forms.Form):
    credit_code = forms.CharField(max_length=18)
    sector = SectorsField(many=False, required=False)
    level = NamedChoiceField(choices=Level.choices)
    source = NamedChoiceField(choices=Source.choices)
    found_on = ImportDateField()
    found_by = forms.CharField(max_length=80)
    location = forms.CharField(max_length=200)
    description = forms.CharField()
    criterion = forms.CharField(required=False, max_length=200)
    deadline = ImportDateField(required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        """Resolve the 判定依据 cell in the hazard's sector; a major hazard needs one when the
        sector has clauses (the same rule as the service, reported per row and column)."""
        data = super().clean()
        enterprise = data.get("enterprise")
        if enterprise is None or "level" not in data:
            return data
        sector = data.get("sector") or _first_sector(enterprise)
        text = data.get("criterion") or ""
        if text:
            try:
                data["criterion"] = criterion_resolve(text, sector)
            except ValidationError as exc:
                self.add_error("criterion", exc)
        else:
            data["criterion"] = None
            if (
                data["level"] == Level.MAJOR
                and sector is not None
                and data.get("found_on")
                and any(c.standard.in_force_on(data["found_on"]) for c in _sector_clauses(sector))
            ):
                try:  # the service's rule and message
                    services.major_criterion_required(sector=sector, found_on=data["found_on"])
                except ValidationError as exc:
                    self.add_error("criterion", exc.message_dict["criterion"])
        return data

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        lookups = _lookups.get()
        enterprise = (
            lookups.visible_enterprises.get(code)
            if lookups and code in lookups.codes
            else Enterprise.objects.visible_to(self.user).filter(credit_code=code).first()
        )
        if enterprise is None:
            raise ValidationError(
                _("No enterprise with this code in your scope; import the enterprise first.")
            )
        self.cleaned_data["enterprise"] = enterprise
        return code


# Column headers of the templates (the Chinese form the townships fill in) → form field.
ENTERPRISE_COLUMNS = [
    ("单位名称", "name"),
    ("统一社会信用代码", "credit_code"),
    ("所属乡镇", "township"),
    ("行业领域", "sectors"),
    ("地址", "address"),
    ("主要负责人", "principal_name"),
    ("主要负责人电话", "principal_phone"),
    ("主要负责人邮箱", "principal_email"),
    ("实际控制人", "controller_name"),
    ("实际控制人电话", "controller_phone"),
    ("实际控制人邮箱", "controller_email"),
]
HAZARD_COLUMNS = [
    ("统一社会信用代码", "credit_code"),
    ("行业领域", "sector"),
    ("隐患等级", "level"),
    ("来源", "source"),
    ("发现日期", "found_on"),
    ("发现人", "found_by"),
    ("隐患部位", "location"),
    ("隐患描述", "description"),
    ("判定依据", "criterion"),
    ("整改期限", "deadline"),
]
# Columns a file may leave out (templates from before the column existed).
OPTIONAL_COLUMNS = {"判定依据"}
KINDS = {
    "enterprises": (ENTERPRISE_COLUMNS, EnterpriseRowForm),
    "hazards": (HAZARD_COLUMNS, HazardRowForm),
}
EXAMPLES = {
    "enterprises": [
        "黟县示例商贸有限公司",
        "91341023MA2RDEM000",
        "碧阳镇",
        "燃气安全、消防安全",
        "碧阳镇示例路 1 号",
        "王某",
        "13800000000",
        "",
        "李某",
        "13900000000",
        "",
    ],
    "hazards": [
        "91341023MA2RDEM000",
        "燃气安全",
        "重大",
        "督导检查发现",
        "2025-03-01",
        "县住建局检查组",
        "液化气储配站",
        "为非自有气瓶充装液化石油气",
        "城镇燃气 第七条第（一）项",
        "2025-04-30",
    ],
}


@dataclass
class RowResult:
    row: int
    values: list
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    headers: list[str]
    rows: list[RowResult]
    errors: list[str]  # every message, "第 N 行，列“X”：…"
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def template_xlsx(kind: str) -> bytes:
    """The downloadable template: header row + one example row (delete it before importing)."""
    columns, _form = KINDS[kind]
    return xlsx_bytes([(kind, [c for c, _f in columns], [EXAMPLES[kind]])])


def _row_error(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(error)s") % {
        "row": row,
        "column": column,
        "error": message,
    }


class SheetError(Exception):
    """The workbook cannot be read safely; the message says why (Chinese via gettext)."""


def _open_sheet(content: bytes, *, data_only: bool):
    """The first worksheet of ``content`` in read-only mode, after the size checks."""
    if len(content) > MAX_FILE_BYTES:
        raise SheetError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # Declared sizes bound the reads too: zipfile stops at the declared size.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError(_("The file is not an Excel .xlsx workbook.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(
            _(
                "The workbook unpacks to more than %(mb)s MB; save only the "
                "template's sheet and import again."
            )
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
        ws = wb.worksheets[0]
    except XLSX_READ_ERRORS as exc:
        raise SheetError(_("The file is not an Excel .xlsx workbook.")) from exc
    rows, columns = ws.max_row, ws.max_column
    if (rows or 0) > MAX_ROWS + 1 or (columns or 0) > MAX_COLUMNS:
        wb.close()
        raise SheetError(
            _(
                "The sheet claims cells up to %(cell)s; at most %(rows)s data rows and %(columns)s "
                "columns can be imported. Delete the empty rows and columns after the data (or "
                "copy the data into a fresh template) and import again."
            )
            % {
                "cell": f"{get_column_letter(columns or 1)}{rows or 1}",
                "rows": MAX_ROWS,
                "columns": MAX_COLUMNS,
            }
        )
    # Some producers write a wrong (too small) range; read what is there instead, bounded by
    # the row limit of _sheet_rows and MAX_COLUMNS.
    ws.reset_dimensions()
    return wb, ws


def _sheet_rows(ws):
    """Rows 1, 2, … of ``ws`` as value tuples at most :data:`MAX_COLUMNS` wide; raises
    :class:`SheetError` on a row past the limit or when the time budget is spent."""
    deadline = time.monotonic() + READ_SECONDS
    try:
        yield from _bounded_rows(ws, deadline)
    except XLSX_READ_ERRORS as exc:  # the sheet's XML breaks off while it is read
        raise SheetError(_("The file is not an Excel .xlsx workbook.")) from exc


def _bounded_rows(ws, deadline: float):
    for number, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if number > MAX_ROWS + 1:
            raise SheetError(
                _(
                    "The sheet has more than %(n)s data rows (at most %(n)s per "
                    "import); delete the rows after the data or split the file."
                )
                % {"n": MAX_ROWS}
            )
        if time.monotonic() > deadline:
            raise SheetError(
                _("Reading the file took longer than %(s)s seconds; split it into smaller files.")
                % {"s": READ_SECONDS}
            )
        yield number, row


FORMULA_WITHOUT_VALUE = gettext_lazy(
    "The formula has no computed value; open the file in Excel or WPS, save it and import "
    "again, or type the value instead of the formula."
)


def import_rows(*, kind: str, content: bytes, user, commit: bool = False) -> ImportResult:
    """Check (and with ``commit`` save, all or nothing) the rows of an uploaded template.

    Returns an :class:`ImportResult`; ``errors`` lists every unusable cell as “第 N 行，列“X”：…”
    (or one message about the whole file). Bounded: see the module docstring.
    """
    columns, form_class = KINDS[kind]
    labels = [c for c, _f in columns]
    try:
        wb, ws = _open_sheet(content, data_only=True)
    except SheetError as exc:
        return ImportResult(kind, labels, [], [str(exc)])
    result = ImportResult(kind, labels, [], [])
    try:
        # First the sheet with formulas instead of their values, kept in memory (bounded): it
        # finds an over-long sheet before any row is checked, and a cell that is empty in the
        # values but not here is a formula saved without a computed value.
        formula_wb, formula_ws = _open_sheet(content, data_only=False)
        try:
            formula_rows = [row for _n, row in _sheet_rows(formula_ws)]
        finally:
            formula_wb.close()
        rows = zip(_sheet_rows(ws), formula_rows, strict=False)
        (_n, first), _formulas = next(rows, ((1, ()), ()))
        header = [str(h).strip() if h is not None else "" for h in first]
        missing = [c for c in labels if c not in header and c not in OPTIONAL_COLUMNS]
        if missing:
            return ImportResult(
                kind,
                labels,
                [],
                [
                    _("Missing column(s): %(columns)s — use the template.")
                    % {"columns": "、".join(missing)}
                ],
            )
        index = {c: header.index(c) for c in labels if c in header}
        seen_codes: dict[str, int] = {}
        token = _lookups.set(_load_lookups(kind, user, formula_rows))
        try:
            for (number, raw), formulas in rows:
                if all(v in (None, "") for v in (*(raw or ()), *(formulas or ()))):
                    continue
                row = _check_row(
                    kind, columns, form_class, index, number, raw, formulas, user, seen_codes
                )
                result.rows.append(row)
                result.errors += row.errors
        finally:
            _lookups.reset(token)
    except SheetError as exc:
        result.errors = [str(exc)]
        result.rows = []
    finally:
        wb.close()
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no data rows."))
    if commit and result.ok:
        try:
            with transaction.atomic():
                for row in result.rows:
                    _save_row(kind, row, user)
                    result.saved += 1
        except (ValidationError, PermissionDenied) as exc:
            result.saved = 0
            msgs = (
                exc.messages
                if isinstance(exc, ValidationError)
                else [str(exc) or _("Outside your township or sectors.")]
            )
            result.errors += [
                _("Row %(row)s: %(error)s") % {"row": row.row, "error": m} for m in msgs
            ]
    return result


def _check_row(kind, columns, form_class, index, number, raw, formulas, user, seen_codes):
    """One data row through its form and the cross-row checks; a :class:`RowResult`."""

    def cell(values, c):
        return values[index[c]] if values and c in index and index[c] < len(values) else None

    values = [cell(raw, c) for c, _f in columns]
    row = RowResult(number, values)
    no_value = [c for c, _f in columns if cell(raw, c) is None and cell(formulas, c) is not None]
    data = {f: ("" if v is None else v) for (c, f), v in zip(columns, values, strict=True)}
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    form = form_class(data, user=user) if form_class is HazardRowForm else form_class(data)
    row.errors += [_row_error(number, c, str(FORMULA_WITHOUT_VALUE)) for c in no_value]
    if not form.is_valid():
        for fname, errs in form.errors.items():
            label = next((c for c, f in columns if f == fname), fname)
            if label not in no_value:
                row.errors += [_row_error(number, label, e) for e in errs]
    elif no_value:
        pass  # the cross-cell checks need every value
    elif kind == "enterprises":
        code = form.cleaned_data["credit_code"]
        if code in seen_codes:
            row.errors.append(
                _row_error(
                    number,
                    "统一社会信用代码",
                    _("Same code as row %(row)s.") % {"row": seen_codes[code]},
                )
            )
        seen_codes[code] = number
        township = form.cleaned_data["township"]
        if not _may_use_township(user, township, form.cleaned_data["sectors"]):
            row.errors.append(
                _row_error(number, "所属乡镇", _("Outside your township or sectors."))
            )
    else:
        if form.cleaned_data["found_on"] > today_local():
            row.errors.append(_row_error(number, "发现日期", _("Cannot be in the future.")))
        deadline = form.cleaned_data.get("deadline")
        if deadline and deadline < form.cleaned_data["found_on"]:
            row.errors.append(
                _row_error(number, "整改期限", _("The deadline is before the date found."))
            )
    row.form = form
    return row


def _may_use_township(user, township, sectors) -> bool:
    from campaigns.org.scoping import scope_for

    scope = scope_for(user)
    if scope.everything:
        return True
    return township.pk in scope.township_ids or any(s.pk in scope.sector_ids for s in sectors)


def _save_row(kind: str, row: RowResult, user) -> None:
    data = dict(row.form.cleaned_data)
    if kind == "enterprises":
        services.enterprise_create(actor=user, **data)
        return
    enterprise = data.pop("enterprise")
    data.pop("credit_code")
    hazard: Hazard = services.hazard_report(actor=user, enterprise=enterprise, **data)
    row.ledger_number = hazard.ledger_number
