"""Sample service cards of the demo, in Italian, English and Arabic (the other languages show
the fallback notice). Plain, general public information, marked as sample content: no
invented legal advice, nothing a real desk has promised."""

from __future__ import annotations

SAMPLE = {
    "it": "Scheda di esempio della demo: testo generale, non un consiglio sul tuo caso.",
    "en": "Sample card of the demo: general text, not advice about your case.",
    "ar": "بطاقة نموذجية للعرض التجريبي: نص عام، وليست نصيحة بشأن حالتك.",
}

CATEGORIES = {
    "legal": {"it": "Consulenza legale", "en": "Legal advice", "ar": "استشارة قانونية"},
    "health": {"it": "Salute", "en": "Health", "ar": "الصحة"},
    "housing": {"it": "Casa", "en": "Housing", "ar": "السكن"},
    "shelter": {"it": "Accoglienza in emergenza", "en": "Emergency shelter", "ar": "إيواء طارئ"},
}

# slug -> bookable service slug (appointments demo) or None, then the card in each language.
CARDS: dict[str, tuple[str | None, dict[str, dict[str, str]]]] = {
    "legal": (
        "legal",
        {
            "it": {
                "title": "Consulenza legale",
                "description": "Orientamento gratuito su permesso di soggiorno, protezione "
                "internazionale e ricongiungimento familiare.",
                "audience": "<p>Persone straniere che vivono in città, con o senza permesso "
                "di soggiorno.</p>",
                "how_to": "<p>Prenota una visita qui sotto, oppure vieni allo sportello negli "
                "orari di accesso libero.</p>",
                "needed": "<p>Un documento, se lo hai, e le lettere che hai ricevuto sulla tua "
                "pratica.</p>",
                "achieved": "<p>Un colloquio con un operatore legale, che ti spiega le "
                "possibilità e a quali uffici rivolgerti.</p>",
                "times": "<p>Il colloquio dura circa 30 minuti. Se hai una scadenza, dillo "
                "subito all'operatore.</p>",
            },
            "en": {
                "title": "Legal advice",
                "description": "Free guidance on residence permits, international protection "
                "and family reunification.",
                "audience": "<p>Foreign nationals living in the city, with or without a "
                "residence permit.</p>",
                "how_to": "<p>Book a visit below, or come to the desk during the walk-in "
                "hours.</p>",
                "needed": "<p>An identity document, if you have one, and the letters you have "
                "received about your case.</p>",
                "achieved": "<p>A talk with a legal adviser, who explains your options and "
                "which offices to contact.</p>",
                "times": "<p>The talk takes about 30 minutes. If you have a deadline, tell the "
                "adviser straight away.</p>",
            },
            "ar": {
                "title": "استشارة قانونية",
                "description": "إرشاد مجاني حول تصريح الإقامة والحماية الدولية ولمّ شمل الأسرة.",
                "audience": "<p>الأشخاص الأجانب الذين يعيشون في المدينة، مع تصريح إقامة أو "
                "بدونه.</p>",
                "how_to": "<p>احجز موعدًا في الأسفل، أو تعال إلى المكتب في أوقات الدخول بدون "
                "حجز.</p>",
                "needed": "<p>وثيقة هوية إن كانت لديك، والرسائل التي وصلتك بخصوص ملفك.</p>",
                "achieved": "<p>لقاء مع مستشار قانوني يشرح لك الخيارات المتاحة والمكاتب التي "
                "يمكنك التوجه إليها.</p>",
                "times": "<p>يستغرق اللقاء نحو 30 دقيقة. إذا كان لديك موعد نهائي، أخبر "
                "المستشار فورًا.</p>",
            },
        },
    ),
    "health": (
        "health",
        {
            "it": {
                "title": "Orientamento sanitario",
                "description": "Aiuto per iscriversi al Servizio sanitario nazionale, avere "
                "il codice STP e trovare i servizi di cura.",
                "audience": "<p>Chi vive in città e non sa come accedere alle cure, anche "
                "senza documenti.</p>",
                "how_to": "<p>Prenota una visita qui sotto, oppure vieni allo sportello negli "
                "orari di accesso libero.</p>",
                "needed": "<p>Un documento, se lo hai, e la tessera sanitaria, se ce l'hai "
                "già.</p>",
                "achieved": "<p>Indicazioni chiare su dove andare e quali documenti chiedere; "
                "se serve, un accompagnamento.</p>",
                "times": "<p>Il colloquio dura circa 20 minuti. Per un'urgenza medica chiama "
                "il 112.</p>",
            },
            "en": {
                "title": "Health guidance",
                "description": "Help to register with the national health service, get an "
                "STP code and find care services.",
                "audience": "<p>People living in the city who do not know how to get care, "
                "also without documents.</p>",
                "how_to": "<p>Book a visit below, or come to the desk during the walk-in "
                "hours.</p>",
                "needed": "<p>An identity document, if you have one, and your health card, if "
                "you already have it.</p>",
                "achieved": "<p>Clear directions on where to go and which papers to ask for; "
                "someone to go with you, if needed.</p>",
                "times": "<p>The talk takes about 20 minutes. For a medical emergency call "
                "112.</p>",
            },
            "ar": {
                "title": "الإرشاد الصحي",
                "description": "مساعدة في التسجيل في الخدمة الصحية الوطنية والحصول على رمز STP "
                "والعثور على خدمات العلاج.",
                "audience": "<p>من يعيش في المدينة ولا يعرف كيف يحصل على العلاج، حتى بدون "
                "وثائق.</p>",
                "how_to": "<p>احجز موعدًا في الأسفل، أو تعال إلى المكتب في أوقات الدخول بدون "
                "حجز.</p>",
                "needed": "<p>وثيقة هوية إن كانت لديك، والبطاقة الصحية إن كانت لديك بالفعل.</p>",
                "achieved": "<p>إرشادات واضحة حول المكان الذي تذهب إليه والأوراق التي تطلبها، "
                "ومرافقة عند الحاجة.</p>",
                "times": "<p>يستغرق اللقاء نحو 20 دقيقة. في حالة طارئة طبية اتصل بالرقم 112.</p>",
            },
        },
    ),
    "housing": (
        "housing",
        {
            "it": {
                "title": "Orientamento alla casa",
                "description": "Informazioni su affitto, contratti, case popolari e percorsi "
                "di accompagnamento all'abitare.",
                "audience": "<p>Chi cerca casa, ha problemi con l'affitto o rischia di perdere "
                "l'alloggio.</p>",
                "how_to": "<p>Prenota una visita qui sotto. Se stasera non hai dove dormire, "
                "chiama il numero per l'emergenza abitativa.</p>",
                "needed": "<p>Un documento, se lo hai, e il contratto d'affitto o le lettere "
                "del proprietario, se ci sono.</p>",
                "achieved": "<p>Un piano con i passi da fare, i bandi aperti e gli sportelli "
                "a cui rivolgerti.</p>",
                "times": "<p>Il colloquio dura circa 45 minuti. I bandi per le case popolari "
                "hanno scadenze: chiedile allo sportello.</p>",
            },
            "en": {
                "title": "Housing guidance",
                "description": "Information on renting, contracts, social housing and "
                "housing support pathways.",
                "audience": "<p>Anyone looking for a home, having trouble with the rent or at "
                "risk of losing their home.</p>",
                "how_to": "<p>Book a visit below. If you have nowhere to sleep tonight, call "
                "the emergency housing number.</p>",
                "needed": "<p>An identity document, if you have one, and your rental contract "
                "or the landlord's letters, if any.</p>",
                "achieved": "<p>A plan with the steps to take, the open calls and the desks to "
                "contact.</p>",
                "times": "<p>The talk takes about 45 minutes. Calls for social housing have "
                "deadlines: ask the desk about them.</p>",
            },
            "ar": {
                "title": "الإرشاد في السكن",
                "description": "معلومات عن الإيجار والعقود والسكن الاجتماعي ومسارات المرافقة "
                "في السكن.",
                "audience": "<p>من يبحث عن سكن، أو لديه مشكلة في الإيجار، أو مهدد بفقدان "
                "مسكنه.</p>",
                "how_to": "<p>احجز موعدًا في الأسفل. إذا لم يكن لديك مكان تنام فيه الليلة، "
                "اتصل برقم الطوارئ السكنية.</p>",
                "needed": "<p>وثيقة هوية إن كانت لديك، وعقد الإيجار أو رسائل المالك إن وُجدت.</p>",
                "achieved": "<p>خطة بالخطوات اللازمة والإعلانات المفتوحة والمكاتب التي يمكنك "
                "التوجه إليها.</p>",
                "times": "<p>يستغرق اللقاء نحو 45 دقيقة. لإعلانات السكن الاجتماعي مواعيد "
                "نهائية: اسأل عنها في المكتب.</p>",
            },
        },
    ),
    "shelter": (
        None,
        {
            "it": {
                "title": "Accoglienza notturna in emergenza",
                "description": "Un posto per dormire stanotte per chi è in strada, e "
                "l'indirizzo dove andare.",
                "audience": "<p>Chi non ha dove dormire stanotte, da solo o con la famiglia.</p>",
                "how_to": "<p>Chiama subito il numero qui sopra: ti dicono dove c'è posto e "
                "come arrivarci.</p>",
                "needed": "<p>Niente: anche senza documenti puoi chiamare.</p>",
                "achieved": "<p>Un letto per la notte e, il giorno dopo, un colloquio per "
                "cercare una soluzione.</p>",
                "times": "<p>Il numero risponde tutti i giorni, anche di notte.</p>",
            },
            "en": {
                "title": "Emergency night shelter",
                "description": "A place to sleep tonight for people on the street, and where "
                "to go.",
                "audience": "<p>Anyone with nowhere to sleep tonight, alone or with their "
                "family.</p>",
                "how_to": "<p>Call the number above now: they tell you where there is a bed "
                "and how to get there.</p>",
                "needed": "<p>Nothing: you can call without documents.</p>",
                "achieved": "<p>A bed for the night and, the next day, a talk to look for a "
                "way forward.</p>",
                "times": "<p>The number answers every day, also at night.</p>",
            },
            "ar": {
                "title": "إيواء ليلي طارئ",
                "description": "مكان للنوم الليلة لمن هم في الشارع، والعنوان الذي يذهبون إليه.",
                "audience": "<p>من ليس لديه مكان ينام فيه الليلة، وحده أو مع عائلته.</p>",
                "how_to": "<p>اتصل الآن بالرقم في الأعلى: سيخبرونك أين يوجد مكان وكيف تصل "
                "إليه.</p>",
                "needed": "<p>لا شيء: يمكنك الاتصال حتى بدون وثائق.</p>",
                "achieved": "<p>سرير لليلة، وفي اليوم التالي لقاء للبحث عن حل.</p>",
                "times": "<p>يرد الرقم كل يوم، وفي الليل أيضًا.</p>",
            },
        },
    ),
}

SHELTER_PHONE = "+39 075 000 0001"
EMERGENCY = [  # label (it, en, ar), number
    ({"it": "Emergenze", "en": "Emergencies", "ar": "الطوارئ"}, "112"),
    (
        {"it": "Antiviolenza e stalking", "en": "Violence and stalking", "ar": "ضد العنف"},
        "1522",
    ),
    ({"it": "Antitratta", "en": "Anti-trafficking", "ar": "مكافحة الاتجار بالبشر"}, "800 290 290"),
]
