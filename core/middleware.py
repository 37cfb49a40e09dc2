"""Django's LocaleMiddleware, minus one guess for paths that live outside the languages.

On a 404 Django tries the path again under the language prefix and redirects there when
that would resolve, and Wagtail's catch-all resolves every path: the staff console, the
webhooks and the short links would answer "not yours" or "not found" with a redirect to a
public page instead. Their 404 stays a 404.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(settings.UNPREFIXED_PATHS):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
