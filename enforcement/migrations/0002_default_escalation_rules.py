"""Default escalation rules (task 15); the safety office adjusts them in the admin."""

from django.db import migrations

DEFAULT_RULES = [
    # (name, trigger, threshold, step, target)
    ("重大事故隐患逾期 30 日以上：函告属地乡镇", "days_overdue", 30, "formal_letter", "township"),
    ("重大事故隐患逾期 60 日以上：通报行业监管部门", "days_overdue", 60, "circulated_notice",
     "department"),
    ("重大事故隐患逾期 90 日以上：约谈生产经营单位", "days_overdue", 90, "summons_interview",
     "enterprise"),
    ("重大事故隐患逾期 180 日以上：曝光生产经营单位", "days_overdue", 180, "public_exposure",
     "enterprise"),
    ("挂牌督办隐患缺报季度进展：函告属地乡镇", "missed_quarterly_reports", 1, "formal_letter",
     "township"),
    ("同一单位 2 项以上重大事故隐患逾期整改：约谈生产经营单位", "repeat_offences", 2,
     "summons_interview", "enterprise"),
]


def create(apps, schema_editor):
    Rule = apps.get_model("enforcement", "EscalationRule")
    for name, trigger, threshold, step, target in DEFAULT_RULES:
        Rule.objects.get_or_create(name=name, defaults={
            "trigger": trigger, "threshold": threshold, "step": step, "target": target})


def remove(apps, schema_editor):
    Rule = apps.get_model("enforcement", "EscalationRule")
    Rule.objects.filter(name__in=[r[0] for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
