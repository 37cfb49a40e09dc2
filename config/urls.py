from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import sitemap
from config.health import healthz

handler500 = "core.responses.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("accounts.urls")),
    path("", include("messaging.urls")),
    path("", include("appointments.urls_short")),
    path("", include("frontdesk.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("cms.urls")),
    path("", include("appointments.urls")),
    # Wagtail serves every page not caught above; it must come last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
