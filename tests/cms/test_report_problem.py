import pytest
from django.utils import translation

from cms.models import ProblemReport

pytestmark = pytest.mark.django_db


def test_a_problem_report_is_stored_with_its_language(client, home_page):
    response = client.post(
        "/ar/report-a-problem/", {"message": "The map does not open", "page": "/ar/"}
    )
    assert response.status_code == 200
    report = ProblemReport.objects.get()
    assert (report.message, report.page, report.language) == ("The map does not open", "/ar/", "ar")


def test_an_empty_report_is_refused_with_a_message_in_the_language(client, home_page):
    response = client.post("/it/report-a-problem/", {"message": ""})
    assert response.status_code == 200
    assert ProblemReport.objects.count() == 0
    with translation.override("ti"):
        expected = translation.gettext("Please fill in this field.")
    response = client.post("/ti/report-a-problem/", {"message": ""})
    assert expected in response.content.decode()


def test_problem_reports_are_rate_limited_per_address(client, home_page):
    for _ in range(10):
        client.post("/it/report-a-problem/", {"message": "spam"})
    response = client.post("/it/report-a-problem/", {"message": "spam"})
    assert response.status_code == 429
    assert ProblemReport.objects.count() == 10
