"""The public booking flow, one module per process: ``booking`` (city to confirmation),
``manage`` (a booking's own page: see, move, cancel, take an offer), ``waitlist``.

Every step is a plain page with links and forms: it works without JavaScript.
"""
