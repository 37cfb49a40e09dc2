"""Short links in text messages (outside the language prefixes)."""

from django.urls import path

from appointments.views import short

urlpatterns = [
    path("m/<str:token>", short.manage, name="short-manage"),
    path("b/<int:offering_id>/<str:language>", short.rebook, name="short-rebook"),
]
