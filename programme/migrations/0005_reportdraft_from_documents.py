# Hand-written (state only): the prose of the report and plan documents (ReportDraft) moved
# from the documents app to the programme app. The table keeps its name
# (Meta.db_table = "documents_reportdraft"), so no row moves.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0004_recognitiondecision_to_recognition'),
        ('documents', '0002_assessment_prose'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportDraft',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('report', 'Báo cáo'), ('plan', 'Kế hoạch')], max_length=16, verbose_name='loại')),
                        ('plan_id', models.PositiveIntegerField(default=0, verbose_name='kế hoạch')),
                        ('year', models.PositiveSmallIntegerField(default=0, verbose_name='năm')),
                        ('period', models.CharField(blank=True, max_length=2, verbose_name='kỳ báo cáo')),
                        ('texts', models.JSONField(blank=True, default=dict, verbose_name='nội dung')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.adminunit', verbose_name='đơn vị')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'nội dung soạn thảo',
                        'verbose_name_plural': 'nội dung soạn thảo',
                        'db_table': 'documents_reportdraft',
                    },
                ),
                migrations.AddConstraint(
                    model_name='reportdraft',
                    constraint=models.UniqueConstraint(fields=('kind', 'unit', 'plan_id', 'year', 'period'), name='report_draft_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]
