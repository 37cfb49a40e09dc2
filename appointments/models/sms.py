"""The SMS outbox: one row per message, written with the event that causes it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundSMS(models.Model):
    """A text to send. ``dedupe_key`` names the event, so it can never be queued twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.CharField(max_length=20)
    body = models.CharField(max_length=480)
    language = models.CharField(max_length=10)
    dedupe_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    send_after = models.DateTimeField(null=True, blank=True)
    backend = models.CharField(max_length=40, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "send_after"], name="sms_due")]
        verbose_name = _("outgoing SMS")
        verbose_name_plural = _("outgoing SMS")

    def __str__(self) -> str:
        return f"{self.dedupe_key} ({self.status})"
