"""Forms of the ledger pages. They only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Sector, Township
from yixian_safety.forms import PhotosField

from .constants import DESCRIPTION_MAX
from .models import Enterprise, HazardCriterion, Level, Source


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(BootstrapMixin, forms.ModelForm):
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        label=_("sectors"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "township",
            "sectors",
            "address",
            "principal_name",
            "principal_phone",
            "principal_email",
            "controller_name",
            "controller_phone",
            "controller_email",
        ]


def criterion_label(c: HazardCriterion) -> str:
    """Short option text: 工贸 第十一条第（一）项：粉尘爆炸危险场所设置在… A clause whose number
    and wording were not checked against the official text says so (（未核对）), so whoever
    cites it on a notice knows to check it first (source: judgement_standards.yaml)."""
    text = c.text if len(c.text) <= 40 else c.text[:40] + "…"
    name = c.standard.short_name or c.standard.title
    old = (
        _(" (replaced %(date)s)") % {"date": f"{c.standard.superseded_on:%Y-%m-%d}"}
        if c.standard.superseded_on
        else ""
    )
    unchecked = "" if c.verified else _(" (not checked)")
    return f"{name}{old} {c.clause}{unchecked}：{text}"


def criterion_choices() -> list:
    """Clauses in use, grouped by sector (plan order): [(sector name, [(pk, label), …]), …].
    A clause that applies to several sectors is offered under each."""
    from .models import CriterionSector

    crits = {
        c.pk: c
        for c in HazardCriterion.objects.filter(active=True)
        .select_related("standard")
        .order_by("standard__order", "order", "pk")
    }
    by_code: dict[str, list] = {}
    for link in CriterionSector.objects.filter(criterion_id__in=crits).order_by(
        "criterion__standard__order", "criterion__order", "criterion_id"
    ):
        by_code.setdefault(link.sector_code, []).append(crits[link.criterion_id])
    return [
        (sector.name, [(c.pk, criterion_label(c)) for c in by_code[sector.code]])
        for sector in Sector.objects.order_by("order", "pk")
        if sector.code in by_code
    ]


class CriterionChoiceField(forms.TypedChoiceField):
    """A clause of a judgement standard, offered under the sectors it applies to."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, choices=(), **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        criterion = HazardCriterion.objects.select_related("standard").filter(pk=pk).first()
        if criterion is None:  # removed since the page was shown
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return criterion


class HazardReportForm(BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))
    township = forms.ModelChoiceField(
        queryset=Township.objects.all(),
        label=_("township"),
        required=False,
        help_text=_("Empty: the enterprise's township."),
    )
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(),
        label=_("sector"),
        required=False,
        help_text=_("Empty: the enterprise's (first) sector."),
    )
    level = forms.ChoiceField(choices=Level.choices, label=_("level"), initial=Level.MAJOR)
    criterion = CriterionChoiceField(
        required=False,
        label=_("judgement criterion"),
        help_text=_(
            "Required for a major hazard: the clause of the national judgement "
            "standard the hazard meets (判定依据). Only the clauses of the hazard's "
            "sector are offered."
        ),
    )
    source = forms.ChoiceField(choices=Source.choices, label=_("source"))
    found_on = forms.DateField(label=_("found on"), widget=DATE)
    found_by = forms.CharField(label=_("found by"), max_length=80)
    location = forms.CharField(label=_("location"), max_length=200)
    description = forms.CharField(
        label=_("description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("rectification deadline"), required=False, widget=DATE)
    before_photos = PhotosField(label=_("before photos"), required=False)
    documents = MultipleFileField(label=_("documents"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).select_related(
            "township"
        )
        self.fields["criterion"].choices = [("", "---------"), *criterion_choices()]

    def enterprise_sectors(self) -> dict[str, str]:
        """{enterprise pk: name of its first sector} for the clause filter on the page."""
        rows = (
            Enterprise.sectors.through.objects.filter(
                enterprise__in=self.fields["enterprise"].queryset
            )
            .order_by("enterprise_id", "sector__order", "sector__pk")
            .values_list("enterprise_id", "sector__name")
        )
        first: dict[str, str] = {}
        for pk, name in rows:
            first.setdefault(str(pk), name)
        return first

    def sector_names(self) -> dict[str, str]:
        return {str(pk): name for pk, name in Sector.objects.values_list("pk", "name")}


class RectificationForm(BootstrapMixin, forms.Form):
    """The five implementations (五落实)."""

    measures = forms.CharField(label=_("measures"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.CharField(label=_("responsible unit"), max_length=120)
    responsible_person = forms.CharField(label=_("responsible person"), max_length=40)
    responsible_phone = forms.CharField(
        label=_("responsible person phone"), max_length=30, required=False
    )
    funds = forms.DecimalField(
        label=_("funds (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )
    deadline = forms.DateField(label=_("rectification deadline"), widget=DATE)
    contingency_plan = forms.CharField(
        label=_("contingency plan"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(BootstrapMixin, forms.Form):
    after_photos = PhotosField(label=_("after photos"), required=False)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PhotosForm(BootstrapMixin, forms.Form):
    photos = MultipleFileField(label=_("photos or documents"))


class MergeForm(BootstrapMixin, forms.Form):
    reports = forms.CharField(
        label=_("ledger numbers of the reports to merge into this one"),
        help_text=_("Separated by spaces or commas, e.g. YX-2025-0042"),
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def ledger_numbers(self) -> list[str]:
        raw = self.cleaned_data["reports"].replace("，", ",").replace(",", " ")
        return [x.strip().upper() for x in raw.split() if x.strip()]


class SupervisionForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), label=_("supervising department")
    )
    reason = forms.CharField(label=_("reason"), max_length=200)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        from .imports import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


__all__ = [
    "EnterpriseForm",
    "HazardReportForm",
    "ImportForm",
    "MergeForm",
    "NoteForm",
    "PhotosForm",
    "ReasonForm",
    "RectificationForm",
    "SubmitForm",
    "SupervisionForm",
]
