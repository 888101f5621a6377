"""What happens to a self-assessment, told to whoever listens (the notifications app, above
every domain, subscribes; this app imports no listener). Sent inside the service's transaction:
a receiver's writes commit or roll back with the action.

Every signal is sent with sender=Assessment and the words: assessment, school, actor (the user
who acted), link (the assessment's page); `assessment_returned` adds reason."""

from django.dispatch import Signal

assessment_submitted = Signal()
assessment_returned = Signal()
assessment_accepted = Signal()
