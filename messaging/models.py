"""The outbox, phone challenges and the list of numbers that must get nothing more.

A message row keeps its kind and parameters, never a rendered text: the text is made when
it is sent. Parameters that are secrets (an SMS code, a manage link's token) are kept
encrypted with a key from the environment and blanked once the message is final.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    """GOV.UK Notify's lifecycle, plus ``cancelled`` for a message that was never sent
    because it no longer made sense (the booking moved, the number opted out)."""

    CREATED = "created", _("created")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("not delivered (phone off or unreachable)")
    PERMANENT_FAILURE = "permanent_failure", _("not delivered (number not valid)")
    TECHNICAL_FAILURE = "technical_failure", _("not sent (technical problem)")
    CANCELLED = "cancelled", _("not sent (no longer needed)")


# A status only moves to a higher rank; the final ones (rank 3) never change.
STATUS_RANK = {
    MessageStatus.CREATED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.TEMPORARY_FAILURE: 3,
    MessageStatus.PERMANENT_FAILURE: 3,
    MessageStatus.TECHNICAL_FAILURE: 3,
    MessageStatus.CANCELLED: 3,
}
FINAL_STATUSES = frozenset(s for s, rank in STATUS_RANK.items() if rank == 3)
FAILED_STATUSES = frozenset(
    {
        MessageStatus.TEMPORARY_FAILURE,
        MessageStatus.PERMANENT_FAILURE,
        MessageStatus.TECHNICAL_FAILURE,
    }
)


def statuses_below(status: str) -> list[str]:
    rank = STATUS_RANK[MessageStatus(status)]
    return [s.value for s, r in STATUS_RANK.items() if r < rank]


class Message(models.Model):
    """One text to one number, for one event (``dedupe_key``), sent at most once.

    ``reference`` and ``scope`` are the domain's labels ("appointment:42", "desk:3"): they
    let a desk list its messages without messaging knowing what a desk is.
    """

    # Not a thing pages link to: no reference-index rows per text (3 statements each).
    wagtail_reference_index_ignore = True

    kind = models.CharField(_("kind"), max_length=40)
    to = models.CharField(_("to"), max_length=20)
    language = models.CharField(max_length=10)
    time_zone = models.CharField(max_length=50, default="Europe/Rome")
    params = models.JSONField(default=dict, blank=True)
    secrets = models.TextField(blank=True)  # Fernet token of a JSON object; blank when final
    dedupe_key = models.CharField(max_length=150, unique=True)
    reference = models.CharField(max_length=60, blank=True, db_index=True)
    scope = models.CharField(max_length=60, blank=True)
    quiet_hours = models.BooleanField(default=True)  # False only for phone codes
    retry_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    # When it may next be tried (quiet hours, back-off), and when trying stops.
    due_at = models.DateTimeField(_("due"))
    give_up_at = models.DateTimeField()
    # A worker holds the row until ``lease_until``; a dead worker's lease runs out.
    lease_owner = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # The last try may have reached the provider: look there before sending again.
    uncertain = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    backend = models.CharField(max_length=20, blank=True)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    segments = models.PositiveSmallIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="message_due"),
            models.Index(fields=["scope", "created_at"], name="message_scope"),
        ]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class PhoneChallenge(models.Model):
    """One code sent (and perhaps sent again) to one number; only its hash is kept.

    Whatever asks for proof (a hold, a place on the waiting list) points here. The record
    names no booking, so messaging owns it without knowing the domain.
    """

    phone = models.CharField(_("phone number"), max_length=20)
    code_hash = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    sends = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phone check")
        verbose_name_plural = _("phone checks")

    def __str__(self) -> str:
        return f"challenge {self.pk}"


class Suppression(models.Model):
    """A number that must get nothing more, kept as a keyed hash (never the number).

    Opted out (STOP) until the person sends START. A number the provider refused for good
    (not valid, a landline, unreachable) gets nothing but phone codes, which a person asks
    for themselves: a delivered code lifts the mark.
    """

    class Reason(models.TextChoices):
        OPTED_OUT = "opted_out", _("asked for no more texts (STOP)")
        INVALID = "invalid", _("not a valid number")
        NOT_MOBILE = "not_mobile", _("not a mobile number")
        UNREACHABLE = "unreachable", _("unreachable")

    phone_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    error_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("number that gets no texts")
        verbose_name_plural = _("numbers that get no texts")

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]}… ({self.reason})"
