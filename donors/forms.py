from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from donors.models import Donor, Interest
from projects.models import Country, Project
from projects.numbers import AmountField, is_id
from projects.templatetags.figures import NBSP, grouped

# At most this many projects get an amount box of their own (a donor ticks a few).
MAX_PROJECT_AMOUNTS = 50

# Mail headers carry these (the staff notification's subject names the organisation): a line
# break in them would make the mail unsendable, so runs of whitespace become one space.
SINGLE_LINE_FIELDS = ("organisation", "contact_name", "phone")


# Thousands separators people type: a comma, a space, a no-break or thin space, an apostrophe.
GROUPED = re.compile(r"[0-9]{1,3}(?:[, \u00a0\u202f'][0-9]{3})+(?:\.[0-9]*)?")


class GroupedAmountField(AmountField):
    """An amount as people write it: "250,000", "250 000" and "250000.00" all read 250000."""

    def to_python(self, value):
        if isinstance(value, str) and GROUPED.fullmatch(value.strip()):
            value = re.sub(r"[, \u00a0\u202f']", "", value.strip())
        return super().to_python(value)


def amount_in(amount: Decimal, currency: str) -> str:
    """An amount as the portal read it, in the currency chosen: "US$ 250,000", "EUR 1,500.50"."""
    symbol = {"USD": "US$", "": "", "other": ""}.get(currency, currency)
    return f"{symbol}{NBSP}{grouped(amount)}" if symbol else grouped(amount)


class ProjectsField(forms.ModelMultipleChoiceField):
    """Refuses what is not an id by the portal's rule for numbers before querying (SQLite
    raises OverflowError on integers beyond 64 bits instead of finding nothing)."""

    def clean(self, value):
        for pk in value or ():
            if not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


def project_amount_name(pk: int) -> str:
    return f"amount_for_{pk}"


class InterestForm(forms.ModelForm):
    """What a donor tells us when registering interest; every field bounded and validated."""

    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    projects = ProjectsField(
        queryset=Project.objects.published().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one project.")},
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(), required=False, empty_label=_("Choose a country")
    )
    amount = GroupedAmountField(
        required=False,
        label=_("Indicative amount"),
        help_text=_("For example 250,000 or 250 000 or 250000.00."),
        # A text box keeps what was typed (a number box drops "250,000" unseen) for the error.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter the amount as a number, for example 250,000 or 250000.50.")
        },
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted by UNODC about these projects."),
        error_messages={"required": _("We can only follow up if you agree to be contacted.")},
    )

    class Meta:
        model = Interest
        fields = [
            "organisation",
            "donor_kind",
            "country",
            "contact_name",
            "email",
            "phone",
            "projects",
            "amount",
            "currency",
            "message",
            "consent",
        ]
        labels = {"donor_kind": _("Kind of donor"), "contact_name": _("Contact name")}
        widgets = {
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        }
        error_messages = {
            "email": {"invalid": _("Enter an e-mail address such as name@ministry.gov.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["donor_kind"].choices = [("", _("Choose one")), *Donor.Kind.choices]
        self.fields["currency"].choices = [("", _("Choose a currency")), *Interest.Currency.choices]
        self.chosen_projects = self.projects_asked_for()
        if len(self.chosen_projects) > 1:
            for project in self.chosen_projects:
                self.fields[project_amount_name(project.pk)] = GroupedAmountField(
                    required=False,
                    label=_("Amount for %(title)s") % {"title": project.title},
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                    error_messages={
                        "invalid": _("Enter the amount as a number, for example 250,000.")
                    },
                )

    def projects_asked_for(self) -> list[Project]:
        """The published projects ticked (posted, or ticked in advance), by title: each gets
        an amount box when there are several. One query."""
        if self.is_bound:
            values = self.data.getlist("projects") if hasattr(self.data, "getlist") else []
        else:
            values = self.initial.get("projects") or []
        ids = sorted({int(v) for v in values if is_id(v)})[:MAX_PROJECT_AMOUNTS]
        if len(ids) < 2:
            return []
        return list(Project.objects.published().filter(pk__in=ids).only("title").order_by("title"))

    @property
    def project_amount_fields(self) -> list[forms.BoundField]:
        return [self[project_amount_name(p.pk)] for p in self.chosen_projects]

    def project_amounts(self) -> dict[int, Decimal]:
        """The amount given for each chosen project (cleaned), by project id."""
        chosen = {p.pk for p in self.cleaned_data.get("projects") or ()}
        amounts = {}
        for project in self.chosen_projects:
            amount = self.cleaned_data.get(project_amount_name(project.pk))
            if amount is not None and project.pk in chosen:
                amounts[project.pk] = amount
        return amounts

    def read_back(self, name: str) -> str:
        """How an amount box was read ("Read as US$ 250,000"), once it was read."""
        if not self.is_bound or name not in getattr(self, "cleaned_data", {}):
            return ""
        if not str(self.data.get(name, "")).strip():
            return ""  # nothing typed (a total left empty is the sum: not read from the donor)
        amount = self.cleaned_data[name]
        if amount is None or self.has_error(name):
            return ""
        currency = self.cleaned_data.get("currency") or ""
        return _("Read as %(amount)s") % {"amount": amount_in(amount, currency)}

    @property
    def amount_read_back(self) -> str:
        return self.read_back("amount")

    @property
    def project_amount_rows(self) -> list[tuple[forms.BoundField, str]]:
        return [(field, self.read_back(field.name)) for field in self.project_amount_fields]

    def keep_only_amount_errors(self) -> None:
        """For a preview of the amounts: the other fields' errors wait for the real submit."""
        amount_names = {"amount", "currency"} | {f.name for f in self.project_amount_fields}
        for name in list(self.errors):
            if name not in amount_names:
                del self.errors[name]

    def clean(self):
        cleaned = super().clean()
        for name in SINGLE_LINE_FIELDS:
            if cleaned.get(name):
                cleaned[name] = " ".join(cleaned[name].split())
        per_project = [
            cleaned.get(project_amount_name(p.pk))
            for p in self.chosen_projects
            if cleaned.get(project_amount_name(p.pk)) is not None
        ]
        if per_project:
            total = sum(per_project, Decimal(0))
            if cleaned.get("amount") is None and not self.has_error("amount"):
                cleaned["amount"] = total  # the amounts per project give the whole
            elif cleaned.get("amount") is not None and total > cleaned["amount"]:
                self.add_error(
                    "amount",
                    _(
                        "The amounts per project add up to %(total)s, more than this amount: "
                        "change one or the other."
                    )
                    % {"total": grouped(total)},
                )
        if cleaned.get("amount") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Say which currency the amount is in."))
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
