"""The public Wagtail site: a home page and one page per city."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from appointments import selectors


class HomePage(Page):
    """The site root: a welcome and the list of cities."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.CityPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"] = CityPage.objects.child_of(self).live().order_by("title")
        return context


class CityPage(Page):
    """What one city's one-stop-shop offers."""

    city = models.OneToOneField(
        "appointments.City",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("city"),
        null=True,
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("city"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("city page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["offerings"] = selectors.city_offerings(city=self.city) if self.city_id else []
        return context


class ProblemReport(models.Model):
    """A problem somebody met on the site, reported without needing an account or e-mail."""

    page = models.CharField(_("page"), max_length=300, blank=True)
    message = models.TextField(_("what went wrong"), max_length=2000)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.page}"
