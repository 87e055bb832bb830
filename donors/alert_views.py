"""Alerts over HTTP: save a search, confirm the address, unsubscribe (also in one click).

Confirming and unsubscribing change data, so a link in an e-mail opens a page with a button
(link scanners follow links; they do not press buttons) — except the one-click unsubscribe of
RFC 8058, which mail clients POST without a form.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from donors import alerts
from donors.models import Alert


class AlertForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    frequency = forms.ChoiceField(
        label="How often",
        choices=Alert.Frequency.choices,
        initial=Alert.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


def message(request: HttpRequest, title: str, text: object, status: int = 200) -> HttpResponse:
    context = {"title": title, "message": text}
    return render(request, "donors/alert_message.html", context, status=status)


def invalid_link(request: HttpRequest, error: alerts.InvalidLink) -> HttpResponse:
    return message(request, "This link is not valid", error, status=404)


@require_http_methods(["GET", "POST"])
def alert_subscribe(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    query = request.POST.get("query", "") if data else request.GET.urlencode()
    form = AlertForm(data, initial={"query": query})
    search, filterset = alerts.normalised_query(QueryDict(form["query"].value() or ""))
    context = {"form": form, "description": alerts.describe(filterset), "search": search}
    if not form.is_valid():
        return render(request, "donors/alert_form.html", context, status=400 if data else 200)
    try:
        alert = alerts.subscribe(
            form.cleaned_data["email"],
            QueryDict(form.cleaned_data["query"]),
            form.cleaned_data["frequency"],
            get_language() or "en",
        )
    except alerts.AlreadySubscribed:
        text = (
            "This address already follows this search, or has a confirmation e-mail waiting. "
            "Nothing was changed. Each e-mail about it has a link to unsubscribe."
        )
        return message(request, "Already subscribed", text, status=409)
    text = (
        f"We sent a message to {alert.email}. Follow its link within "
        f"{alerts.CONFIRMATION_DAYS} days to start the alert; until then nothing else is sent."
    )
    return message(request, "Check your inbox", text)


def already_started(request: HttpRequest, alert: Alert) -> HttpResponse:
    text = f"The alert for “{alert.description}” was started already; this link changes nothing."
    return message(request, "Alert already started", text)


@require_http_methods(["GET", "POST"])
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        alert = alerts.alert_for(token, confirmed=False)
    except alerts.InvalidLink as error:
        return invalid_link(request, error)
    if alert.confirmed_at:
        return already_started(request, alert)
    if request.method == "GET":
        return render(request, "donors/alert_confirm.html", {"alert": alert})
    if not alerts.confirm(alert):  # confirmed meanwhile by another request
        return already_started(request, alert)
    text = (
        f"You will hear from us when a project matching “{alert.description}” appears or its "
        f"shortfall changes ({alert.get_frequency_display().lower()})."
    )
    return message(request, "Alert started", text)


@csrf_exempt  # RFC 8058 one-click unsubscribe: the mail client posts without a form token
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        alert = alerts.alert_for(token)
    except alerts.InvalidLink as error:
        return invalid_link(request, error)
    if request.method == "GET":
        return render(request, "donors/alert_unsubscribe.html", {"alert": alert})
    alerts.unsubscribe(alert)
    text = "You will receive no more alerts for this search, and your address was deleted."
    return message(request, "Unsubscribed", text)
