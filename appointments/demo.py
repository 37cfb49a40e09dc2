"""Demo data of the booking domain: the 16 LGNet2 partner cities."""

from __future__ import annotations

from appointments.models import City

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


def load(*, log) -> None:
    for name, slug, region in PARTNER_CITIES:
        City.objects.update_or_create(slug=slug, defaults={"name": name, "region": region})
    log(f"{len(PARTNER_CITIES)} partner cities")
