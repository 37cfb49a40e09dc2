"""Demo data of the booking domain: the 16 LGNet2 partner cities, their desks and offer."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from appointments import selectors
from appointments.demo_data import DESK_TEXTS, PATRON_DAYS
from appointments.models import (
    Appointment,
    City,
    Desk,
    DeskStop,
    DeskText,
    Offering,
    PatronDay,
    ScheduleRule,
    Service,
    WalkInHours,
)
from appointments.services.booking import Person, appointment_book_on_behalf
from appointments.services.errors import BookingError

# (name, slug, region)
PARTNER_CITIES: list[tuple[str, str, str]] = [
    ("Palermo", "palermo", "Sicilia"),
    ("Perugia", "perugia", "Umbria"),
    ("Roma", "roma", "Lazio"),
    ("Bolzano", "bolzano", "Trentino-Alto Adige"),
    ("Milano", "milano", "Lombardia"),
    ("Firenze", "firenze", "Toscana"),
    ("Torino", "torino", "Piemonte"),
    ("Taranto", "taranto", "Puglia"),
    ("Genova", "genova", "Liguria"),
    ("Potenza", "potenza", "Basilicata"),
    ("Sassari", "sassari", "Sardegna"),
    ("Caserta", "caserta", "Campania"),
    ("Trieste", "trieste", "Friuli-Venezia Giulia"),
    ("Bologna", "bologna", "Emilia-Romagna"),
    ("Latina", "latina", "Lazio"),
    ("Napoli", "napoli", "Campania"),
]


# slug -> kind, then the name in each interface language.
SERVICES: dict[str, tuple[str, dict[str, str]]] = {
    "legal": (
        "legal",
        {
            "it": "Consulenza legale",
            "en": "Legal advice",
            "fr": "Conseil juridique",
            "es": "Asesoría legal",
            "ar": "استشارة قانونية",
            "uk": "Юридична консультація",
            "sq": "Këshillim ligjor",
            "ro": "Consiliere juridică",
            "zh-hans": "法律咨询",
            "bn": "আইনি পরামর্শ",
            "ur": "قانونی مشورہ",
            "pa": "ਕਾਨੂੰਨੀ ਸਲਾਹ",
            "ps": "حقوقي مشوره",
            "fa-af": "مشوره حقوقی",
            "ti": "ሕጋዊ ምኽሪ",
            "so": "La-talin sharci",
        },
    ),
    "health": (
        "health",
        {
            "it": "Accoglienza socio-sanitaria",
            "en": "Health and social care",
            "fr": "Santé et social",
            "es": "Salud y atención social",
            "ar": "الصحة والرعاية الاجتماعية",
            "uk": "Здоров'я та соціальна допомога",
            "sq": "Shëndet dhe kujdes social",
            "ro": "Sănătate și asistență socială",
            "zh-hans": "健康与社会照护",
            "bn": "স্বাস্থ্য ও সামাজিক সেবা",
            "ur": "صحت اور سماجی دیکھ بھال",
            "pa": "ਸਿਹਤ ਅਤੇ ਸਮਾਜਿਕ ਸੇਵਾ",
            "ps": "روغتیا او ټولنیزه پاملرنه",
            "fa-af": "صحت و مراقبت اجتماعی",
            "ti": "ጥዕና ማሕበራዊ ክንክን",
            "so": "Caafimaad iyo daryeel bulsho",
        },
    ),
    "housing": (
        "housing",
        {
            "it": "Orientamento abitativo",
            "en": "Housing advice",
            "fr": "Conseil logement",
            "es": "Orientación sobre vivienda",
            "ar": "استشارة السكن",
            "uk": "Консультація щодо житла",
            "sq": "Këshillim për strehimin",
            "ro": "Consiliere pentru locuință",
            "zh-hans": "住房咨询",
            "bn": "বাসস্থান পরামর্শ",
            "ur": "رہائش کے بارے میں مشورہ",
            "pa": "ਰਿਹਾਇਸ਼ ਸਲਾਹ",
            "ps": "د استوګنې مشوره",
            "fa-af": "مشوره مسکن",
            "ti": "ምኽሪ መንበሪ ገዛ",
            "so": "La-talin guri",
        },
    ),
}

WEEKDAY_MORNINGS = [(day, time(9), time(13)) for day in range(5)]
AFTERNOONS = [(1, time(14), time(17)), (3, time(14), time(17))]


def _locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
    }


def _services(locales: dict[str, Locale]) -> dict[str, Service]:
    sources = {}
    for slug, (kind, names) in SERVICES.items():
        source, _ = Service.objects.get_or_create(
            slug=slug, locale=locales["it"], defaults={"kind": kind, "name": names["it"]}
        )
        sources[slug] = source
        for code, name in names.items():
            if code == "it" or source.has_translation(locales[code]):
                continue
            copy = source.copy_for_translation(locales[code])
            copy.name = name
            copy.save()
    return sources


def _offering(desk: Desk, service: Service, hours, **extra) -> Offering:
    offering, created = Offering.objects.get_or_create(desk=desk, service=service, defaults=extra)
    if created:
        for weekday, start, end in hours:
            ScheduleRule.objects.create(offering=offering, weekday=weekday, start=start, end=end)
    return offering


def _desks(city: City, services: dict[str, Service]) -> None:
    desk, _ = Desk.objects.get_or_create(
        city=city,
        name=f"Sportello Unico {city.name}",
        defaults={
            "address": f"Via del Municipio 1, {city.name}",
            "phone": "+39 06 0000 0000",
            "short_name": "Via del Municipio 1",
            "staff_languages": ["it", "en", "fr", "ar"],
        },
    )
    _desk_texts(desk)
    if not desk.walk_in_hours.exists():  # walk in without booking: weekday mornings
        for weekday in range(5):
            WalkInHours.objects.create(desk=desk, weekday=weekday, start=time(9), end=time(12))
    _offering(
        desk,
        services["legal"],
        WEEKDAY_MORNINGS,
        duration_minutes=30,
        interpreter_languages=["ar", "ti", "ps", "fa-af", "bn", "ur"],
    )
    _offering(desk, services["health"], WEEKDAY_MORNINGS, duration_minutes=20, capacity=2)
    _offering(desk, services["housing"], AFTERNOONS, duration_minutes=45)


def _desk_texts(desk: Desk) -> None:
    if desk.texts.exists():
        return
    source = DeskText.objects.create(
        desk=desk, locale=Locale.objects.get(language_code="it"), **DESK_TEXTS["it"]
    )
    for code in ("en", "ar"):
        copy = source.copy_for_translation(Locale.objects.get(language_code=code))
        for field, value in DESK_TEXTS[code].items():
            setattr(copy, field, value)
        copy.save()


def _perugia_extras(services: dict[str, Service]) -> None:
    perugia = City.objects.get(slug="perugia")
    shelter, _ = Desk.objects.get_or_create(
        city=perugia,
        name="Emergenza abitativa Perugia",
        defaults={
            "address": "Via Settevalli 11, Perugia",
            "short_name": "Via Settevalli 11",
            "phone": "+39 075 000 0000",
            "staff_languages": ["it", "en"],
        },
    )
    if not shelter.walk_in_hours.exists():
        for weekday in range(6):
            WalkInHours.objects.create(
                desk=shelter, weekday=weekday, start=time(8, 30), end=time(12, 30)
            )
    _offering(
        shelter,
        services["housing"],
        [(d, time(8, 30), time(12, 30)) for d in range(6)],
        duration_minutes=30,
        min_notice_minutes=30,
        horizon_days=14,
    )
    outreach, created = Desk.objects.get_or_create(
        city=perugia,
        name="Unità di strada Perugia",
        defaults={"is_mobile": True, "short_name": "Unità mobile"},
    )
    _offering(
        outreach,
        services["health"],
        [(d, time(15), time(18)) for d in range(5)],
        duration_minutes=20,
        capacity=2,
    )
    today = timezone.localdate()
    places = ["Piazza del Bacio", "Fontivegge, stazione", "Ponte San Giovanni"]
    for offset in range(0, 21):
        day = today + timezone.timedelta(days=offset)
        if day.weekday() < 5:
            DeskStop.objects.get_or_create(
                desk=outreach, date=day, defaults={"address": f"{places[offset % 3]}, Perugia"}
            )


def _bookings() -> int:
    if Appointment.objects.exists():
        return 0
    made = 0
    for n, offering in enumerate(Offering.objects.select_related("desk", "service")[:12]):
        for slot in selectors.offering_slots(offering=offering)[::5][:3]:
            person = Person(phone="", language="it", name=f"Demo {n}")
            try:
                with transaction.atomic():
                    appointment_book_on_behalf(
                        offering=offering, start=slot.start, person=person, booked_by=None
                    )
                made += 1
            except BookingError:
                continue
    return made


def load(*, log) -> None:
    locales = _locales()
    services = _services(locales)
    for name, slug, region in PARTNER_CITIES:
        city, _ = City.objects.update_or_create(
            slug=slug, defaults={"name": name, "region": region}
        )
        _desks(city, services)
        if slug in PATRON_DAYS:
            day, month, saint = PATRON_DAYS[slug]
            PatronDay.objects.get_or_create(
                city=city,
                defaults={
                    "day": day,
                    "month": month,
                    "saint": saint,
                    "source": "Demo data, as commonly reported: check with the city.",
                },
            )
    _perugia_extras(services)
    log(
        f"{len(PARTNER_CITIES)} partner cities, {Desk.objects.count()} desks, "
        f"{Offering.objects.count()} offerings, {_bookings()} new demo bookings"
    )
