from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import ProblemReport


class ProblemReportViewSet(SnippetViewSet):
    model = ProblemReport
    icon = "warning"
    menu_label = "Problem reports"
    list_display = ["created_at", "page", "language", "resolved"]
    list_filter = ["resolved", "language"]


register_snippet(ProblemReportViewSet)
