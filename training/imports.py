"""Excel import of attendance (into one training session) and of special-operations
certificates: template download, dry run, errors by row and column, nothing half-saved.

``import_rows(kind, content, user, session=None, commit=False)``: openpyxl reads the first
sheet; a Django form checks each row's format; then every valid row goes through the same
service as the pages (:mod:`training.services`) inside ONE transaction, each row in its own
savepoint so that the service's own checks (scope, duplicates — also within the file) are
reported per row. The transaction is rolled back for a dry run or when any row is wrong, so
the dry run reports exactly what the import would do. Messages: “第 17 行，列“有效期至”：…”.
"""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from campaigns.models import Department
from hazards.imports import ImportDateField, ImportResult, NamedChoiceField, RowResult, _row_error
from hazards.models import Enterprise
from yixian_safety.xlsx import XLSX_READ_ERRORS, xlsx_bytes

from . import services
from .constants import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, CertificateType
from .models import Attendance

YES = {"是", "yes", "Y", "y", "1", "true", "True", "√", "✓"}
NO = {"否", "no", "N", "n", "0", "false", "False", ""}


class YesNoField(forms.CharField):
    def to_python(self, value):
        value = str(super().to_python(value)).strip()
        if value in YES:
            return True
        if value in NO:
            return False
        raise ValidationError(_("Write 是 or 否."))


class EnterpriseCodeField(forms.CharField):
    """统一社会信用代码 of an enterprise in the user's scope (set by the form)."""

    def to_python(self, value):
        value = str(super().to_python(value)).strip().upper()
        if not value:
            return None
        enterprise = self.enterprises.filter(credit_code=value).first()
        if enterprise is None:
            raise ValidationError(_("No enterprise with this code in your scope."))
        return enterprise


class DepartmentNameField(forms.CharField):
    def to_python(self, value):
        value = str(super().to_python(value)).strip()
        if not value:
            return None
        dept = (
            Department.objects.filter(name=value).first()
            or Department.objects.filter(short_name=value).first()
        )
        if dept is None:
            raise ValidationError(_("Unknown department “%(name)s”") % {"name": value})
        return dept


class _ScopedForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, EnterpriseCodeField):
                field.enterprises = Enterprise.objects.visible_to(user)


