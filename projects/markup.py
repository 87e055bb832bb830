"""The one definition of the description markup the portal shows (and the API returns)."""

import functools

import nh3

TAGS = {"p", "ul", "ol", "li", "strong", "em", "br", "a"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "p": {"class"}}
# Only the classes the parsers emit; any other class is dropped.
CLASSES = {"p": {"footnote"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_description(html: str) -> str:
    """Description HTML with everything but the allowed tags and attributes removed."""
    return _cleaned(html or "")


@functools.lru_cache(maxsize=2048)
def _cleaned(html: str) -> str:
    # A pure function of the text: a project's page cleans the same description on every
    # request.
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=keep_known_values,
    )


def keep_known_values(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        known = [name for name in value.split() if name in CLASSES.get(tag, set())]
        return " ".join(known) or None
    if attribute == "start":
        return value if value.isdigit() else None
    return value
