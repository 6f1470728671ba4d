"""The authorization matrix: every URL pattern × every role × own/other unit × anonymous.

Every pattern of the root URLconf (pages, the API router, the auth pages) has one row in
``MATRIX`` saying what each principal gets on a GET: ``anon``, a township official of 碧阳镇
(``tw_biyang``), staff of 县住建局 (``dept_housing``), the safety office and an admin. A pattern
with an object in its URL is asked twice for the unit roles: with an object in their scope
(the row's figure) and with one outside it (always 404: out-of-scope objects don't exist for
them). Rows marked ``post`` are also POSTed (empty body) anonymously (→ login / 401) and on an
out-of-scope object (→ 404, nothing changes); own objects are never POSTed here (the apps' tests
do that). The Django admin is one block: staff (the admin role) only.

A pattern without a row fails the test: a new page cannot escape the matrix. One test seeds the
demo data once and collects every wrong answer into one report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN = "login"  # 302 to the login page (pages) or 401 (API)
ADMIN_LOGIN = "admin_login"  # 302 to the admin's login page


@dataclass(frozen=True)
class Nothing:
    """The role sees none of these objects (its scope holds none in the demo, or none exist):
    asserted, then an object outside its scope (or an id no object has) answers ``status``."""

    status: int = 404


NONE = Nothing(404)
MISSING_PK = 2**31 - 1

PRINCIPALS = ("anon", "township", "department", "office", "admin")
USERNAMES = {
    "township": "tw_biyang",
    "department": "dept_housing",
    "office": "office",
    "admin": "admin",
}
UNIT_ROLES = ("township", "department")


def url_names() -> list[tuple[str, str]]:
    """``(name, route)`` of every named pattern of the root URLconf (namespaces joined by ':')."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                found.append((f"{namespace}{p.name or '<unnamed ' + route + '>'}", route))

    walk(get_resolver().url_patterns, "", "")
    return found


# --- objects: how to find one in a user's scope and one outside it ------------------------------


@dataclass(frozen=True)
class Obj:
    """An object kind in URLs: ``model`` ("app.Model"), ``visible(user)`` its scoped QuerySet
    (default ``Model.objects.visible_to(user)``), ``kwargs(obj)`` the URL kwargs."""

    model: str
    visible: Any = None
    kwargs: Any = None
    where: dict | None = None  # extra filter the object must match (e.g. a state)

    def queryset(self):
        qs = apps.get_model(self.model).objects.all()
        return qs.filter(**self.where) if self.where else qs

    @property
    def scoped(self) -> bool:
        """Whether some role may see only part of these (then an out-of-scope one is tried)."""
        if self.visible:
            return self.visible is not _everyone
        return hasattr(self.queryset(), "visible_to")

    def visible_qs(self, user):
        if self.visible:
            return self.visible(user, self.queryset())
        if not self.scoped:
            return self.queryset()
        return self.queryset().visible_to(user)

    def url_kwargs(self, obj):
        return self.kwargs(obj) if self.kwargs else {"pk": obj.pk}


def _via(path, model):
    """Visible when the related ``path`` object is visible (e.g. an attachment's hazard)."""

    def visible(user, qs):
        return qs.filter(**{f"{path}__in": apps.get_model(model).objects.visible_to(user)})

    return visible


def _everyone(user, qs):
    return qs


HAZARD = Obj("hazards.Hazard")
ENTERPRISE = Obj("hazards.Enterprise")
ATTACHMENT = Obj("hazards.Attachment", visible=_via("hazard", "hazards.Hazard"))
SUBPLAN = Obj("campaigns.SubPlan")
SUBPLAN_VERSION = Obj(
    "campaigns.SubPlanVersion",
    visible=_via("sub_plan", "campaigns.SubPlan"),
    kwargs=lambda v: {"pk": v.sub_plan_id, "number": v.number},
)
SUBPLAN_VERSION_API = Obj("campaigns.SubPlanVersion", visible=_via("sub_plan", "campaigns.SubPlan"))
PROGRESS = Obj("campaigns.ProgressReport")
MILESTONE_RECORD = Obj("campaigns.MilestoneRecord")
MILESTONE = Obj("campaigns.Milestone", visible=_everyone)
DIGEST = Obj("campaigns.Digest")
REPORT = Obj("campaigns.Report")
OUTCOME = Obj("campaigns.Outcome")
SESSION = Obj("training.TrainingSession")
ATTENDANCE = Obj("training.Attendance")
CERTIFICATE = Obj("training.Certificate")
DRILL = Obj("training.Drill")
DRILL_EVIDENCE = Obj("training.DrillEvidence")
PRINCIPAL_INSPECTION = Obj("training.PrincipalInspection")
LISTING = Obj("enforcement.Listing")
EXTENSION = Obj("enforcement.ExtensionRequest")
ESCALATION = Obj("enforcement.EscalationStep")
INSPECTION = Obj("enforcement.Inspection")
DRAW = Obj("enforcement.Draw")
ACTION = Obj("enforcement.EnforcementAction")
ACCIDENT = Obj("enforcement.Accident")
TIPOFF = Obj("tipoffs.TipOff")
TIPOFF_PHOTO = Obj("tipoffs.TipOffPhoto", visible=_via("tipoff", "tipoffs.TipOff"))
REWARD = Obj("tipoffs.Reward")
CAMPAIGN = Obj("campaigns.Campaign", visible=_everyone, kwargs=lambda c: {"slug": c.slug})
MILESTONE_OF_TASK = Obj("campaigns.Milestone", visible=_everyone, where={"task__isnull": False})
DELISTED = Obj("enforcement.Listing", where={"delisting_document_number__gt": ""})
ESCALATION_DOCUMENT = Obj("enforcement.EscalationStep", where={"document_number__gt": ""})
JUDGEMENT = Obj("hazards.JudgementStandard", kwargs=lambda j: {"code": j.code})
OBLIGATION = Obj("campaigns.Obligation")
TOWNSHIP = Obj("campaigns.Township")
DEPARTMENT = Obj("campaigns.Department")
SECTOR = Obj("campaigns.Sector")
PHASE = Obj("campaigns.Phase")
CRITERION = Obj("hazards.HazardCriterion")
RESCUE_TEAM = Obj("training.RescueTeam")
FLAG = Obj("training.EnterpriseFlag")
EXPERT = Obj("enforcement.Expert")
TIE = Obj("enforcement.ConflictTie")
EXPOSURE = Obj(
    "enforcement.EscalationStep",
    visible=_everyone,
    where={"status": "approved", "kind": "public_exposure"},
    kwargs=lambda step: {"slug": step.public_slug},
)
PUBLIC_DRAW = Obj(
    "enforcement.Draw",
    visible=_everyone,
    where={"published_at__isnull": False},
    kwargs=lambda draw: {"slug": draw.public_slug},
)


