from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("book/", views.city_list, name="cities"),
    path("book/verify/", views.verify, name="verify"),
    path("book/waitlist/verify/", views.waitlist_verify, name="waitlist_verify"),
    path("book/<slug:city_slug>/", views.service_list, name="services"),
    path("book/<slug:city_slug>/<int:offering_id>/", views.time_list, name="times"),
    path("book/<slug:city_slug>/<int:offering_id>/waitlist/", views.waitlist, name="waitlist"),
    path("book/<slug:city_slug>/<int:offering_id>/<str:start>/", views.details, name="details"),
    path("manage/", views.lookup, name="lookup"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("manage/<str:token>/move/", views.move, name="move"),
    path("manage/<str:token>/accept/", views.accept, name="accept"),
    path("manage/<str:token>/calendar.ics", views.ics, name="ics"),
]
