# Hand-written (state only): RecognitionDecision now belongs to the recognition app, which
# keeps the table "programme_recognitiondecision" (recognition 0001 takes it over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0003_unit_target_metric'),
        ('recognition', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='RecognitionDecision',
                ),
            ],
            database_operations=[],
        ),
    ]
