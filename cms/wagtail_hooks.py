from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import ProblemReport
from cms.translation_status import page_languages


class ProblemReportViewSet(SnippetViewSet):
    model = ProblemReport
    icon = "warning"
    menu_label = "Problem reports"
    list_display = ["created_at", "page", "language", "resolved"]
    list_filter = ["resolved", "language"]


register_snippet(ProblemReportViewSet)


class PageLanguagesView(WagtailAdminTemplateMixin, TemplateView):
    """Per page: which languages are translated, being translated, out of date or missing."""

    template_name = "cms/admin/page_languages.html"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Languages of %(title)s") % {"title": self.page.get_admin_display_title()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["languages"] = page_languages(self.page)
        return context


@hooks.register("register_admin_urls")
def _page_languages_url():
    return [
        path(
            "pages/<int:page_id>/languages/",
            PageLanguagesView.as_view(),
            name="cms_page_languages",
        )
    ]


@hooks.register("register_page_header_buttons")
def _page_languages_button(page, user, view_name, next_url=None):
    if page.depth > 1 and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Languages"), reverse("cms_page_languages", args=[page.pk]), icon_name="site"
        )


@hooks.register("construct_reports_menu")
def _translations_report_for_administrators(request, menu_items):
    """wagtail-localize's report lists every city's translations: administrators only."""
    if not request.user.is_superuser:
        report = reverse("wagtail_localize:translations_report")
        menu_items[:] = [item for item in menu_items if getattr(item, "url", "") != report]


@hooks.register("construct_page_chooser_queryset")
def _chooser_without_other_cities(pages, request):
    """An editor of one city picks links among the shared pages and their own city's, not
    another city's pages and services."""
    from cms.models import CityPage

    user = request.user
    if user.is_superuser:
        return pages
    others = CityPage.objects.exclude(city__editors__user=user)
    for city_page in others.only("path", "depth"):
        pages = pages.exclude(path__startswith=city_page.path)
    return pages
