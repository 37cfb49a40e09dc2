"""Data of the demo: the cities' patron days and what people read about the desks."""

from __future__ import annotations

# Patron-saint days of the demo cities (day, month, saint). As commonly reported; a real
# deployment checks each with its city (the source field says so).
PATRON_DAYS = {
    "palermo": (15, 7, "Santa Rosalia"),
    "perugia": (29, 1, "San Costanzo"),
    "roma": (29, 6, "Santi Pietro e Paolo"),
    "milano": (7, 12, "Sant'Ambrogio"),
    "firenze": (24, 6, "San Giovanni Battista"),
    "torino": (24, 6, "San Giovanni Battista"),
    "taranto": (10, 5, "San Cataldo"),
    "genova": (24, 6, "San Giovanni Battista"),
    "potenza": (30, 5, "San Gerardo"),
    "sassari": (6, 12, "San Nicola"),
    "caserta": (20, 1, "San Sebastiano"),
    "trieste": (3, 11, "San Giusto"),
    "bologna": (4, 10, "San Petronio"),
    "latina": (25, 4, "San Marco"),
    "napoli": (19, 9, "San Gennaro"),
}

# What people read about the demo desks, in Italian (the source), English and Arabic.
DESK_TEXTS = {
    "it": {
        "directions": "Fermata dell'autobus \u201cMunicipio\u201d, a 2 minuti a piedi.",
        "accessibility": "Ingresso senza gradini, ascensore per il primo piano.",
        "what_to_bring": "Un documento, se lo hai, e i fogli che riguardano la tua pratica.",
    },
    "en": {
        "directions": "Bus stop \u201cMunicipio\u201d, 2 minutes on foot.",
        "accessibility": "Step-free entrance, lift to the first floor.",
        "what_to_bring": "Any identity document you have, and papers about your case.",
    },
    "ar": {
        "directions": "محطة الحافلات «Municipio»، على بعد دقيقتين سيرًا على الأقدام.",
        "accessibility": "مدخل بدون درجات، ومصعد إلى الطابق الأول.",
        "what_to_bring": "أي وثيقة هوية لديك، والأوراق المتعلقة بملفك.",
    },
}
