"""Forms of the ledger pages. They only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Sector, Township

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
        queryset=Sector.objects.all(), label=_("sectors"),
        widget=forms.SelectMultiple(attrs={"size": 8}))

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "township", "sectors", "address", "principal_name",
                  "principal_phone", "principal_email", "controller_name", "controller_phone",
                  "controller_email"]


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 40 else obj.text[:40] + "…"
        return f"{obj.sector.name} · {obj.document}{obj.clause}：{text}"


class HazardReportForm(BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(),
                                        label=_("enterprise"))
    township = forms.ModelChoiceField(queryset=Township.objects.all(), label=_("township"),
                                      required=False,
                                      help_text=_("Empty: the enterprise's township."))
    sector = forms.ModelChoiceField(queryset=Sector.objects.all(), label=_("sector"),
                                    required=False,
                                    help_text=_("Empty: the enterprise's (first) sector."))
    level = forms.ChoiceField(choices=Level.choices, label=_("level"), initial=Level.MAJOR)
    criterion = CriterionChoiceField(queryset=HazardCriterion.objects.filter(active=True)
                                       .select_related("sector"), required=False,
                                       label=_("judgement criterion"))
    source = forms.ChoiceField(choices=Source.choices, label=_("source"))
    found_on = forms.DateField(label=_("found on"), widget=DATE)
    found_by = forms.CharField(label=_("found by"), max_length=80)
    location = forms.CharField(label=_("location"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("rectification deadline"), required=False, widget=DATE)
    before_photos = MultipleFileField(label=_("before photos"), required=False)
    documents = MultipleFileField(label=_("documents"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).select_related(
            "township")


class RectificationForm(BootstrapMixin, forms.Form):
    """The five implementations (五落实)."""

    measures = forms.CharField(label=_("measures"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.CharField(label=_("responsible unit"), max_length=120)
    responsible_person = forms.CharField(label=_("responsible person"), max_length=40)
    responsible_phone = forms.CharField(label=_("responsible person phone"), max_length=30,
                                        required=False)
    funds = forms.DecimalField(label=_("funds (yuan)"), max_digits=14, decimal_places=2,
                               min_value=0)
    deadline = forms.DateField(label=_("rectification deadline"), widget=DATE)
    contingency_plan = forms.CharField(label=_("contingency plan"),
                                       widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(BootstrapMixin, forms.Form):
    after_photos = MultipleFileField(label=_("after photos"), required=False)
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PhotosForm(BootstrapMixin, forms.Form):
    photos = MultipleFileField(label=_("photos or documents"))


class MergeForm(BootstrapMixin, forms.Form):
    reports = forms.CharField(label=_("ledger numbers of the reports to merge into this one"),
                              help_text=_("Separated by spaces or commas, e.g. YX-2025-0042"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def ledger_numbers(self) -> list[str]:
        raw = self.cleaned_data["reports"].replace("，", ",").replace(",", " ")
        return [x.strip().upper() for x in raw.split() if x.strip()]


class SupervisionForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.all(),
                                        label=_("supervising department"))
    reason = forms.CharField(label=_("reason"), max_length=200)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        from .imports import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {
                "mb": MAX_FILE_BYTES // (1024 * 1024)})
        return upload


__all__ = ["EnterpriseForm", "HazardReportForm", "ImportForm", "MergeForm", "NoteForm",
           "PhotosForm", "ReasonForm", "RectificationForm", "SubmitForm", "SupervisionForm"]