@dataclass(frozen=True)
class Row:
    """What each principal gets on a GET (a status code, LOGIN or ADMIN_LOGIN).

    ``obj``: the object kind in the URL (unit roles are then also tried on an out-of-scope
    object: 404); ``extra``: constant URL kwargs; ``post``: also POST anonymously (→ login) and
    on an out-of-scope object (→ 404, or ``post_denied[role]`` for a role refused the whole
    module); ``query``: a query string for the GET. A :class:`Nothing` figure: the role sees
    none of these objects.
    """

    anon: Any
    township: Any
    department: Any
    office: Any
    admin: Any
    obj: Obj | None = None
    extra: dict | None = None
    post: bool = False
    query: str = ""
    post_denied: dict | None = None  # role → status of an out-of-scope POST (default 404)


def r(anon, township, department, office, admin, obj=None, **kw) -> Row:
    return Row(anon, township, department, office, admin, obj=obj, **kw)


# Shorthands for the common rows.
def everyone(status=200, obj=None, **kw):
    """Every signed-in role gets ``status``; anonymous → login."""
    return r(LOGIN, status, status, status, status, obj, **kw)


def public(status=200, **kw):
    return r(status, status, status, status, status, **kw)


# fmt: off
MATRIX: dict[str, Row] = {
    # --- campaigns ---
    "campaigns:overview": everyone(200),  #
    # added by main at 13:45, figures by design, not yet observed (see /work/notes/matrix.md)
    "campaigns:subplan_revise": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # subplans/<int:pk>/revise/
    "subplan-revise": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # api/v1/^subplans/(?P<pk>[^/.]+)/revise/$
    "campaign-list": everyone(200),  # api/v1/^campaigns/$
    "campaign-detail": everyone(200, CAMPAIGN),  # api/v1/^campaigns/(?P<slug>[^/.]+)/$
    "auditevent-list": r(LOGIN, 403, 403, 403, 200),  # api/v1/^audit-events/$
    "auditevent-detail": r(LOGIN, 403, 403, 403, 404, extra={'pk': MISSING_PK}),  # api/v1/^audit-events/(?P<pk>[^/.]+)/$
    "campaigns:account": everyone(200),  # accounts/me/
    "campaigns:sessions_end": everyone(405, post=True),  # accounts/me/sessions/end/
    "campaigns:otp_verify": everyone(302),  # accounts/two-factor/ (no device yet → setup)
    "campaigns:otp_setup": everyone(200),  # accounts/two-factor/setup/
    "campaigns:recovery_codes": everyone(405, post=True),  # accounts/two-factor/recovery-codes/
    "campaigns:task_not_submitted_export": everyone(200, extra={'number': 14}),  # tasks/<int:number>/not-submitted.xlsx
    "campaigns:not_submitted_export": everyone(200),  # subplans/not-submitted.xlsx
    "task-computed-progress": everyone(200, extra={'number': 14}),  # api/v1/^tasks/(?P<number>[^/.]+)/computed-progress/$
    "progressnotsubmitted-list": everyone(200),  # api/v1/^progress-not-submitted/$
    "campaigns:dashboard": everyone(200),  # dashboard/
    "campaigns:calendar:years": everyone(200),  # calendar/
    "campaigns:calendar:year": everyone(200, extra={'year': 2025}),  # calendar/<int:year>/
    "campaigns:calendar:template": everyone(200, extra={'year': 2025}),  # calendar/<int:year>/template.xlsx
    "campaigns:action": everyone(200, extra={'number': 1}),  # actions/<int:number>/
    "campaigns:task": everyone(200, extra={'number': 14}),  # tasks/<int:number>/
    "campaigns:progress_new": r(LOGIN, 200, 200, 403, 403, extra={'number': 14}),  # tasks/<int:number>/progress/new/
    "campaigns:cadence": everyone(405, extra={'number': 14}, post=True),  # tasks/<int:number>/cadence/
    "campaigns:progress_attachment": everyone(404, PROGRESS),  # progress/<int:pk>/attachment/
    "campaigns:milestone_evidence": everyone(404, MILESTONE_RECORD),  # milestone-records/<int:pk>/evidence/
    "campaigns:milestone_met": r(LOGIN, 200, 403, 403, 403, MILESTONE_OF_TASK),  # milestones/<int:pk>/met/
    "campaigns:obligations": everyone(200),  # obligations/
    "campaigns:obligations_export": everyone(200),  # obligations/export.xlsx
    "campaigns:obligation_record": everyone(405, OBLIGATION, extra={'period': '2025-Q1'}, post=True),  # obligations/<int:pk>/<str:period>/record/
    "campaigns:subplans": everyone(200),  # subplans/
    "campaigns:subplans_export": everyone(200),  # subplans/export.xlsx
    # the demo township already has its sub-plan: sent back to the board (revise it there)
    "campaigns:subplan_new": r(LOGIN, 302, 200, 403, 403),  # subplans/new/
    "campaigns:subplan": r(LOGIN, 200, NONE, 200, 200, SUBPLAN),  # subplans/<int:pk>/
    "campaigns:subplan_submit": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # subplans/<int:pk>/submit/
    "campaigns:subplan_version_new": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # subplans/<int:pk>/versions/new/
    "campaigns:subplan_return": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # subplans/<int:pk>/return/
    "campaigns:subplan_approve": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # subplans/<int:pk>/approve/
    "campaigns:subplan_version_download": r(LOGIN, 200, NONE, 200, 200, SUBPLAN_VERSION),  # subplans/<int:pk>/versions/<int:number>/download/
    "campaigns:league": everyone(200),  # league/
    "campaigns:league_export": everyone(200),  # league/export.xlsx
    "campaigns:league_breakdown": everyone(200, TOWNSHIP, extra={'kind': 'townships'}),  # league/<str:kind>/<int:pk>/
    "campaigns:notifications": everyone(200),  # notifications/
    "campaigns:notification_read": r(LOGIN, 405, 405, 405, Nothing(405), DIGEST, post=True),  # notifications/<int:pk>/read/
    "campaigns:notification_read_all": everyone(405, post=True),  # notifications/read-all/
    "campaigns:notification_preferences": everyone(405, post=True),  # notifications/preferences/
    "campaigns:notification_export": everyone(200),  # notifications/export.xlsx
    "campaigns:reminders_run": r(LOGIN, 403, 403, 405, 405, post=True),  # notifications/run/
    "campaigns:reports": everyone(200),  # reports/
    "campaigns:reports_export": everyone(200),  # reports/export.xlsx
    "campaigns:report_new": everyone(200),  # reports/new/
    "campaigns:report": r(LOGIN, NONE, NONE, 200, 200, REPORT),  # reports/<int:pk>/
    "campaigns:report_status": r(LOGIN, NONE, NONE, 200, 200, REPORT),  # reports/<int:pk>/status/
    "campaigns:report_retry": r(LOGIN, Nothing(405), Nothing(405), 405, 405, REPORT, post=True),  # reports/<int:pk>/retry/
    "campaigns:report_rebuild": r(LOGIN, Nothing(405), Nothing(405), 405, 405, REPORT, post=True),  # reports/<int:pk>/rebuild/
    "campaigns:report_download": r(LOGIN, NONE, NONE, 200, 200, REPORT, extra={'fmt': 'pdf'}),  # reports/<int:pk>/download/<str:fmt>/
    "campaigns:outcomes": everyone(200),  # outcomes/
    "campaigns:outcomes_export": everyone(200),  # outcomes/export.xlsx
    "campaigns:outcome_document": r(LOGIN, NONE, NONE, NONE, NONE, OUTCOME),  # outcomes/<int:pk>/document/
    # --- hazards ---
    "hazards:list": everyone(200),  # hazards/
    "hazards:export": everyone(200),  # hazards/export.xlsx
    "hazards:create": everyone(200),  # hazards/new/
    "hazards:statistics": everyone(200),  # hazards/statistics/
    "hazards:statistics_criteria_export": everyone(200),  # hazards/statistics/criteria.xlsx
    "hazards:detail": everyone(200, HAZARD),  # hazards/<int:pk>/
    "hazards:rectification": everyone(200, HAZARD),  # hazards/<int:pk>/rectification/
    "hazards:submit": everyone(405, HAZARD, post=True),  # hazards/<int:pk>/submit/
    "hazards:merge": everyone(405, HAZARD, post=True),  # hazards/<int:pk>/merge/
    "hazards:supervision": everyone(405, HAZARD, post=True),  # hazards/<int:pk>/supervision/
    "hazards:photos": everyone(405, HAZARD, extra={'kind': 'before_photo'}, post=True),  # hazards/<int:pk>/files/<slug:kind>/
    "hazards:transition": everyone(405, HAZARD, extra={'action': 'confirm'}, post=True),  # hazards/<int:pk>/<slug:action>/
    "hazards:attachment": everyone(200, ATTACHMENT),  # hazards/files/<int:pk>/
    "hazards:import": everyone(200, extra={'kind': 'hazards'}),  # hazards/import/<slug:kind>/
    "hazards:import_template": everyone(200, extra={'kind': 'hazards'}),  # hazards/import/<slug:kind>/template.xlsx
    "hazards:enterprise_list": everyone(200),  # enterprises/
    "hazards:enterprise_export": everyone(200),  # enterprises/export.xlsx
    "hazards:enterprise_create": everyone(200),  # enterprises/new/
    "hazards:enterprise_detail": everyone(200, ENTERPRISE),  # enterprises/<int:pk>/
    "hazards:enterprise_edit": everyone(200, ENTERPRISE),  # enterprises/<int:pk>/edit/
    # --- training ---
    "training:overview": everyone(200),  # training/
    "training:session_list": everyone(200),  # training/sessions/
    "training:session_export": everyone(200),  # training/sessions/export.xlsx
    "training:session_create": everyone(200),  # training/sessions/new/
    "training:session_detail": everyone(200, SESSION),  # training/sessions/<int:pk>/
    "training:session_edit": r(LOGIN, 403, 403, 200, 200, SESSION),  # training/sessions/<int:pk>/edit/
    "training:attendance_export": everyone(200, SESSION),  # training/sessions/<int:pk>/attendance.xlsx
    "training:attendance_import": everyone(200, SESSION),  # training/sessions/<int:pk>/import/
    "training:certificate_import": everyone(200),  # training/certificates/import/
    "training:import_template": everyone(200, extra={'kind': 'attendance'}),  # training/import/<slug:kind>/template.xlsx
    "training:attendance_result": everyone(405, ATTENDANCE, post=True),  # training/attendance/<int:pk>/result/
    "training:coverage": everyone(200),  # training/coverage/
    "training:coverage_export": everyone(200),  # training/coverage/export.xlsx
    "training:flags": everyone(200),  # training/categories/
    "training:certificate_list": everyone(200),  # training/certificates/
    "training:certificate_export": everyone(200),  # training/certificates/export.xlsx
    "training:certificate_create": everyone(200),  # training/certificates/new/
    "training:certificate_edit": everyone(200, CERTIFICATE),  # training/certificates/<int:pk>/
    "training:drill_list": everyone(200),  # training/drills/
    "training:drill_export": everyone(200),  # training/drills/export.xlsx
    "training:drill_create": everyone(200),  # training/drills/new/
    "training:drill_detail": everyone(200, DRILL),  # training/drills/<int:pk>/
    "training:evidence": r(LOGIN, NONE, NONE, NONE, NONE, DRILL_EVIDENCE),  # training/drills/files/<int:pk>/
    "training:inspection_list": everyone(200),  # training/inspections/
    "training:inspection_export": everyone(200),  # training/inspections/export.xlsx
    "training:inspection_create": everyone(200),  # training/inspections/new/
    "training:inspection_detail": everyone(200, PRINCIPAL_INSPECTION),  # training/inspections/<int:pk>/
    "training:inspection_report_hazard": everyone(200, PRINCIPAL_INSPECTION),  # training/inspections/<int:pk>/report-hazard/
    "training:compliance": everyone(200, extra={'duty': 'drill'}),  # training/compliance/<slug:duty>/
    "training:compliance_rows": everyone(200, extra={'duty': 'drill'}),  # training/compliance/<slug:duty>/enterprises/
    "training:compliance_export": everyone(200, extra={'duty': 'drill'}),  # training/compliance/<slug:duty>/export.xlsx
    "training:rescue_list": everyone(200),  # training/rescue-teams/
    "training:rescue_export": everyone(200),  # training/rescue-teams/export.xlsx
    "training:rescue_create": everyone(200),  # training/rescue-teams/new/
    "training:enterprise": everyone(200, ENTERPRISE),  # training/enterprises/<int:pk>/
    # --- enforcement ---
    "enforcement:listing_list": everyone(200),  # supervision/
    "enforcement:listing_export": everyone(200),  # supervision/export.xlsx
    "enforcement:listing_create": r(LOGIN, 403, 403, 200, 200),  # supervision/new/
    "enforcement:listing_detail": everyone(200, LISTING),  # supervision/<int:pk>/
    "enforcement:listing_notice": everyone(200, LISTING),  # supervision/<int:pk>/notice.pdf
    "enforcement:delisting_notice": r(LOGIN, NONE, NONE, 200, 200, DELISTED),  # supervision/<int:pk>/delisting.pdf
    "enforcement:listing_action": everyone(405, LISTING, extra={'action': 'sign_off'}, post=True),  # supervision/<int:pk>/<slug:action>/
    "enforcement:extension_list": everyone(200),  # extensions/
    "enforcement:extension_export": everyone(200),  # extensions/export.xlsx
    "enforcement:extension_create": everyone(200),  # extensions/new/
    "enforcement:extension_detail": everyone(200, EXTENSION),  # extensions/<int:pk>/
    "enforcement:extension_decide": everyone(405, EXTENSION, extra={'action': 'approve'}, post=True),  # extensions/<int:pk>/<slug:action>/
    "enforcement:escalation_list": everyone(200),  # escalations/
    "enforcement:escalation_export": everyone(200),  # escalations/export.xlsx
    "enforcement:escalation_evaluate": everyone(405, post=True),  # escalations/evaluate/
    "enforcement:escalation_detail": everyone(200, ESCALATION),  # escalations/<int:pk>/
    "enforcement:escalation_document": everyone(200, ESCALATION_DOCUMENT),  # escalations/<int:pk>/document.pdf
    "enforcement:escalation_decide": everyone(405, ESCALATION, extra={'action': 'approve'}, post=True),  # escalations/<int:pk>/<slug:action>/
    "enforcement:slow_progress": everyone(200),  # slow-progress/
    "enforcement:slow_progress_export": everyone(200),  # slow-progress/export.xlsx
    "enforcement:public_exposure": public(obj=EXPOSURE),  # public/exposures/<uuid:slug>/
    "enforcement:inspection_list": everyone(200),  # inspections/
    "enforcement:inspection_export": everyone(200),  # inspections/export.xlsx
    "enforcement:inspection_create": r(LOGIN, 403, 200, 200, 200),  # inspections/new/
    "enforcement:inspection_detail": r(LOGIN, NONE, 200, 200, 200, INSPECTION),  # inspections/<int:pk>/
    "enforcement:inspection_action": r(LOGIN, Nothing(405), 405, 405, 405, INSPECTION, extra={'action': 'cancel'}, post=True),  # inspections/<int:pk>/<slug:action>/
    "enforcement:draw_list": everyone(200),  # draws/
    "enforcement:draw_export": everyone(200),  # draws/export.xlsx
    "enforcement:draw_create": r(LOGIN, 403, 200, 200, 200),  # draws/new/
    "enforcement:draw_detail": r(LOGIN, NONE, NONE, 200, 200, DRAW),  # draws/<int:pk>/
    "enforcement:draw_publish": r(LOGIN, Nothing(405), Nothing(405), 405, 405, DRAW, post=True),  # draws/<int:pk>/publish/
    "enforcement:draw_public": public(obj=PUBLIC_DRAW),  # public/draws/<uuid:slug>/
    "enforcement:action_list": everyone(200),  # penalties/
    "enforcement:action_export": everyone(200),  # penalties/export.xlsx
    "enforcement:action_create": r(LOGIN, 403, 200, 200, 200),  # penalties/new/
    "enforcement:action_detail": r(LOGIN, NONE, NONE, 200, 200, ACTION),  # penalties/<int:pk>/
    "enforcement:action_refer": r(LOGIN, Nothing(405), Nothing(405), 405, 405, ACTION, post=True),  # penalties/<int:pk>/refer/
    "enforcement:expert_list": everyone(200),  # experts/
    "enforcement:expert_export": everyone(200),  # experts/export.xlsx
    "enforcement:expert_create": r(LOGIN, 403, 403, 200, 200),  # experts/new/
    "enforcement:tie_list": everyone(200),  # conflict-ties/
    "enforcement:tie_export": everyone(200),  # conflict-ties/export.xlsx
    "enforcement:tie_create": r(LOGIN, 403, 200, 200, 200),  # conflict-ties/new/
    "enforcement:accident_list": everyone(200),  # accidents/
    "enforcement:accident_export": everyone(200),  # accidents/export.xlsx
    "enforcement:accident_create": r(LOGIN, 403, 200, 200, 200),  # accidents/new/
    "enforcement:accident_detail": r(LOGIN, 200, NONE, 200, 200, ACCIDENT),  # accidents/<int:pk>/
    "enforcement:enforcement_statistics": everyone(200),  # enforcement-statistics/
    "enforcement:enforcement_statistics_export": everyone(200),  # enforcement-statistics/export.xlsx
    "enforcement:zero_penalty_propose": everyone(405, post=True),  # enforcement-statistics/propose/
    # --- tipoffs ---
    "tipoffs:report": r(200, 200, 200, 200, 200),  # report/
    "tipoffs:track": r(200, 200, 200, 200, 200),  # report/status/
    "tipoffs:list": r(LOGIN, 403, 200, 200, 200),  # tipoffs/
    "tipoffs:export": r(LOGIN, 403, 200, 200, 200),  # tipoffs/export.xlsx
    "tipoffs:statistics": r(LOGIN, 403, 200, 200, 200),  # tipoffs/statistics/
    "tipoffs:rewards": r(LOGIN, 403, 403, 200, 200),  # tipoffs/rewards/
    "tipoffs:reward_export": r(LOGIN, 403, 403, 200, 200),  # tipoffs/rewards/export.xlsx
    "tipoffs:access_log": r(LOGIN, 403, 403, 403, 200),  # tipoffs/identity-log/
    "tipoffs:photo": r(LOGIN, Nothing(403), NONE, NONE, NONE, TIPOFF_PHOTO),  # tipoffs/photos/<int:pk>/
    "tipoffs:reporting_scheme": everyone(405, ENTERPRISE, post=True),  # tipoffs/enterprises/<int:pk>/reporting-scheme/
    "tipoffs:detail": r(LOGIN, Nothing(403), NONE, 200, 200, TIPOFF),  # tipoffs/<int:pk>/
    "tipoffs:identity": r(LOGIN, Nothing(405), Nothing(405), 405, 405, TIPOFF, post=True),  # tipoffs/<int:pk>/identity/
    "tipoffs:action": r(LOGIN, Nothing(405), Nothing(405), 405, 405, TIPOFF, extra={'action': 'assign'}, post=True),  # tipoffs/<int:pk>/<slug:action>/
    # --- api ---
    "login": r(200, 302, 302, 302, 302),  # accounts/login/
    "logout": r(405, 405, 405, 405, 405),  # accounts/logout/
    "password_change": everyone(200),  # accounts/password_change/
    "password_change_done": everyone(200),  # accounts/password_change/done/
    "password_reset": r(200, 200, 200, 200, 200),  # accounts/password_reset/
    "password_reset_done": r(200, 200, 200, 200, 200),  # accounts/password_reset/done/
    "password_reset_confirm": r(200, 200, 200, 200, 200, extra={'uidb64': 'MQ', 'token': 'set-password'}),  # accounts/reset/<uidb64>/<token>/
    "password_reset_complete": r(200, 200, 200, 200, 200),  # accounts/reset/done/
    "set_language": r(302, 302, 302, 302, 302),  # i18n/setlang/
    # the installable app (issue 18): public, nothing about a user in them
    "pwa_sw": public(200),  # sw.js
    "pwa_manifest": public(200),  # manifest.webmanifest
    "pwa_offline": public(200),  # offline/
    "action-list": everyone(200),  # api/v1/^actions/$
    "action-detail": everyone(200, extra={'number': 1}),  # api/v1/^actions/(?P<number>[^/.]+)/$
    "task-list": everyone(200),  # api/v1/^tasks/$
    "task-detail": everyone(200, extra={'number': 14}),  # api/v1/^tasks/(?P<number>[^/.]+)/$
    "phase-list": everyone(200),  # api/v1/^phases/$
    "phase-detail": everyone(200, PHASE),  # api/v1/^phases/(?P<pk>[^/.]+)/$
    "department-list": everyone(200),  # api/v1/^departments/$
    "department-detail": everyone(200, DEPARTMENT),  # api/v1/^departments/(?P<pk>[^/.]+)/$
    "township-list": everyone(200),  # api/v1/^townships/$
    "township-detail": everyone(200, TOWNSHIP),  # api/v1/^townships/(?P<pk>[^/.]+)/$
    "sector-list": everyone(200),  # api/v1/^sectors/$
    "sector-detail": everyone(200, SECTOR),  # api/v1/^sectors/(?P<pk>[^/.]+)/$
    "subplan-list": everyone(200),  # api/v1/^subplans/$
    "subplan-detail": r(LOGIN, 200, NONE, 200, 200, SUBPLAN),  # api/v1/^subplans/(?P<pk>[^/.]+)/$
    "subplan-approve": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # api/v1/^subplans/(?P<pk>[^/.]+)/approve/$
    "subplan-return-": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # api/v1/^subplans/(?P<pk>[^/.]+)/return/$
    "subplan-submit": r(LOGIN, 405, Nothing(405), 405, 405, SUBPLAN, post=True),  # api/v1/^subplans/(?P<pk>[^/.]+)/submit/$
    "subplanversion-list": everyone(200),  # api/v1/^subplan-versions/$
    "subplanversion-detail": r(LOGIN, 200, NONE, 200, 200, SUBPLAN_VERSION_API),  # api/v1/^subplan-versions/(?P<pk>[^/.]+)/$
    "progressreport-list": everyone(200),  # api/v1/^progress-reports/$
    "progressreport-detail": everyone(200, PROGRESS),  # api/v1/^progress-reports/(?P<pk>[^/.]+)/$
    "milestonerecord-list": everyone(200),  # api/v1/^milestone-records/$
    "milestonerecord-detail": everyone(200, MILESTONE_RECORD),  # api/v1/^milestone-records/(?P<pk>[^/.]+)/$
    "obligationperiod-list": everyone(200),  # api/v1/^obligation-periods/$
    "league-list": everyone(200),  # api/v1/^league/$
    "notification-list": everyone(200),  # api/v1/^notifications/$
    "notification-detail": r(LOGIN, 200, 200, 200, NONE, DIGEST),  # api/v1/^notifications/(?P<pk>[^/.]+)/$
    "notification-read": r(LOGIN, 405, 405, 405, Nothing(405), DIGEST, post=True),  # api/v1/^notifications/(?P<pk>[^/.]+)/read/$
    "reminderrun-list": r(LOGIN, 403, 403, 200, 200),  # api/v1/^reminder-runs/$
    "report-list": everyone(200),  # api/v1/^reports/$
    "report-detail": r(LOGIN, NONE, NONE, 200, 200, REPORT),  # api/v1/^reports/(?P<pk>[^/.]+)/$
    "report-download": r(LOGIN, NONE, NONE, 200, 200, REPORT, extra={'fmt': 'pdf'}),  # api/v1/^reports/(?P<pk>[^/.]+)/download/(?P<fmt>pdf|xlsx)/$
    "report-retry": r(LOGIN, Nothing(405), Nothing(405), 405, 405, REPORT, post=True),  # api/v1/^reports/(?P<pk>[^/.]+)/retry/$
    "outcome-list": everyone(200),  # api/v1/^outcomes/$
    "outcome-detail": r(LOGIN, NONE, NONE, NONE, NONE, OUTCOME),  # api/v1/^outcomes/(?P<pk>[^/.]+)/$
    "enterprise-list": everyone(200),  # api/v1/^enterprises/$
    "enterprise-detail": everyone(200, ENTERPRISE),  # api/v1/^enterprises/(?P<pk>[^/.]+)/$
    "hazard-list": everyone(200),  # api/v1/^hazards/$
    "hazard-detail": everyone(200, HAZARD),  # api/v1/^hazards/(?P<pk>[^/.]+)/$
    "hazard-accept": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/accept/$
    "hazard-close": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/close/$
    "hazard-confirm": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/confirm/$
    "hazard-fail-acceptance": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/fail_acceptance/$
    "hazard-merge": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/merge/$
    "hazard-rectification": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/rectification/$
    "hazard-reject": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/reject/$
    "hazard-start-rectification": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/start_rectification/$
    "hazard-submit-for-acceptance": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/submit_for_acceptance/$
    "hazard-unmerge": everyone(405, HAZARD, post=True),  # api/v1/^hazards/(?P<pk>[^/.]+)/unmerge/$
    "hazardcriterion-list": everyone(200),  # api/v1/^hazard-criteria/$
    "hazardcriterion-detail": everyone(200, CRITERION),  # api/v1/^hazard-criteria/(?P<pk>[^/.]+)/$
    "judgementstandard-list": everyone(200),  # api/v1/^judgement-standards/$
    "judgementstandard-detail": everyone(200, JUDGEMENT),  # api/v1/^judgement-standards/(?P<code>[^/.]+)/$
    "hazard-statistics-list": everyone(200),  # api/v1/^hazard-statistics/$
    "training-session-list": everyone(200),  # api/v1/^training-sessions/$
    "training-session-detail": everyone(200, SESSION),  # api/v1/^training-sessions/(?P<pk>[^/.]+)/$
    "training-attendance-list": everyone(200),  # api/v1/^training-attendances/$
    "training-attendance-detail": everyone(200, ATTENDANCE),  # api/v1/^training-attendances/(?P<pk>[^/.]+)/$
    "training-attendance-result": everyone(405, ATTENDANCE, post=True),  # api/v1/^training-attendances/(?P<pk>[^/.]+)/result/$
    "certificate-list": everyone(200),  # api/v1/^certificates/$
    "certificate-detail": everyone(200, CERTIFICATE),  # api/v1/^certificates/(?P<pk>[^/.]+)/$
    "drill-list": everyone(200),  # api/v1/^drills/$
    "drill-detail": everyone(200, DRILL),  # api/v1/^drills/(?P<pk>[^/.]+)/$
    "principal-inspection-list": everyone(200),  # api/v1/^principal-inspections/$
    "principal-inspection-detail": everyone(200, PRINCIPAL_INSPECTION),  # api/v1/^principal-inspections/(?P<pk>[^/.]+)/$
    "rescue-team-list": everyone(200),  # api/v1/^rescue-teams/$
    "rescue-team-detail": r(LOGIN, 200, NONE, 200, 200, RESCUE_TEAM),  # api/v1/^rescue-teams/(?P<pk>[^/.]+)/$
    "enterprise-category-list": everyone(200),  # api/v1/^enterprise-categories/$
    "enterprise-category-detail": everyone(200, FLAG),  # api/v1/^enterprise-categories/(?P<pk>[^/.]+)/$
    "training-coverage-list": everyone(200),  # api/v1/^training-coverage/$
    "training-duties-list": everyone(200),  # api/v1/^training-duties/$
    "listing-list": everyone(200),  # api/v1/^listings/$
    "listing-detail": everyone(200, LISTING),  # api/v1/^listings/(?P<pk>[^/.]+)/$
    "listing-delist": everyone(405, LISTING, post=True),  # api/v1/^listings/(?P<pk>[^/.]+)/delist/$
    "listing-report-progress": everyone(405, LISTING, post=True),  # api/v1/^listings/(?P<pk>[^/.]+)/report_progress/$
    "listing-sign-off": everyone(405, LISTING, post=True),  # api/v1/^listings/(?P<pk>[^/.]+)/sign_off/$
    "extension-list": everyone(200),  # api/v1/^extensions/$
    "extension-detail": everyone(200, EXTENSION),  # api/v1/^extensions/(?P<pk>[^/.]+)/$
    "extension-approve": everyone(405, EXTENSION, post=True),  # api/v1/^extensions/(?P<pk>[^/.]+)/approve/$
    "extension-refuse": everyone(405, EXTENSION, post=True),  # api/v1/^extensions/(?P<pk>[^/.]+)/refuse/$
    "escalation-list": everyone(200),  # api/v1/^escalations/$
    "escalation-evaluate": everyone(405, post=True),  # api/v1/^escalations/evaluate/$
    "escalation-detail": everyone(200, ESCALATION),  # api/v1/^escalations/(?P<pk>[^/.]+)/$
    "escalation-approve": everyone(405, ESCALATION, post=True),  # api/v1/^escalations/(?P<pk>[^/.]+)/approve/$
    "escalation-dismiss": everyone(405, ESCALATION, post=True),  # api/v1/^escalations/(?P<pk>[^/.]+)/dismiss/$
    "slow-progress-list": everyone(200),  # api/v1/^slow-progress/$
    "inspection-list": everyone(200),  # api/v1/^inspections/$
    "inspection-detail": r(LOGIN, NONE, 200, 200, 200, INSPECTION),  # api/v1/^inspections/(?P<pk>[^/.]+)/$
    "inspection-assign-experts": r(LOGIN, Nothing(405), 405, 405, 405, INSPECTION, post=True),  # api/v1/^inspections/(?P<pk>[^/.]+)/assign_experts/$
    "inspection-cancel": r(LOGIN, Nothing(405), 405, 405, 405, INSPECTION, post=True),  # api/v1/^inspections/(?P<pk>[^/.]+)/cancel/$
    "inspection-complete": r(LOGIN, Nothing(405), 405, 405, 405, INSPECTION, post=True),  # api/v1/^inspections/(?P<pk>[^/.]+)/complete/$
    "inspection-raise-hazard": r(LOGIN, Nothing(405), 405, 405, 405, INSPECTION, post=True),  # api/v1/^inspections/(?P<pk>[^/.]+)/raise_hazard/$
    "draw-list": everyone(200),  # api/v1/^draws/$
    "draw-detail": r(LOGIN, NONE, NONE, 200, 200, DRAW),  # api/v1/^draws/(?P<pk>[^/.]+)/$
    "draw-publish": r(LOGIN, Nothing(405), Nothing(405), 405, 405, DRAW, post=True),  # api/v1/^draws/(?P<pk>[^/.]+)/publish/$
    "draw-replay": r(LOGIN, NONE, NONE, 200, 200, DRAW),  # api/v1/^draws/(?P<pk>[^/.]+)/replay/$
    "enforcement-action-list": everyone(200),  # api/v1/^enforcement-actions/$
    "enforcement-action-detail": r(LOGIN, NONE, NONE, 200, 200, ACTION),  # api/v1/^enforcement-actions/(?P<pk>[^/.]+)/$
    "enforcement-action-refer": r(LOGIN, Nothing(405), Nothing(405), 405, 405, ACTION, post=True),  # api/v1/^enforcement-actions/(?P<pk>[^/.]+)/refer/$
    "expert-list": everyone(200),  # api/v1/^experts/$
    "expert-detail": everyone(200, EXPERT),  # api/v1/^experts/(?P<pk>[^/.]+)/$
    "conflict-tie-list": everyone(200),  # api/v1/^conflict-ties/$
    "conflict-tie-detail": everyone(200, TIE),  # api/v1/^conflict-ties/(?P<pk>[^/.]+)/$
    "accident-list": everyone(200),  # api/v1/^accidents/$
    "accident-detail": r(LOGIN, 200, NONE, 200, 200, ACCIDENT),  # api/v1/^accidents/(?P<pk>[^/.]+)/$
    "enforcement-statistics-list": everyone(200),  # api/v1/^enforcement-statistics/$
    "tipoff-list": r(LOGIN, 403, 200, 200, 200),  # api/v1/^tipoffs/$
    "tipoff-detail": r(LOGIN, Nothing(403), NONE, 200, 200, TIPOFF),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/$
    "tipoff-assign": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/assign/$
    "tipoff-close": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/close/$
    "tipoff-dismiss": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/dismiss/$
    "tipoff-find-unverified": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/find_unverified/$
    "tipoff-pay": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/pay/$
    "tipoff-reply": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/reply/$
    "tipoff-reward": r(LOGIN, Nothing(403), Nothing(405), 405, 405, REWARD, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/reward/$
    "tipoff-start-verification": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/start_verification/$
    "tipoff-verify": r(LOGIN, Nothing(403), Nothing(405), 405, 405, TIPOFF, post=True, post_denied={"township": 403}),  # api/v1/^tipoffs/(?P<pk>[^/.]+)/verify/$
    "tipoff-reward-list": r(LOGIN, 403, 403, 200, 200),  # api/v1/^tipoff-rewards/$
    "tipoff-reward-detail": r(LOGIN, Nothing(403), Nothing(403), 200, 200, REWARD),  # api/v1/^tipoff-rewards/(?P<pk>[^/.]+)/$
    "tipoff-statistics-list": r(LOGIN, 403, 200, 200, 200),  # api/v1/^tipoff-statistics/$
    "api-root": everyone(200),  # api/v1/
    "schema": everyone(200),  # api/schema/
    "swagger-ui": everyone(200),  # api/docs/
}
# fmt: on


# --- the run ---------------------------------------------------------------------------------


def _expected_match(expected, response, *, api: bool) -> bool:
    status = response.status_code
    if expected == LOGIN:
        if api:
            return status == 401
        return status == 302 and "/accounts/login/" in response["Location"]
    if expected == ADMIN_LOGIN:
        return status == 302 and "/admin/login/" in response["Location"]
    return status == expected


def _describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code}→{response['Location']}"
    return str(response.status_code)


