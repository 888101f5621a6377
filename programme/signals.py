"""What happens in the programme, told to whoever listens (the notifications app subscribes;
this app imports no listener). Sent inside the service's transaction.

`reminder_sent` (sender=Reminder): reminder, plan, school, month, actor, link — a unit reminded
a school of a monthly report."""

from django.dispatch import Signal

reminder_sent = Signal()
