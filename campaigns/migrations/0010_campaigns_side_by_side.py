"""Campaigns side by side (issue 16): a campaign slug; tasks and obligations carry their
campaign (filled from the action / the task); numbers and codes unique per campaign; phase
codes free slugs."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    Task = apps.get_model("campaigns", "Task")
    Obligation = apps.get_model("campaigns", "Obligation")
    for campaign in Campaign.objects.filter(slug__isnull=True).order_by("pk"):
        slug = f"{campaign.starts_on.year}-{campaign.ends_on.year}"
        if Campaign.objects.filter(slug=slug).exists():
            slug = f"{slug}-{campaign.pk}"
        campaign.slug = slug
        campaign.save(update_fields=["slug"])
    for task in Task.objects.select_related("action"):
        task.campaign_id = task.action.campaign_id
        task.save(update_fields=["campaign"])
    for obligation in Obligation.objects.select_related("task"):
        obligation.campaign_id = obligation.task.campaign_id
        obligation.save(update_fields=["campaign"])


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0009_auditevent'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='action',
            options={'ordering': ['campaign', 'number'], 'verbose_name': 'action', 'verbose_name_plural': 'actions'},
        ),
        migrations.AlterModelOptions(
            name='campaign',
            options={'ordering': ['-starts_on', 'pk'], 'verbose_name': 'campaign', 'verbose_name_plural': 'campaigns'},
        ),
        migrations.AlterModelOptions(
            name='phase',
            options={'ordering': ['campaign', 'order'], 'verbose_name': 'phase', 'verbose_name_plural': 'phases'},
        ),
        migrations.AlterModelOptions(
            name='task',
            options={'ordering': ['campaign', 'number'], 'verbose_name': 'task', 'verbose_name_plural': 'tasks'},
        ),
        migrations.AddField(
            model_name='campaign',
            name='slug',
            field=models.SlugField(max_length=40, null=True, unique=True, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='campaign',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='campaigns.campaign', verbose_name='campaign'),
        ),
        migrations.AddField(
            model_name='task',
            name='campaign',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='campaigns.campaign', verbose_name='campaign'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
