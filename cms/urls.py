from django.urls import path

from cms.views import report_problem

app_name = "cms"

# Help, FAQ, accessibility and privacy are Wagtail pages now (cms.models.StandardPage).
urlpatterns = [
    path("report-a-problem/", report_problem, name="report_problem"),
]
