"""Plans get a stable public code (the open API addresses them by it, never by the database id).
Three steps: the column is added empty, every existing plan (and its history rows) gets its own
code, then the column becomes required and unique."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Plan = apps.get_model("programme", "ProgrammePlan")
    History = apps.get_model("programme", "HistoricalProgrammePlan")
    codes: dict[int, uuid.UUID] = {}
    for pk in Plan.objects.filter(public_id__isnull=True).values_list("pk", flat=True):
        codes[pk] = uuid.uuid4()
        Plan.objects.filter(pk=pk).update(public_id=codes[pk])
    # A plan's history rows carry its code; a deleted plan's rows share one code of their own.
    for plan_id in (
        History.objects.filter(public_id__isnull=True).values_list("id", flat=True).distinct()
    ):
        code = (
            codes.get(plan_id)
            or Plan.objects.filter(pk=plan_id).values_list("public_id", flat=True).first()
            or uuid.uuid4()
        )
        History.objects.filter(id=plan_id, public_id__isnull=True).update(public_id=code)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0010_investment_serves_criteria"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmeplan",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="mã công khai"),
        ),
        migrations.AddField(
            model_name="historicalprogrammeplan",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="mã công khai"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programmeplan",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Mã định danh ổn định của kế hoạch, dùng trong địa chỉ API.",
                unique=True,
                verbose_name="mã công khai",
            ),
        ),
        migrations.AlterField(
            model_name="historicalprogrammeplan",
            name="public_id",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text="Mã định danh ổn định của kế hoạch, dùng trong địa chỉ API.",
                verbose_name="mã công khai",
            ),
        ),
    ]
