"""wagtail-localize checks only a model permission ("submit translation", "change desk
text") in several of its views, not the object: an editor of Perugia could translate a page
of Napoli (turning its fallback alias into a "translation") or edit the translation of
Napoli's desk text. This middleware checks the object behind each of those views with
Wagtail's own page permissions, or the model's permission policy (desk-scoped for desk
texts), and answers 403 when the user may not change it.
"""

from __future__ import annotations

import contextlib

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from wagtail.models import Page
from wagtail.permissions import policy_registry

GUARDED_MODULES = (
    "wagtail_localize.views.submit_translations",
    "wagtail_localize.views.update_translations",
    "wagtail_localize.views.edit_translation",
)
# Views that list objects of every city (any snippet by type, every translation): for
# administrators only.
ADMINISTRATORS_ONLY = (
    "wagtail_localize.views.snippets_api",
    "wagtail_localize.views.report",
)


def user_can_change(user, instance) -> bool:
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    policy = policy_registry.get(instance)
    return policy.user_has_permission_for_instance(user, "change", instance)


def _instances(kwargs) -> list:
    from wagtail_localize.models import Translation, TranslationSource

    if "page_id" in kwargs:
        return [Page.objects.get(pk=kwargs["page_id"]).specific]
    if "model_name" in kwargs:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        return [model._default_manager.get(pk=kwargs["pk"])]
    if "translation_source_id" in kwargs:
        return [
            TranslationSource.objects.get(pk=kwargs["translation_source_id"]).get_source_instance()
        ]
    if "translation_id" in kwargs:
        translation = Translation.objects.select_related("source").get(pk=kwargs["translation_id"])
        found = [translation.source.get_source_instance()]
        with contextlib.suppress(ObjectDoesNotExist):  # not made yet: the source decides
            found.append(translation.get_target_instance())
        return found
    return []


class TranslationScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view = getattr(view_func, "view_class", None) or getattr(view_func, "cls", view_func)
        module = getattr(view, "__module__", "") or ""
        if not module.startswith(GUARDED_MODULES + ADMINISTRATORS_ONLY):
            return None
        if not request.user.is_authenticated:
            return None  # the view sends them to the login page; nothing is looked up here
        if request.user.is_superuser:
            return None
        if module.startswith(ADMINISTRATORS_ONLY):
            raise PermissionDenied
        try:
            instances = _instances(view_kwargs)
        except (ObjectDoesNotExist, LookupError, ValueError) as exc:
            raise Http404 from exc
        if not all(user_can_change(request.user, instance) for instance in instances):
            raise PermissionDenied
        return None
