"""Demo sub-plans, progress reports, milestones met and obligation records (invented).

Sub-plans in every state: approved on time, returned with the office's comments and
resubmitted, returned, submitted late, draft, and units with none. Files are small generated
PDFs. Idempotent: units that already have a sub-plan / report / record are left alone.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.constants import SEED_CAMPAIGN_SLUG, Frequency
from campaigns.league.models import LeagueWeight
from campaigns.league.selectors import METRICS
from campaigns.org.models import Department, Role, Township, User
from campaigns.plan.models import Task
from campaigns.progress.models import MilestoneRecord, ObligationRecord, ProgressReport
from campaigns.progress.selectors import milestones_of_unit, obligation_periods_for, report_periods
from campaigns.progress.services import cadence_set, milestone_mark_met, obligation_record
from campaigns.subplans.models import SubPlan
from campaigns.subplans.services import (
    subplan_approve,
    subplan_create,
    subplan_return,
    subplan_submit,
)
from yixian_safety.dates import today_local


def _seed_tasks():
    """The demo's records are of the seed plan (2024–2026), whatever else is loaded."""
    return Task.objects.filter(campaign__slug=SEED_CAMPAIGN_SLUG)


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII) — enough for demo and test documents."""
    text = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


# state per unit index: how far the demo drives its sub-plan
_SCENARIOS = [
    "approved",
    "returned_resubmitted_approved",
    "returned",
    "resubmitted",
    "submitted_late",
    "draft",
    "approved_late",
    "none",
]


def _subplans(units, office, rng) -> int:
    made = 0
    due = datetime.date(2024, 3, 15)
    for i, (unit, user) in enumerate(units):
        scenario = _SCENARIOS[i % len(_SCENARIOS)]
        if scenario == "none" or SubPlan.objects.of_unit(unit).exists():
            continue
        code = unit.code
        tasks = (
            list(_seed_tasks().order_by("?")[:4])
            if isinstance(unit, Township)
            else list(_seed_tasks().filter(lead_departments=unit)[:6])
        )
        sp = subplan_create(
            actor=user,
            title=f"{unit.name}安全生产治本攻坚三年行动子实施方案",
            summary=f"{unit.name}结合本{'乡镇' if isinstance(unit, Township) else '部门'}实际，"
            "明确目标任务、责任分工和时间安排，推进八大行动落地见效。",
            contact_name=user.first_name or user.username,
            contact_phone=f"0559-55{i:05d}",
            document=pdf_upload(f"{code}-subplan-v1.pdf", f"Sub-plan of {code}, version 1"),
            tasks=tasks,
        )
        made += 1
        if scenario == "draft":
            continue
        late = scenario in ("submitted_late", "approved_late")
        submitted_on = (
            due + datetime.timedelta(days=rng.randint(3, 25))
            if late
            else due - datetime.timedelta(days=rng.randint(1, 10))
        )
        subplan_submit(sub_plan=sp, actor=user, today=submitted_on)
        if scenario in ("returned", "resubmitted", "returned_resubmitted_approved"):
            subplan_return(
                sub_plan=sp,
                actor=office,
                comment="请补充重大事故隐患动态清零的具体措施和各阶段时间节点，明确责任人。",
            )
            if scenario != "returned":
                subplan_submit(
                    sub_plan=sp,
                    actor=user,
                    note="已按意见修改",
                    document=pdf_upload(
                        f"{code}-subplan-v2.pdf", f"Sub-plan of {code}, version 2 (revised)"
                    ),
                )
        if scenario in ("approved", "approved_late", "returned_resubmitted_approved"):
            subplan_approve(sub_plan=sp, actor=office, comment="同意。")
    return made


def _stable(*key) -> float:
    """A repeatable 0…1 draw per key, so a second run makes the same decisions (idempotent)."""
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _progress(units, rng, today) -> int:
    """Every period of every task of every unit, bulk-created for volume (≈3,500 reports;
    the service would take a minute): same fields as progress_report_submit computes, the
    unique constraint makes reruns no-ops. Some periods are left unreported or reported late."""
    from campaigns.progress.selectors import report_due_on, tasks_of_unit
    from yixian_safety.periods import period_from_key

    periods_by_task = {
        t.pk: report_periods(t, today) for t in _seed_tasks().select_related("campaign")
    }
    statuses = ["on_track", "on_track", "done", "at_risk", "not_started"]
    existing = set(
        ProgressReport.objects.values_list("task_id", "period", "township_id", "department_id")
    )
    rows = []
    for unit, user in units:
        tw = unit.pk if isinstance(unit, Township) else None
        dp = unit.pk if isinstance(unit, Department) else None
        for task in tasks_of_unit(unit):
            for period in periods_by_task[task.pk]:
                draw = _stable(unit.code, task.number, period.key)
                if draw < 0.12 or (task.pk, period.key, tw, dp) in existing:
                    continue  # not reported: a gap the league table shows
                parsed = period_from_key(period.key)
                delay = [2, 4, 6, 8, 9, 14, 30][int(draw * 1000) % 7]
                submitted = min(today, parsed.end + datetime.timedelta(days=delay))
                if submitted < parsed.start:
                    continue
                report = ProgressReport(
                    task=task,
                    period=period.key,
                    status=statuses[int(draw * 100) % 5],
                    text=f"{unit.name}：按计划推进任务{task.number}，本期开展检查和整治工作。",
                    figures={
                        "排查单位数": 5 + int(draw * 997) % 55,
                        "整改隐患数": int(draw * 463) % 20,
                    },
                    due_on=report_due_on(parsed),
                    submitted_on=submitted,
                    submitted_by=user,
                )
                report.set_unit(unit)
                rows.append(report)
    ProgressReport.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _milestones(units, rng, today) -> int:
    made = 0
    for unit, user in units:
        field = "township" if isinstance(unit, Township) else "department"
        mine = milestones_of_unit(unit).filter(due_on__lt=today)
        for m in mine.select_related("task"):
            if MilestoneRecord.objects.filter(**{field: unit}, milestone=m).exists():
                continue
            if _stable(unit.code, m.code) < 0.35:
                continue  # left overdue
            milestone_mark_met(
                actor=user,
                milestone=m,
                met_on=m.due_on
                - datetime.timedelta(days=int(_stable(unit.code, m.code, "d") * 30)),
                note="已完成，相关文件和台账已归档。",
                today=today,
            )
            made += 1
    return made


def _obligations(units_by_key, rng, today) -> int:
    made = 0
    for row in obligation_periods_for(today=today):
        if row.status == "met" or _stable(row.unit.code, row.obligation.code, row.period.key) < 0.3:
            continue
        user = units_by_key.get((type(row.unit), row.unit.pk))
        if (
            user is None
            or ObligationRecord.objects.filter(
                obligation=row.obligation,
                period=row.period.key,
                township=row.unit if isinstance(row.unit, Township) else None,
                department=row.unit if isinstance(row.unit, Department) else None,
            ).exists()
        ):
            continue
        done_on = min(today, row.period.start + datetime.timedelta(days=5 + rng.randint(0, 20)))
        if done_on > row.period.end:
            done_on = row.period.end
        obligation_record(
            actor=user,
            obligation=row.obligation,
            period=row.period.key,
            done_on=done_on,
            count=row.obligation.minimum_count,
            note="已按要求开展。",
            today=today,
        )
        made += 1
    return made


def build(*, rng) -> str:
    """Create the demo sub-plans and progress (needs campaigns.org.demo's accounts)."""
    today = today_local()
    office = User.objects.filter(username="office").first()
    if office is None:
        return "skipped (no demo accounts)"
    for metric in METRICS:
        LeagueWeight.objects.get_or_create(
            metric=metric.code, defaults={"weight": metric.default_weight}
        )
    for number in (14, 15, 16):  # the hazard-ledger tasks are followed monthly
        task = _seed_tasks().filter(number=number).first()
        if task and not hasattr(task, "cadence"):
            cadence_set(actor=office, task=task, frequency=Frequency.MONTHLY)
    units = []
    for t in Township.objects.all():
        user = User.objects.filter(role=Role.TOWNSHIP_OFFICIAL, township=t).order_by("pk").first()
        if user:
            units.append((t, user))
    for d in Department.objects.filter(is_lead=True):
        user = User.objects.filter(role=Role.DEPARTMENT_STAFF, department=d).order_by("pk").first()
        if user:
            units.append((d, user))
    by_key = {(type(u), u.pk): user for u, user in units}
    safety = Department.objects.filter(code=Department.SAFETY_OFFICE_CODE).first()
    if safety:
        by_key[(Department, safety.pk)] = office
    counts = {
        "sub-plans": _subplans(units, office, rng),
        "progress reports": _progress(units, rng, today),
        "milestones met": _milestones(units, rng, today),
        "obligation records": _obligations(by_key, rng, today),
    }
    return ", ".join(f"{k} {v}" for k, v in counts.items())
