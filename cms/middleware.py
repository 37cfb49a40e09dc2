"""Admin views that name an object are checked against the user's cities and desks.

- Page views (``/admin/pages/<id>/...``, the page chooser, the admin API's page detail): a
  page inside a city's page is reached only by those who may edit it (that city's
  editors); other pages (the home page, the standard pages) only by people with some page
  permission (editors). Operators and partners have none, so no page view opens to them.
- Snippet choosers (``/admin/snippets/choose/<app>/<model>/``) open only to those with a
  permission on the model (Wagtail's choosers ask for none); their lists are narrowed by
  the model's own viewset (appointments.admin_views).

wagtail-localize checks only a model permission ("submit translation", "change desk
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


PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
PAGE_PK_PATHS = ("/admin/pages/", "/admin/api/main/pages/")
CHOOSER_PATH = "/admin/snippets/choose/"
BULK_PATH = "/admin/bulk/"


def _page_ids(request, kwargs) -> list:
    ids = [kwargs[name] for name in PAGE_KWARGS if name in kwargs]
    if "pk" in kwargs and request.path_info.startswith(PAGE_PK_PATHS):
        ids.append(kwargs["pk"])
    return ids


def page_reachable(user, page) -> bool:
    """Whether ``user`` may open an admin view of ``page`` at all."""
    from cms.models import CityPage

    if user.is_superuser:
        return True
    tester = page.permissions_for_user(user)
    if tester.can_edit() or tester.can_add_subpage():
        return True
    if CityPage.objects.ancestor_of(page, inclusive=True).exists():
        return False  # another city's page, or one of its services
    return has_page_permissions(user)


def has_page_permissions(user) -> bool:
    from wagtail.models import GroupPagePermission

    return user.is_superuser or GroupPagePermission.objects.filter(group__user=user).exists()


def _chooser_allowed(user, path: str) -> bool:
    parts = path[len(CHOOSER_PATH) :].split("/")
    try:
        model = apps.get_model(parts[0], parts[1])
    except (LookupError, IndexError):
        return True  # not a model's chooser: Wagtail answers 404
    policy = policy_registry.get_by_type(model)
    return policy.user_has_any_permission(user, ["view", "add", "change", "delete"])


def _bulk_allowed(user, request, kwargs) -> bool:
    """A bulk action's confirmation lists its objects by label: every one of them must be
    the user's to see (Wagtail would list the others as "no permission", by name)."""
    try:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except LookupError:
        return True
    ids = request.GET.getlist("id")
    if "all" in ids:
        return False  # "every object in the listing": Wagtail would take all cities' objects
    if not ids:
        return True
    policy = policy_registry.get_by_type(model)
    mine = policy.instances_user_has_any_permission_for(user, ["view", "change", "delete"])
    try:
        return mine.filter(pk__in=ids).count() == len(set(ids))
    except (ValueError, TypeError):
        return False


class AdminScopeMiddleware:
    """The checks above, before the view runs (403 when they fail)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/admin/"):
            return None
        if not request.user.is_authenticated or request.user.is_superuser:
            return None  # anonymous: the view sends them to the login page
        self._objects_check(request, view_kwargs)
        view = getattr(view_func, "view_class", None) or getattr(view_func, "cls", view_func)
        module = getattr(view, "__module__", "") or ""
        if not module.startswith(GUARDED_MODULES + ADMINISTRATORS_ONLY):
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

    @staticmethod
    def _objects_check(request, view_kwargs) -> None:
        user = request.user
        if request.path_info.startswith(CHOOSER_PATH) and not _chooser_allowed(
            user, request.path_info
        ):
            raise PermissionDenied
        if request.path_info.startswith(BULK_PATH) and not _bulk_allowed(
            user, request, view_kwargs
        ):
            raise PermissionDenied
        if request.path_info.startswith("/admin/choose-page/") and not has_page_permissions(user):
            raise PermissionDenied
        for page_id in _page_ids(request, view_kwargs):
            try:
                page = Page.objects.get(pk=page_id)
            except (Page.DoesNotExist, ValueError, TypeError) as exc:
                raise Http404 from exc
            if not page_reachable(user, page):
                raise PermissionDenied
