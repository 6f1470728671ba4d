"""Excel import of enterprises and hazards: openpyxl reads, a Django form checks each row.

``import_rows(kind, content, user, commit=False)`` is the dry run (nothing written);
``commit=True`` writes every row through the services in ONE transaction — any bad row and
nothing is saved. Errors name the row and column: “第 17 行，列“整改期限”：日期格式应为
YYYY-MM-DD”. Templates come from :func:`template_xlsx`.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from zipfile import BadZipFile

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from campaigns.models import Sector, Township
from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_bytes

from . import services
from .models import Enterprise, Hazard, Level, Source, validate_uscc

MAX_ROWS = 5000


class ImportDateField(forms.DateField):
    """A real Excel date, or text YYYY-MM-DD."""

    default_error_messages = {"invalid": gettext_lazy("Date format should be YYYY-MM-DD")}

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().to_python(value)


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
        township = Township.objects.filter(name=value).first()
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
        found = {s.name: s for s in Sector.objects.filter(name__in=names)}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValidationError(_("Unknown sector “%(name)s”") % {"name": "、".join(unknown)})
        if not self.many and len(names) > 1:
            raise ValidationError(_("Give one sector only."))
        sectors = [found[n] for n in names]
        return sectors if self.many else (sectors[0] if sectors else None)


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
        if Enterprise.objects.filter(credit_code=code).exists():
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
    deadline = ImportDateField(required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = Enterprise.objects.visible_to(self.user).filter(credit_code=code).first()
        if enterprise is None:
            raise ValidationError(_("No enterprise with this code in your scope; import the "
                                    "enterprise first."))
        self.cleaned_data["enterprise"] = enterprise
        return code


# Column headers of the templates (the Chinese form the townships fill in) → form field.
ENTERPRISE_COLUMNS = [
    ("单位名称", "name"), ("统一社会信用代码", "credit_code"), ("所属乡镇", "township"),
    ("行业领域", "sectors"), ("地址", "address"), ("主要负责人", "principal_name"),
    ("主要负责人电话", "principal_phone"), ("主要负责人邮箱", "principal_email"),
    ("实际控制人", "controller_name"), ("实际控制人电话", "controller_phone"),
    ("实际控制人邮箱", "controller_email"),
]
HAZARD_COLUMNS = [
    ("统一社会信用代码", "credit_code"), ("行业领域", "sector"), ("隐患等级", "level"),
    ("来源", "source"), ("发现日期", "found_on"), ("发现人", "found_by"),
    ("隐患部位", "location"), ("隐患描述", "description"), ("整改期限", "deadline"),
]
KINDS = {"enterprises": (ENTERPRISE_COLUMNS, EnterpriseRowForm),
         "hazards": (HAZARD_COLUMNS, HazardRowForm)}
EXAMPLES = {
    "enterprises": ["黟县示例商贸有限公司", "91341023MA2RDEM000", "碧阳镇", "燃气安全、消防安全",
                    "碧阳镇示例路 1 号", "王某", "13800000000", "", "李某", "13900000000", ""],
    "hazards": ["91341023MA2RDEM000", "燃气安全", "重大", "督导检查发现", "2025-03-01", "县住建局检查组",
                "液化气瓶间", "气瓶间未设置可燃气体报警装置", "2025-04-30"],
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
        "row": row, "column": column, "error": message}


def import_rows(*, kind: str, content: bytes, user, commit: bool = False) -> ImportResult:
    """Check (and with ``commit`` save, all or nothing) the rows of an uploaded template."""
    columns, form_class = KINDS[kind]
    labels = [c for c, _f in columns]
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        return ImportResult(kind, labels, [], [_("The file is not an Excel .xlsx workbook.")])
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in labels if c not in header]
    if missing:
        return ImportResult(kind, labels, [], [
            _("Missing column(s): %(columns)s — use the template.") % {"columns": "、".join(missing)}])
    index = {c: header.index(c) for c in labels}
    result = ImportResult(kind, labels, [], [])
    seen_codes: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(_("At most %(n)s rows per import.") % {"n": MAX_ROWS})
            break
        values = [raw[index[c]] if index[c] < len(raw) else None for c in labels]
        data = {f: ("" if v is None else v) for (c, f), v in zip(columns, values, strict=True)}
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
        row = RowResult(number, values)
        form = (form_class(data, user=user) if form_class is HazardRowForm
                else form_class(data))
        if not form.is_valid():
            for fname, errs in form.errors.items():
                label = next((c for c, f in columns if f == fname), fname)
                row.errors += [_row_error(number, label, e) for e in errs]
        elif kind == "enterprises":
            code = form.cleaned_data["credit_code"]
            if code in seen_codes:
                row.errors.append(_row_error(number, "统一社会信用代码", _(
                    "Same code as row %(row)s.") % {"row": seen_codes[code]}))
            seen_codes[code] = number
            township = form.cleaned_data["township"]
            if not _may_use_township(user, township, form.cleaned_data["sectors"]):
                row.errors.append(_row_error(number, "所属乡镇", _(
                    "Outside your township or sectors.")))
        else:
            if form.cleaned_data["found_on"] > today_local():
                row.errors.append(_row_error(number, "发现日期", _("Cannot be in the future.")))
            deadline = form.cleaned_data.get("deadline")
            if deadline and deadline < form.cleaned_data["found_on"]:
                row.errors.append(_row_error(number, "整改期限", _(
                    "The deadline is before the date found.")))
        row.form = form
        result.rows.append(row)
        result.errors += row.errors
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
            msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc) or _(
                "Outside your township or sectors.")]
            result.errors += [_("Row %(row)s: %(error)s") % {"row": row.row, "error": m}
                              for m in msgs]
    return result


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
