"""``python manage.py build_report --period 2026Q3 [--scope county|township:<code>|
department:<code>]`` or ``--period final``: build a report now, through the same services as the
pages (a new version, a new 文号), and print the stored PDF and Excel paths, one per line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.reports.models import Report
from campaigns.reports.services import report_build, report_request


class Command(BaseCommand):
    help = (
        "Build a quarterly (--period 2026Q3) or the final (--period final) report for the "
        "county or one unit, store it as a new version and print the PDF and Excel paths."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026Q3, 2026-Q3 or final")
        parser.add_argument(
            "--scope",
            default="county",
            help="county (default), township:<code> or department:<code>",
        )

    def handle(self, *args, period, scope, **options):
        kind = Report.Kind.FINAL if period.strip().lower() == "final" else Report.Kind.QUARTERLY
        try:
            # actor None: the command is the operator's (like beat); it builds in-process.
            report = report_request(kind=kind, period_key=period, scope_key=scope, actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        report = report_build(report_id=report.pk)
        if report.status != Report.Status.READY:
            raise CommandError(f"report {report.pk} failed: {report.error}")
        self.stdout.write(report.pdf.path)
        self.stdout.write(report.xlsx.path)
