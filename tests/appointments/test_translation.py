"""Editors translate service names with wagtail-localize; the flow shows the translation."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

from appointments.models import Service

pytestmark = pytest.mark.django_db


def test_a_service_translated_with_wagtail_localize_shows_in_the_booking_flow(
    client, offering, locales
):
    service = offering.service
    service.name, service.description = "Consulenza legale", "Permesso di soggiorno, ricorsi"
    service.save()
    arabic = Locale.objects.get(language_code="ar")
    source, _created = TranslationSource.get_or_create_from_instance(service)
    words = {
        "Consulenza legale": "استشارة قانونية",
        "Permesso di soggiorno, ricorsi": "الإقامة والطعون",
    }
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=arabic,
            context=segment.context,
            data=words[segment.string.data],
        )
    source.create_or_update_translation(arabic)

    translated = Service.objects.get(translation_key=service.translation_key, locale=arabic)
    assert (translated.name, translated.slug, translated.kind) == (
        "استشارة قانونية",
        service.slug,
        service.kind,
    )
    arabic_page = client.get("/ar/book/perugia/").content.decode()
    assert "استشارة قانونية" in arabic_page and "الإقامة والطعون" in arabic_page
    assert (
        "Consulenza legale" in client.get("/ti/book/perugia/").content.decode()
    )  # falls back to the source
