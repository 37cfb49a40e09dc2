"""``/sitemap.xml``: every page that is really written in its language (aliases showing a
fallback are left out: they are the source's words under another prefix), each with its
``hreflang`` alternates in every language it is translated into."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site


class PageSitemap(Sitemap):
    def __init__(self, request=None):
        self.request = request

    def items(self):
        pages = list(
            Page.objects.live()
            .public()
            .filter(depth__gt=1, alias_of__isnull=True)
            .select_related("locale")
            .order_by("path")
            .only("url_path", "translation_key", "locale__language_code", "last_published_at")
        )
        self._versions = defaultdict(list)
        for page in pages:
            self._versions[page.translation_key].append(page)
        return pages

    def _url(self, page) -> str:
        return page.get_full_url(self.request)

    def location(self, page):
        return self._url(page)

    def lastmod(self, page):
        return page.last_published_at

    def get_urls(self, page=1, site=None, protocol=None):
        # Locations are already full URLs (the Wagtail site's root URL).
        urls = []
        for item in self.paginator.page(page).object_list:
            urls.append(
                {
                    "item": item,
                    "location": self._url(item),
                    "lastmod": self.lastmod(item),
                    "changefreq": None,
                    "priority": None,
                    "alternates": [
                        {"lang_code": v.locale.language_code, "location": self._url(v)}
                        for v in self._versions[item.translation_key]
                    ],
                }
            )
        return urls

    def get_wagtail_site(self):
        return Site.find_for_request(self.request) if self.request else None


def sitemap(request):
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    return django_sitemap(request, sitemaps={"pages": PageSitemap(request)})
