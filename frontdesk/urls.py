from django.urls import path

from appointments import urls as _booking_urls  # noqa: F401  (registers the slot converter)
from frontdesk import views, views_person, views_staff

app_name = "frontdesk"
urlpatterns = [
    path("desk/", views.desks, name="desks"),
    path("desk/<int:desk_id>/", views.console, name="console"),
    path("desk/<int:desk_id>/call-next/", views.call_next, name="call_next"),
    path("desk/<int:desk_id>/walk-in/", views.walk_in, name="walk_in"),
    path("desk/<int:desk_id>/check-in/<int:appointment_id>/", views.check_in, name="check_in"),
    path("desk/<int:desk_id>/display/renew/", views.display_renew, name="display_renew"),
    path("desk/<int:desk_id>/day/", views.day_list, name="day_list"),
    path("desk/<int:desk_id>/bookings/<int:appointment_id>/", views.booking, name="booking"),
    path(
        "desk/<int:desk_id>/bookings/<int:appointment_id>/cancel/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "desk/<int:desk_id>/bookings/<int:appointment_id>/move/<slot:start>/",
        views.booking_move,
        name="booking_move",
    ),
    path("desk/<int:desk_id>/person/", views_person.person_start, name="person_start"),
    path("desk/<int:desk_id>/person/code/", views_person.person_code, name="person_code"),
    path("desk/<int:desk_id>/person/data/", views_person.person_data, name="person_data"),
    path(
        "desk/<int:desk_id>/person/data.json",
        views_person.person_export_json,
        name="person_export",
    ),
    path("desk/<int:desk_id>/person/erase/", views_person.person_erase_view, name="person_erase"),
    path("desk/<int:desk_id>/staff/", views_staff.desk_staff, name="desk_staff"),
    path("t/<str:token>", views.position, name="position"),
    path("display/<str:token>/", views.display, name="display"),
    path("display/<str:token>/calls.json", views.display_calls, name="display_calls"),
    path(
        "desk/<int:desk_id>/tickets/<int:ticket_id>/<slug:action>/",
        views.ticket_action,
        name="ticket_action",
    ),
]
