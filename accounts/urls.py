from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("staff/2fa/", views.verify, name="verify"),
    path("staff/2fa/setup/", views.setup, name="setup"),
    path("staff/backup-codes/", views.backup_codes, name="backup_codes"),
    path("staff/second-factor/<int:user_id>/reset/", views.reset, name="reset"),
]
