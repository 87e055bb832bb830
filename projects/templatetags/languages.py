"""The page in the portal's other languages: the switch in the header and hreflang links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, override

register = template.Library()


@dataclass(frozen=True)
class Version:
    code: str
    name: str
    url: str
    absolute_url: str
    current: bool


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[Version]:
    """This page in each language, with its query string; the current one marked."""
    request = context.get("request")
    if request is None:
        return []
    here = request.get_full_path()
    current = get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = in_language(request, here, code)
        versions.append(Version(code, name, url, request.build_absolute_uri(url), code == current))
    return versions


def in_language(request: HttpRequest, here: str, code: str) -> str:
    """translate_url(here, code), from the URL Django already resolved for the request rather
    than resolving it again for each language (every page shows all three)."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return translate_url(here, code)
    with override(code):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return here
    parsed = urlsplit(here)
    return urlunsplit((parsed.scheme, parsed.netloc, path, parsed.query, parsed.fragment))
