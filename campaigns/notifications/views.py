"""Pages of a user's own reminders: list, mark read, e-mail switch, Excel export, run now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.notifications.digest import (
    digest_mark_read,
    digests_mark_all_read,
    preference_set,
    reminder_status,
)
from campaigns.notifications.exports import notifications_xlsx
from campaigns.notifications.models import Digest, NotificationPreference, ReminderItem
from campaigns.notifications.outbox import enqueue


def _digests(user):
    return (
        Digest.objects.visible_to(user)
        .annotate(item_count=Count("items"))
        .order_by("-day", "-pk")
        .prefetch_related(
            Prefetch("items", queryset=ReminderItem.objects.order_by("-kind", "due_on", "pk"))
        )
    )


@login_required
def notification_list(request):
    """The signed-in user's daily digests, newest first (20 per page), unread ones marked; for
    those who may run the reminders (safety office, admin) the daily job's last run and a
    warning when it has not run today or yesterday."""
    page = Paginator(_digests(request.user), 20).get_page(request.GET.get("page"))
    pref = NotificationPreference.objects.filter(user=request.user).first()
    can_run = request.user.has_perm("campaigns.run_reminders")
    return render(
        request,
        "campaigns/notifications/list.html",
        {
            "page": page,
            "email_enabled": pref.email_enabled if pref else True,
            "can_run": can_run,
            # the safety office sees whether the daily job runs (beat, or the first request)
            "reminder_status": reminder_status() if can_run else None,
        },
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one of the user's digests read (others' → 404)."""
    digest = get_visible_or_404(Digest.objects.visible_to(request.user), pk=pk)
    digest_mark_read(digest=digest, user=request.user)
    return redirect("campaigns:notifications")


@login_required
@require_POST
def notification_read_all(request):
    count = digests_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s reminders marked read.") % {"count": count})
    return redirect("campaigns:notifications")


@login_required
@require_POST
def notification_preferences(request):
    """Switch reminder e-mails on (``email_enabled=on``) or off."""
    enabled = request.POST.get("email_enabled") == "on"
    preference_set(user=request.user, email_enabled=enabled)
    messages.success(
        request,
        _("Reminder e-mails switched on.") if enabled else _("Reminder e-mails switched off."),
    )
    return redirect("campaigns:notifications")


@login_required
def notification_export(request):
    """Excel export of every reminder item of the signed-in user."""
    from yixian_safety.xlsx import xlsx_response

    items = (
        ReminderItem.objects.filter(digest__in=Digest.objects.visible_to(request.user))
        .select_related("digest")
        .order_by("-day", "due_on", "pk")
    )
    return xlsx_response(_("my reminders") + ".xlsx", notifications_xlsx(items))


@login_required
@permission_required("campaigns.run_reminders", raise_exception=True)
@require_POST
def reminders_run_now(request):
    """Safety office: queue today's reminder run now (through the outbox: works with Redis down —
    it then runs when the broker is back). Idempotent: a second run the same day sends nothing."""
    from campaigns.tasks import reminders_daily

    enqueue(reminders_daily, None, "manual")
    messages.success(request, _("Today's reminder run has been queued."))
    return redirect("campaigns:notifications")
