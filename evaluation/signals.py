"""What happens in an external evaluation, for whoever listens (notifications subscribe later).
Every signal is sent by evaluation.services after the transaction commits, with `sender` the
model class and the object(s) as keyword arguments."""

from __future__ import annotations

from django.dispatch import Signal

# registration=Registration, user=the principal
registration_submitted = Signal()
# registration=Registration, user=the officer, reason=str
registration_returned = Signal()
# registration=Registration, evaluation=Evaluation, user=the officer
registration_accepted = Signal()
# evaluation=Evaluation, member=TeamMember, user=who added them
team_member_added = Signal()
# evaluation=Evaluation, user=the leader, deadline=date | None
report_sent_for_feedback = Signal()
# evaluation=Evaluation, decision=RecognitionDecision | None (a refusal), user=the recorder
decision_recorded = Signal()
