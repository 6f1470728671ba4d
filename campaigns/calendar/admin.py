"""Django admin of the working-day calendar: a year with its days inline.

Saving goes through :func:`.services.calendar_year_saved` (marks the year entered by the admin
and recounts stored figures); deleting through :func:`.services.calendar_year_delete`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CalendarDay, CalendarYear


class CalendarDayInlineForm(forms.ModelForm):
    """A make-up workday must be a Saturday or Sunday."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self):
        data = super().clean()
        day, kind = data.get("date"), data.get("kind")
        if day and kind == CalendarDay.Kind.MAKEUP_WORKDAY and day.weekday() < 5:
            self.add_error("kind", _("A make-up workday (调休上班) is a Saturday or Sunday."))
        return data


class CalendarDayInlineFormSet(forms.BaseInlineFormSet):
    """Every day belongs to the year it is entered under."""

    def clean(self):
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day and not form.cleaned_data.get("DELETE") and day.year != year:
                form.add_error("date", _("This date is not in %(year)s.") % {"year": year})
        holidays = [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None)
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("kind") == CalendarDay.Kind.HOLIDAY
        ]
        if not holidays:  # an empty year would silence the weekends-only notice
            raise forms.ValidationError(_("The schedule has no holiday (放假) at all."))


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    form = CalendarDayInlineForm
    formset = CalendarDayInlineFormSet
    extra = 3
    max_num = 120


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "document", "entered_by", "entered_at"]
    list_filter = ["source"]
    fields = ["year", "document", "source", "entered_by", "entered_at"]
    readonly_fields = ["source", "entered_by", "entered_at"]
    inlines = [CalendarDayInline]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (["year"] if obj else [])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.calendar_year_saved(calendar_year=form.instance, actor=request.user)

    def delete_model(self, request, obj):
        services.calendar_year_delete(calendar_year=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_year_delete(calendar_year=obj, actor=request.user)
