"""Every URL of the project, read from the URL configuration (for tests that walk them)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


def url_patterns() -> list[tuple[str, URLPattern]]:
    """(the route from the site's root as written, the pattern) for every view."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = str(entry.pattern)
            if not isinstance(entry.pattern, RoutePattern):
                route = route.lstrip("^").rstrip("$").replace("\\Z", "")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append((prefix + route, entry))

    walk(get_resolver().url_patterns)
    return found


def concrete(route: str, values: dict | None = None, default: str = "1") -> str:
    """A path for the route: each parameter from ``values`` by name, else ``default``."""
    values = values or {}
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), default)), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values.get(m.group(1), default)), path)
    path = re.sub(r"\([^)]*\)\??", default, path).replace("\\", "")
    return "/" + path