def test_every_url_pattern_has_a_row():
    missing = [
        f"new URL pattern {name or route!r} ({route}) has no row in the authorization matrix"
        for name, route in url_names()
        if not name.startswith("admin:") and name not in MATRIX
    ]
    stale = [
        f"matrix row {name!r} names no URL pattern"
        for name in MATRIX.keys() - {n for n, _ in url_names()}
    ]
    assert not missing + stale, "\n".join(missing + stale)


def run_matrix(users: dict) -> tuple[list[str], dict[str, dict]]:
    """Ask every row of ``MATRIX`` as every principal (``users``: role → user); returns the
    wrong answers and what each principal got (``{name: {"role/variant": "status"}}``)."""
    clients = {"anon": Client()}
    for role, user in users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    clients["anon"].raise_request_exception = False
    failures: list[str] = []
    observed: dict[str, dict] = {}
    routes = dict(url_names())
    for name, row in MATRIX.items():
        api = routes.get(name, "").startswith("api/")
        seen = observed.setdefault(name, {})
        for principal in PRINCIPALS:
            expected = getattr(row, principal)
            user = users.get(principal)
            variants = [("own", expected)]
            if isinstance(expected, Nothing):
                variants = [("none", expected.status)]
            elif row.obj and row.obj.scoped and principal in UNIT_ROLES:
                # a POST-only page refuses a GET before looking anything up: 405 for any id
                variants.append(("other", 405 if row.post and expected == 405 else 404))
            for variant, want in variants:
                kwargs = dict(row.extra or {})
                if row.obj:
                    visible = row.obj.visible_qs(user or users["office"])
                    outside = row.obj.queryset().exclude(pk__in=visible.values("pk"))
                    if variant == "own":
                        target = visible.order_by("pk").first()
                    elif variant == "other":
                        target = outside.order_by("pk").first()
                    else:
                        if user is not None and visible.exists():
                            failures.append(
                                f"{name}: {principal} sees some {row.obj.model}: its row says "
                                "Nothing (update the row)"
                            )
                        target = outside.order_by("pk").first()
                    if target is None and (variant in ("none", "other") or principal == "anon"):
                        kwargs["pk"] = MISSING_PK  # no such object: an id nobody has
                    elif target is None:
                        failures.append(f"{name}: no {variant} {row.obj.model} for {principal}")
                        continue
                    else:
                        kwargs.update(row.obj.url_kwargs(target))
                try:
                    url = reverse(name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")
                except Exception as error:  # noqa: BLE001 - a broken row is a failure
                    failures.append(f"{name}: cannot build its URL from {kwargs}: {error}")
                    continue
                asks = [("get", want)]
                if row.post and principal == "anon":
                    asks.append(("post", want))
                elif row.post and variant in ("other", "none"):
                    asks.append(("post", (row.post_denied or {}).get(principal, 404)))
                for method, designed in asks:
                    response = getattr(clients[principal], method)(url)
                    key = f"{principal}/{variant}" + ("/post" if method == "post" else "")
                    seen[key] = _describe(response)
                    if not _expected_match(designed, response, api=api):
                        failures.append(
                            f"{name}: {method.upper()} {url} as {principal} ({variant}) gave "
                            f"{_describe(response)}, designed {designed}"
                        )
    return failures, observed


@pytest.mark.django_db
def test_authorization_matrix(demo_data, django_user_model):
    users = {role: django_user_model.objects.get(username=u) for role, u in USERNAMES.items()}
    failures, _observed = run_matrix(users)
    assert not failures, f"{len(failures)} wrong answers:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_admin_is_staff_only(demo_data, django_user_model):
    """The Django admin, as a block: its index and every model's list, for staff only."""
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]
    failures = []
    for principal in PRINCIPALS:
        client = Client()
        if principal != "anon":
            client.force_login(django_user_model.objects.get(username=USERNAMES[principal]))
        want = 200 if principal == "admin" else ADMIN_LOGIN
        for url in urls:
            response = client.get(url)
            if not _expected_match(want, response, api=False):
                failures.append(
                    f"GET {url} as {principal} gave {_describe(response)}, designed {want}"
                )
    assert not failures, "\n".join(failures)
