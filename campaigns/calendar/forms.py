"""Forms of the calendar page: a year's schedule as text lines, or as an Excel sheet."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import MAX_DAYS_PER_YEAR, MAX_IMPORT_BYTES


class _Bootstrap:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class ScheduleTextForm(_Bootstrap, forms.Form):
    """One day per line: "2027-02-06 放假 春节" or "2027-02-14 调休上班 春节"."""

    days = forms.CharField(
        label=_("holidays and make-up workdays"),
        max_length=MAX_DAYS_PER_YEAR * 80,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_(
            "One day per line: date, 放假 or 调休上班, name — e.g. "
            "“2027-02-06 放假 春节”. List every day of each break; weekend days may be "
            "listed too. Lines can be pasted from Excel."
        ),
    )
    document = forms.CharField(
        label=_("notice"),
        max_length=200,
        required=False,
        help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知"),
    )


class ScheduleXlsxForm(_Bootstrap, forms.Form):
    """An .xlsx sheet with the columns 日期, 类型 (放假/调休上班), 名称."""

    file = forms.FileField(
        label=_("Excel sheet (.xlsx)"),
        help_text=_("Columns 日期, 类型 (放假 or 调休上班), 名称 in the first row; at most 1 MB."),
    )
    document = forms.CharField(label=_("notice"), max_length=200, required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(n)s KB."), params={"n": MAX_IMPORT_BYTES // 1024}
            )
        return f
