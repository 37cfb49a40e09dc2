"""Phone challenges: a 6-digit SMS code that proves a person holds a number."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneChallenge(models.Model):
    """One code sent (and perhaps sent again) to one number; only its hash is kept.

    Whatever asks for proof (a hold, a place on the waiting list) points here. The record
    names no booking, so the messaging app can own it without knowing the domain.
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
