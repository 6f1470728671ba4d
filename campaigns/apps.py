from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaign plan and organisation")

    def ready(self):
        import yixian_safety.checks  # noqa: F401  (registers the project's system checks)
        from campaigns.accounts import checks  # noqa: F401 - registers the deploy check
        from campaigns.audit.receivers import connect as connect_audit
        from campaigns.dashboard.selectors import connect_invalidation
        from campaigns.plugins import discover

        discover()  # every app's plug-in modules (campaigns/plugins.py)
        connect_invalidation()
        connect_audit()  # logins, lockouts, role and permission changes → the audit trail
