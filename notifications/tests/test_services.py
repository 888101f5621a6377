"""Telling people: the audience from the permission table, the preferences (immediately, daily
digest, off), the digest, and a failing mail that never blocks the action."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Role
from assessments import services as assessment_services
from assessments.models import Status
from notifications import delivery, kinds, receivers, services
from notifications.models import Delivery, MailState, Notification, NotificationPreference
from notifications.recipients import audience_of

pytestmark = pytest.mark.django_db


def _submit(principal, assessment, capture):
    with capture(execute=True):
        assessment_services.assessment_submit(user=principal, assessment=assessment)


def test_managers_are_the_officers_of_the_unit_that_manages_the_schools_kind(
    school, commune_officer, province_officer, principal, outsider
):
    # A primary school (TH) is managed by its commune (MANAGING_LEVEL_BY_KIND).
    assert audience_of(kinds.MANAGERS, school) == [commune_officer]
    assert audience_of(kinds.SCHOOL, school) == [principal]


def test_a_high_school_is_managed_by_the_province(school, commune_officer, province_officer):
    school.kind = "THPT"
    school.save()
    assert audience_of(kinds.MANAGERS, school) == [province_officer]


def test_a_submission_tells_the_managing_officer_in_the_app_and_queues_a_mail(
    assessment,
    principal,
    commune_officer,
    province_officer,
    with_mail,
    django_capture_on_commit_callbacks,
    immediate_tasks,
):
    _submit(principal, assessment, django_capture_on_commit_callbacks)
    told = Notification.objects.get()
    assert told.recipient == commune_officer and told.kind == kinds.ASSESSMENT_SUBMITTED
    assert "Huổi Luông" in told.title and "đã nộp" in told.title
    assert told.link == f"/assessments/{assessment.pk}/"
    assert told.mail_state == MailState.SENT
    (sent,) = mail.outbox
    assert sent.to == ["xa@example.org"]
    assert "đã nộp báo cáo tự đánh giá" in sent.subject
    html = sent.alternatives[0][0]
    assert "Kính gửi" in sent.body and f"/assessments/{assessment.pk}/" in html


def test_no_mail_leaves_inside_the_request_the_worker_sends_it(
    assessment, principal, with_mail, django_capture_on_commit_callbacks
):
    # The database queue: the action only enqueues; nothing is sent until a worker runs.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assessment_services.assessment_submit(user=principal, assessment=assessment)
    assert len(callbacks) >= 1 and mail.outbox == []
    assert Notification.objects.get().mail_state == MailState.PENDING


def test_a_return_tells_the_principal_with_the_reason(
    assessment,
    principal,
    commune_officer,
    with_mail,
    django_capture_on_commit_callbacks,
    immediate_tasks,
):
    _submit(principal, assessment, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.assessment_return(
            user=commune_officer, assessment=assessment, reason="Thiếu minh chứng tiêu chí 1.2"
        )
    told = Notification.objects.get(recipient=principal)
    assert told.kind == kinds.ASSESSMENT_RETURNED
    assert "Lý do: Thiếu minh chứng tiêu chí 1.2" in told.body
    assert mail.outbox[0].to == ["ht@example.org"]
    assert "Thiếu minh chứng tiêu chí 1.2" in mail.outbox[0].body


def test_an_acceptance_tells_the_principal(
    assessment, principal, commune_officer, django_capture_on_commit_callbacks
):
    _submit(principal, assessment, django_capture_on_commit_callbacks)
    assessment_services.assessment_accept(user=commune_officer, assessment=assessment)
    assert Notification.objects.filter(recipient=principal, kind=kinds.ASSESSMENT_ACCEPTED).exists()


def test_off_tells_nothing_and_digest_waits_for_the_daily_mail(
    assessment,
    principal,
    commune_officer,
    make_user,
    commune,
    with_mail,
    django_capture_on_commit_callbacks,
    immediate_tasks,
):
    second = make_user(Role.COMMUNE_OFFICER, unit=commune, username="xa_2", email="x2@example.org")
    services.preferences_save(user=commune_officer, choices={kinds.ASSESSMENT_SUBMITTED: "off"})
    services.preferences_save(user=second, choices={kinds.ASSESSMENT_SUBMITTED: "digest"})
    _submit(principal, assessment, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(recipient=commune_officer).exists()
    waiting = Notification.objects.get(recipient=second)
    assert waiting.delivery == Delivery.DIGEST and mail.outbox == []
    assert delivery.build_and_send_digest() == 1
    (digest,) = mail.outbox
    assert digest.to == ["x2@example.org"] and "Tổng hợp thông báo: 1" in digest.subject
    assert waiting.title in digest.body
    # Sent once: the next day's digest has nothing for them.
    assert delivery.build_and_send_digest() == 0


def test_the_default_is_stored_as_no_row_and_unknown_choices_are_ignored(commune_officer):
    services.preferences_save(
        user=commune_officer,
        choices={kinds.ASSESSMENT_SUBMITTED: "immediate", "nope": "off", kinds.MONTHLY_DUE: "x"},
    )
    assert not NotificationPreference.objects.exists()


def test_the_digest_gathers_a_persons_pending_notifications_into_one_mail(
    commune_officer, principal, with_mail
):
    for i in range(3):
        services.notify(
            kind=kinds.RECOGNITION_EXPIRY,
            recipients=[commune_officer, principal],
            title=f"Việc {i}",
            link="/schools/",
        )
    assert delivery.build_and_send_digest() == 2
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert all(f"Việc {i}" in bodies["xa@example.org"] for i in range(3))
    assert "http://127.0.0.1:8000/schools/" in bodies["xa@example.org"]
    assert set(Notification.objects.values_list("mail_state", flat=True)) == {MailState.SENT}


def test_a_person_without_an_address_is_told_in_the_app_only(commune_officer):
    (n,) = services.notify(kind=kinds.ASSESSMENT_SUBMITTED, recipients=[commune_officer], title="x")
    assert n.mail_state == MailState.SKIPPED


def test_a_key_is_told_once_per_person(commune_officer):
    for _ in range(2):
        services.notify(
            kind=kinds.RECOGNITION_EXPIRY, recipients=[commune_officer], title="x", key="k:1"
        )
    assert Notification.objects.count() == 1


def test_nobody_is_told_of_their_own_action(commune_officer):
    assert (
        services.notify(
            kind=kinds.ASSESSMENT_SUBMITTED,
            recipients=[commune_officer],
            title="x",
            exclude=commune_officer,
        )
        == []
    )


def test_a_failing_mail_is_retried_by_raising_and_sent_once_later(
    commune_officer, with_mail, settings
):
    (n,) = services.notify(kind=kinds.ASSESSMENT_SUBMITTED, recipients=[commune_officer], title="x")
    settings.EMAIL_BACKEND = "notifications.tests.failing_backend.Backend"
    with pytest.raises(RuntimeError):
        delivery.deliver_notifications.call([n.pk])
    n.refresh_from_db()
    assert n.mail_state == MailState.PENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver_notifications.call([n.pk]) == 1
    assert delivery.deliver_notifications.call([n.pk]) == 0  # never twice
    assert len(mail.outbox) == 1


def test_a_broken_receiver_never_blocks_the_action(
    assessment, principal, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(receivers, "notify", broken)
    _submit(principal, assessment, django_capture_on_commit_callbacks)
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


def test_subscribe_is_one_line_for_a_new_signal(school, commune_officer, principal):
    from django.dispatch import Signal

    registration_submitted = Signal()
    receivers.subscribe(registration_submitted, kinds.REGISTRATION_RECEIVED)
    registration_submitted.send(sender=None, school=school, actor=principal, link="/x/")
    told = Notification.objects.get()
    assert told.recipient == commune_officer and told.kind == kinds.REGISTRATION_RECEIVED
    assert "hồ sơ đăng ký đánh giá ngoài" in told.title


def test_subscribe_refuses_an_unknown_kind():
    from django.dispatch import Signal

    with pytest.raises(KeyError):
        receivers.subscribe(Signal(), "no_such_kind")


def test_the_province_hears_when_the_commune_has_no_officer(school, province_officer):
    assert audience_of(kinds.MANAGERS, school) == [province_officer]
