"""Partner organisations: they accompany people who have no phone and book for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appointments.models.places import Desk


class PartnerOrganisation(models.Model):
    """An NGO or service that books on people's behalf, only at the desks it is linked to.

    Its members see the bookings the organisation made, nothing else.
    """

    name = models.CharField(_("name"), max_length=150)
    desks = models.ManyToManyField(
        Desk, related_name="partners", verbose_name=_("desks it books at")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("members"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name
