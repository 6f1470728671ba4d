"""Campaigns side by side (issue 16), second step: campaign fields required, numbers and codes
unique per campaign (after 0009 filled them; a separate transaction so that PostgreSQL alters
no table with pending trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0010_campaigns_side_by_side'),
    ]

    operations = [
        migrations.AlterField(
            model_name='campaign',
            name='slug',
            field=models.SlugField(max_length=40, unique=True, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='obligation',
            name='campaign',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='campaigns.campaign', verbose_name='campaign'),
        ),
        migrations.AlterField(
            model_name='task',
            name='campaign',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='campaigns.campaign', verbose_name='campaign'),
        ),
        migrations.AlterField(
            model_name='action',
            name='number',
            field=models.PositiveSmallIntegerField(verbose_name='number'),
        ),
        migrations.AlterField(
            model_name='milestone',
            name='code',
            field=models.SlugField(max_length=60, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='obligation',
            name='code',
            field=models.SlugField(max_length=60, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='phase',
            name='code',
            field=models.SlugField(max_length=30, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='task',
            name='number',
            field=models.PositiveSmallIntegerField(verbose_name='number'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.UniqueConstraint(fields=('campaign', 'number'), name='action_number_per_campaign'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('starts_on__lte', models.F('ends_on'))), name='campaign_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.UniqueConstraint(fields=('campaign', 'code'), name='milestone_code_per_campaign'),
        ),
        migrations.AddConstraint(
            model_name='obligation',
            constraint=models.UniqueConstraint(fields=('campaign', 'code'), name='obligation_code_per_campaign'),
        ),
        migrations.AddConstraint(
            model_name='phase',
            constraint=models.UniqueConstraint(fields=('campaign', 'code'), name='phase_code_per_campaign'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.UniqueConstraint(fields=('campaign', 'number'), name='task_number_per_campaign'),
        ),
    ]
