from django.urls import path, register_converter

from appointments.converters import SlotStartConverter
from appointments.views import booking, manage, waitlist

register_converter(SlotStartConverter, "slot")

app_name = "appointments"

urlpatterns = [
    path("book/", booking.city_list, name="cities"),
    path("book/verify/", booking.verify, name="verify"),
    path("book/waitlist/verify/", waitlist.verify, name="waitlist_verify"),
    path("book/waitlist/leave/", waitlist.leave, name="waitlist_leave"),
    path("book/<slug:city_slug>/", booking.service_list, name="services"),
    path("book/<slug:city_slug>/<int:offering_id>/", booking.time_list, name="times"),
    path("book/<slug:city_slug>/<int:offering_id>/waitlist/", waitlist.join, name="waitlist"),
    path("book/<slug:city_slug>/<int:offering_id>/<slot:start>/", booking.details, name="details"),
    path("manage/", manage.lookup, name="lookup"),
    path("manage/<str:token>/", manage.show, name="manage"),
    path("manage/<str:token>/cancel/", manage.cancel, name="cancel"),
    path("manage/<str:token>/move/", manage.move_times, name="move"),
    path("manage/<str:token>/move/<slot:start>/", manage.move, name="move_to"),
    path("manage/<str:token>/accept/", manage.accept, name="accept"),
    path("manage/<str:token>/decline/", manage.decline, name="decline"),
    path("manage/<str:token>/calendar.ics", manage.ics, name="ics"),
]
