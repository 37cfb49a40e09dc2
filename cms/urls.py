from django.urls import path

from cms.views import FooterPageView, report_problem

app_name = "cms"

urlpatterns = [
    path(
        "accessibility/",
        FooterPageView.as_view(template_name="cms/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", FooterPageView.as_view(template_name="cms/privacy.html"), name="privacy"),
    path("help/", FooterPageView.as_view(template_name="cms/help.html"), name="help"),
    path("report-a-problem/", report_problem, name="report_problem"),
]
