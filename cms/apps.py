from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Content")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_unpublished

        from cms import checks  # noqa: F401  (registers the fallback settings check)
        from cms.editors import city_page_saved
        from cms.models import CityPage, StandardPage

        for signal in (post_save, post_delete, page_unpublished):
            signal.connect(_footer_forget, sender=StandardPage, dispatch_uid=f"footer-{signal}")
        post_save.connect(city_page_saved, sender=CityPage, dispatch_uid="city-page-editors")
        post_migrate.connect(_ensure_schedules, sender=self)


PERIODIC_TASKS = [("cms.tasks.forget_problem_reports", 60 * 24)]


def _ensure_schedules(**kwargs) -> None:
    from core.schedules import schedules_ensure

    schedules_ensure("cms.tasks.", PERIODIC_TASKS)


def _footer_forget(sender, **kwargs) -> None:
    """A standard page changed: every language's footer is read afresh, once the change is
    committed (a request in between would cache the old one again)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import transaction

    from cms.templatetags.site_pages import CACHE_KEY

    keys = [CACHE_KEY.format(code) for code, _name in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys))