class AttendanceRowForm(_ScopedForm):
    person_name = forms.CharField(max_length=40)
    position = forms.CharField(max_length=60, required=False)
    enterprise = EnterpriseCodeField(required=False)
    department = DepartmentNameField(required=False)
    responsible_person = YesNoField(required=False)
    result = NamedChoiceField(choices=Attendance.Result.choices, required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("enterprise") and not data.get("department"):
            self.add_error(
                "enterprise",
                _("Give the enterprise's code (or the department for enforcement staff)."),
            )
        data["result"] = data.get("result") or Attendance.Result.PENDING
        return data


class CertificateRowForm(_ScopedForm):
    worker_name = forms.CharField(max_length=40)
    enterprise = EnterpriseCodeField()
    type = NamedChoiceField(choices=CertificateType.choices)
    number = forms.CharField(max_length=40)
    issued_on = ImportDateField()
    valid_until = ImportDateField()
    review_due = ImportDateField(required=False)


ATTENDANCE_COLUMNS = [
    ("姓名", "person_name"),
    ("职务", "position"),
    ("统一社会信用代码", "enterprise"),
    ("所在部门（执法人员）", "department"),
    ("是否主要负责人", "responsible_person"),
    ("考核结果", "result"),
]
CERTIFICATE_COLUMNS = [
    ("持证人", "worker_name"),
    ("统一社会信用代码", "enterprise"),
    ("作业类别", "type"),
    ("证书编号", "number"),
    ("发证日期", "issued_on"),
    ("有效期至", "valid_until"),
    ("复审日期", "review_due"),
]
KINDS = {
    "attendance": (ATTENDANCE_COLUMNS, AttendanceRowForm),
    "certificates": (CERTIFICATE_COLUMNS, CertificateRowForm),
}
EXAMPLES = {
    "attendance": ["汪某", "消防安全责任人", "91341023MA2RDEM000", "", "是", "考核合格"],
    "certificates": [
        "程某",
        "91341023MA2RDEM000",
        "电工作业",
        "T341023199001010011",
        "2021-05-01",
        "2027-04-30",
        "2024-05-01",
    ],
}


def template_xlsx(kind: str) -> bytes:
    """The downloadable template: header row + one example row (delete it before importing)."""
    columns, _form = KINDS[kind]
    return xlsx_bytes([(kind, [c for c, _f in columns], [EXAMPLES[kind]])])


class _Rollback(Exception):
    pass


def _save(kind: str, data: dict, user, session):
    if kind == "attendance":
        return services.attendance_add(session=session, actor=user, **data)
    return services.certificate_create(actor=user, **data)


def import_rows(
    *, kind: str, content: bytes, user, session=None, commit: bool = False
) -> ImportResult:
    """Check (and with ``commit`` save, all or nothing) the rows of an uploaded template.
    ``session``: the training session attendance is imported into."""
    labels = [c for c, _f in KINDS[kind][0]]
    if len(content) > MAX_IMPORT_BYTES:
        return ImportResult(kind, labels, [], [_("The file is larger than 5 MB.")])
    not_a_workbook = ImportResult(kind, labels, [], [_("The file is not an Excel .xlsx workbook.")])
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except XLSX_READ_ERRORS:
        return not_a_workbook
    try:
        return _read_rows(kind, wb, ws, user=user, session=session, commit=commit)
    except _Unreadable:
        wb.close()
        return not_a_workbook


class _Unreadable(Exception):
    """The sheet's XML broke off while its rows were read."""


def _readable(rows):
    try:
        yield from rows
    except XLSX_READ_ERRORS as exc:
        raise _Unreadable from exc


def _read_rows(kind: str, wb, ws, *, user, session, commit: bool) -> ImportResult:
    columns, form_class = KINDS[kind]
    labels = [c for c, _f in columns]
    label_of = {f: c for c, f in columns}
    rows = _readable(ws.iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in labels if c not in header]
    if missing:
        wb.close()
        return ImportResult(
            kind,
            labels,
            [],
            [
                _("Missing column(s): %(columns)s — use the template.")
                % {"columns": "、".join(missing)}
            ],
        )
    index = {c: header.index(c) for c in labels}
    result = ImportResult(kind, labels, [], [])
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        if len(result.rows) >= MAX_IMPORT_ROWS:
            result.errors.append(_("At most %(n)s rows per import.") % {"n": MAX_IMPORT_ROWS})
            break
        values = [raw[index[c]] if index[c] < len(raw) else None for c in labels]
        data = {f: ("" if v is None else v) for (c, f), v in zip(columns, values, strict=True)}
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
        row = RowResult(number, values)
        row.form = form_class(data, user=user)
        if not row.form.is_valid():
            for fname, errs in row.form.errors.items():
                row.errors += [_row_error(number, label_of.get(fname, fname), e) for e in errs]
        result.rows.append(row)
    wb.close()
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no data rows."))
    try:
        with transaction.atomic():
            for row in result.rows:
                if row.errors:
                    continue
                try:
                    with transaction.atomic():
                        _save(kind, dict(row.form.cleaned_data), user, session)
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for fname, errs in exc.message_dict.items():
                            row.errors += [
                                _row_error(row.row, label_of.get(fname, fname), e) for e in errs
                            ]
                    else:
                        row.errors += [
                            _("Row %(row)s: %(error)s") % {"row": row.row, "error": m}
                            for m in exc.messages
                        ]
                except PermissionDenied as exc:
                    row.errors.append(
                        _("Row %(row)s: %(error)s")
                        % {"row": row.row, "error": str(exc) or _("You may not do this.")}
                    )
            for row in result.rows:
                result.errors += row.errors
            if result.errors or not commit:
                raise _Rollback
            result.saved = len(result.rows)
    except _Rollback:
        result.saved = 0
    return result
