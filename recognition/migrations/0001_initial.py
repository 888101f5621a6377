# Hand-written (state only): the register moved from the programme app to this one. The table
# keeps its name (Meta.db_table = "programme_recognitiondecision"), so no row moves.

import django.db.models.deletion
import recognition.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programme', '0003_unit_target_metric'),
        ('schools', '0002_school_year_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RecognitionDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=60, verbose_name='số quyết định')),
                        ('signed_on', models.DateField(verbose_name='ngày ký')),
                        ('signing_body', models.CharField(max_length=200, verbose_name='cơ quan ban hành')),
                        ('signer_title', models.CharField(blank=True, max_length=120, verbose_name='chức vụ người ký')),
                        ('signer_name', models.CharField(blank=True, max_length=120, verbose_name='người ký')),
                        ('kind', models.CharField(choices=[('accreditation', 'Công nhận đạt kiểm định chất lượng giáo dục'), ('standard_new', 'Công nhận mới đạt chuẩn quốc gia'), ('standard_renewal', 'Công nhận lại đạt chuẩn quốc gia'), ('standard_upgrade', 'Nâng mức chuẩn quốc gia (Mức độ 1 → 2)'), ('revocation', 'Thu hồi công nhận đạt chuẩn quốc gia'), ('accreditation_revocation', 'Thu hồi công nhận kiểm định chất lượng giáo dục')], max_length=32, verbose_name='loại quyết định')),
                        ('track', models.CharField(choices=[('standard', 'Chuẩn quốc gia'), ('accreditation', 'Kiểm định chất lượng')], editable=False, max_length=16)),
                        ('level', models.PositiveSmallIntegerField(blank=True, help_text='Chuẩn quốc gia: Mức độ 1 hoặc 2. Kiểm định: Cấp độ 1–4. Thu hồi: để trống.', null=True, verbose_name='mức')),
                        ('framework_code', models.CharField(blank=True, max_length=40, verbose_name='bộ tiêu chuẩn áp dụng')),
                        ('valid_until', models.DateField(blank=True, editable=False, null=True, verbose_name='hiệu lực đến')),
                        ('scan', models.FileField(blank=True, upload_to=recognition.models.scan_upload_to, verbose_name='bản quét quyết định')),
                        ('scan_name', models.CharField(blank=True, max_length=200, verbose_name='tên tệp gốc')),
                        ('scan_type', models.CharField(blank=True, max_length=40)),
                        ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm ghi')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recognitions', to='schools.school', verbose_name='trường')),
                    ],
                    options={
                        'verbose_name': 'quyết định công nhận',
                        'verbose_name_plural': 'sổ quyết định công nhận',
                        'db_table': 'programme_recognitiondecision',
                        'ordering': ['-signed_on', '-id'],
                        'indexes': [models.Index(fields=['school', 'track', 'signed_on'], name='recog_school_track_date'), models.Index(fields=['valid_until'], name='recog_valid_until'), models.Index(fields=['signed_on'], name='recog_signed_on')],
                        'constraints': [models.UniqueConstraint(fields=('school', 'number', 'signed_on'), name='recog_unique_school_number_date')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
