# Hand-written (state only): AssessmentProse moved from the documents app to the assessments
# app. The table keeps its name (Meta.db_table = "documents_assessmentprose"), so no row moves.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_standard_review_and_indicator_versions'),
        ('documents', '0002_assessment_prose'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AssessmentProse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('texts', models.JSONField(blank=True, default=dict, verbose_name='nội dung')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='document_prose', to='assessments.assessment', verbose_name='đợt tự đánh giá')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'nội dung văn bản tự đánh giá',
                        'verbose_name_plural': 'nội dung văn bản tự đánh giá',
                        'db_table': 'documents_assessmentprose',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
