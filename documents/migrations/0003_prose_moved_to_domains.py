# Hand-written (state only): the documents' prose moved to the domains that own it
# (ReportDraft → programme 0005, AssessmentProse → assessments 0003); the tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_assessment_prose'),
        ('programme', '0005_reportdraft_from_documents'),
        ('assessments', '0003_assessmentprose_from_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='reportdraft',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='reportdraft',
                    name='updated_by',
                ),
                migrations.DeleteModel(
                    name='AssessmentProse',
                ),
                migrations.DeleteModel(
                    name='ReportDraft',
                ),
            ],
            database_operations=[],
        ),
    ]
