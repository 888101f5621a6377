from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("core", "DataVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, counter=0
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_password_set_event")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("counter", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
