from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("hooks/twilio/inbound/", views.inbound, name="twilio-inbound"),
    path("hooks/twilio/status/", views.status_callback, name="twilio-status"),
]
