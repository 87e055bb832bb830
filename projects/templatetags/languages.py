"""The page in the portal's other languages: the switch in the header and hreflang links."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

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
        url = translate_url(here, code)
        versions.append(Version(code, name, url, request.build_absolute_uri(url), code == current))
    return versions
