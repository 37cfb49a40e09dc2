"""The public Wagtail site: home, city, service and standard pages, in 16 locales.

Every locale has the whole tree: a page not translated yet is an alias of its Italian (or
English) source, kept in step by wagtail-localize's locale synchronisation, so every link
stays under the reader's language prefix (``cms.locales``; decision 0011). Pages mark the
fallback with a notice and the content's real language.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField

from appointments import selectors

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
_PHONE_SHAPE = re.compile(r"^\+?[0-9][0-9 ]{1,19}$")


def _phone_shape(value: str) -> None:
    if not _PHONE_SHAPE.match(value.strip()):
        raise ValidationError(_("Digits only, with spaces and a leading + if needed."))


class PhoneBlock(blocks.FieldBlock):
    """A phone number: copied to every translation as it is, never offered to translators
    (wagtail-localize translates only text blocks)."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = forms.CharField(
            required=required, max_length=20, validators=[_phone_shape], help_text=help_text
        )
        super().__init__(**kwargs)


class ContactBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("who"), max_length=80)
    phone = PhoneBlock(label=_("phone number"))
    note = blocks.CharBlock(
        label=_("note"), max_length=80, required=False, help_text=_('For example "24 hours".')
    )

    class Meta:
        icon = "mobile-alt"
        template = "cms/blocks/contact.html"


def contacts_field(**kwargs) -> StreamField:
    return StreamField([("contact", ContactBlock())], blank=True, **kwargs)


class SitePage(Page):
    """What every public page knows about its language: whether it is a fallback, and in
    which language its content really is."""

    class Meta:
        abstract = True

    @cached_property
    def content_source(self) -> Page:
        """The page whose content this one shows: itself, or the end of its alias chain."""
        page: Page = self
        while page.alias_of_id:
            page = Page.objects.select_related("locale").get(pk=page.alias_of_id)
        return page

    @property
    def content_language(self) -> str:
        if hasattr(self, "_content_language"):  # filled for a list by content_languages()
            return self._content_language
        return self.content_source.locale.language_code

    @property
    def is_fallback(self) -> bool:
        return bool(self.alias_of_id)

    @cached_property
    def partly_translated_from(self) -> str:
        """A translation that still has strings of its source (wagtail-localize fills the
        ones not translated yet with the source's words): the source's language, else "".
        Cached per published version of the page."""
        if self.alias_of_id or self.locale.language_code == settings.LANGUAGE_CODE:
            return ""
        key = (
            f"cms:partial:{self.pk}:{self.last_published_at and self.last_published_at.timestamp()}"
        )
        found = cache.get(key)
        if found is None:
            from wagtail_localize.models import Translation

            translation = (
                Translation.objects.filter(
                    source__object_id=self.translation_key, target_locale=self.locale_id
                )
                .select_related("source__locale")
                .first()
            )
            found = ""
            if translation is not None:
                total, done = translation.get_progress()
                if done < total:
                    found = translation.source.locale.language_code
            cache.set(key, found, 24 * 3600)
        return found

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions = list(
            Page.objects.filter(translation_key=self.translation_key)
            .live()
            .select_related("locale")
            .only("url_path", "locale__language_code", "alias_of_id", "depth", "path")
        )
        # The language switcher leads to this page in each language (core's context
        # processor reads it); hreflang lists only real translations.
        request.language_urls = {v.locale.language_code: v.get_url(request) for v in versions}
        real = [v for v in versions if not v.alias_of_id]
        context["alternates"] = [(v.locale.language_code, v.get_full_url(request)) for v in real]
        context["x_default"] = next(
            (
                v.get_full_url(request)
                for v in real
                if v.locale.language_code == settings.LANGUAGE_CODE
            ),
            "",
        )
        if self.is_fallback:
            context["canonical"] = self.content_source.get_full_url(request)
        return context


def content_languages(pages) -> None:
    """The real language of each page of a list, in a query or two (not one per alias)."""
    pending = {page.pk: page for page in pages if page.alias_of_id}
    for page in pages:
        if not page.alias_of_id:
            page._content_language = page.locale.language_code
    chain = {pk: page.alias_of_id for pk, page in pending.items()}
    while chain:
        sources = {
            p.pk: (p.alias_of_id, p.locale.language_code)
            for p in Page.objects.filter(pk__in=set(chain.values())).select_related("locale")
        }
        following = {}
        for pk, source_pk in chain.items():
            alias_of, language = sources.get(source_pk, (None, ""))
            if alias_of:
                following[pk] = alias_of
            else:
                pending[pk]._content_language = language
        chain = following


