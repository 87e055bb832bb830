"""Requests no page can answer are refused with a 400 saying what is wrong, before any view.

A NUL character (U+0000) has no meaning in an address, a query or a form, and PostgreSQL cannot
store or even compare it: a token looked up from the address, or the login name django-axes
records, would otherwise end in a 500 on PostgreSQL while SQLite answered. Forms already refuse
NUL in their fields (Django's ProhibitNullCharactersValidator); this covers what reaches the
database outside a form.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"


def nul_character_in(request: HttpRequest) -> str | None:
    """Where the request carries a NUL character, in words; None when it carries none."""
    if NUL in request.path:
        return "the address"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return f"the query parameter {name.replace(NUL, '')!r}"
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for name, values in request.POST.lists():
            if NUL in name or any(NUL in value for value in values):
                return f"the form field {name.replace(NUL, '')!r}"
    return None


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = nul_character_in(request)
        if where is None:
            return self.get_response(request)
        message = f"Bad request: {where} contains a NUL character (U+0000), which is not accepted."
        if request.path.startswith("/api/"):
            return JsonResponse({"error": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