class HomePage(SitePage):
    """The site root of a locale: choose your city, emergency numbers, the language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    emergency = contacts_field(verbose_name=_("emergency numbers"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("emergency")]
    subpage_types = ["cms.CityPage", "cms.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"] = CityPage.objects.child_of(self).live().order_by("title")
        return context


class CityPage(SitePage):
    """What one city's one-stop-shop offers: its desks, urgent contacts, its services."""

    city = models.ForeignKey(
        "appointments.City",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("city"),
        null=True,
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    urgent = contacts_field(verbose_name=_("urgent contacts"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("city", permission="superuser"),  # set by city_add; editors do not move it
        FieldPanel("intro"),
        FieldPanel("urgent"),
    ]
    override_translatable_fields = [SynchronizedField("city")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServicePage"]

    class Meta:
        verbose_name = _("city page")

    def clean(self):
        super().clean()
        twin = CityPage.objects.filter(city=self.city_id, locale=self.locale_id).exclude(pk=self.pk)
        if self.city_id and twin.exists():
            raise ValidationError({"city": _("This city has its page already.")})

    def get_context(self, request, *args, **kwargs):
        from cms import selectors as site_selectors

        context = super().get_context(request, *args, **kwargs)
        services = list(
            ServicePage.objects.child_of(self).live().select_related("locale").order_by("title")
        )
        content_languages(services)
        context["services"] = services
        context["desks"] = site_selectors.city_desks(self.city) if self.city_id else []
        context["offerings"] = selectors.city_offerings(city=self.city) if self.city_id else []
        return context


@register_snippet
class ServiceCategory(TranslatableMixin, models.Model):
    """The shared list of kinds of service (legal advice, health, housing ...): kept by
    administrators, translated like pages."""

    name = models.CharField(_("name"), max_length=80)

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name


class ServicePage(SitePage):
    """One service of one city, as the Italian municipal service card ("Modello Comuni")
    lays it out, in its order; "Book" leads to the city's desks that offer it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("no longer offered")

    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    service = models.ForeignKey(
        "appointments.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bookable service"),
        help_text=_("The service people book at the desks. Empty: this service is not booked."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(
        _("why"), max_length=200, blank=True, help_text=_("When the service is not active.")
    )
    description = models.TextField(
        _("short description"), max_length=300, help_text=_("One or two plain sentences.")
    )
    audience = RichTextField(_("who it is for"), features=TEXT_FEATURES)
    how_to = RichTextField(_("how to do it"), features=TEXT_FEATURES)
    needed = RichTextField(_("what you need"), features=TEXT_FEATURES)
    achieved = RichTextField(_("what you get"), features=TEXT_FEATURES)
    times = RichTextField(_("times and deadlines"), features=TEXT_FEATURES)
    conditions = RichTextField(_("conditions"), blank=True, features=TEXT_FEATURES)
    urgent_phone = models.CharField(
        _("call now"),
        max_length=20,
        blank=True,
        validators=[_phone_shape],
        help_text=_("For an urgent service (emergency shelter): shown before booking."),
    )
    contacts = contacts_field(verbose_name=_("other contacts"))
    topics = ParentalManyToManyField(
        ServiceCategory, blank=True, related_name="+", verbose_name=_("topics")
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("category"), FieldPanel("service")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("status_reason")]),
        FieldPanel("description"),
        FieldPanel("audience"),
        FieldPanel("how_to"),
        FieldPanel("needed"),
        FieldPanel("achieved"),
        FieldPanel("times"),
        MultiFieldPanel(
            [FieldPanel("urgent_phone"), FieldPanel("contacts")], heading=_("Access and contacts")
        ),
        FieldPanel("conditions"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    parent_page_types = ["cms.CityPage"]
    subpage_types: list[str] = []
    # The shared lists (categories, bookable services) and the phone number are the same in
    # every language: copied to translations, never offered to translators (a translation
    # would otherwise make copies of administrators' lists).
    override_translatable_fields = [
        SynchronizedField("category"),
        SynchronizedField("service"),
        SynchronizedField("urgent_phone"),
        SynchronizedField("topics"),
    ]

    class Meta:
        verbose_name = _("service page")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors as site_selectors

        context = super().get_context(request, *args, **kwargs)
        city_page = self.get_parent().specific
        context["city_page"] = city_page
        context["booking"] = site_selectors.service_booking(
            service=self.service, city=city_page.city
        )
        context["desks"] = site_selectors.city_desks(city_page.city) if city_page.city else []
        return context


class StandardPage(SitePage):
    """The accessibility statement, the privacy notice, help, FAQ: written by editors."""

    class Role(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("accessibility statement")
        PRIVACY = "privacy", _("privacy notice")
        HELP = "help", _("help")
        FAQ = "faq", _("frequent questions")
        OTHER = "other", _("other")

    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.OTHER,
        help_text=_("Footer pages are found by their role, in every language."),
    )
    body = RichTextField(_("text"), features=TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("role")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("standard page")


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
