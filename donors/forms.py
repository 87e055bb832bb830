from __future__ import annotations

import re

from django import forms

from donors.models import Donor, Interest
from projects.models import Country, Project
from projects.numbers import AmountField, is_id

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


class InterestForm(forms.ModelForm):
    """What a donor tells us when registering interest; every field bounded and validated."""

    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    projects = ProjectsField(
        queryset=Project.objects.published().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one project."},
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(), required=False, empty_label="Choose a country"
    )
    amount = GroupedAmountField(
        required=False,
        label="Indicative amount",
        help_text="For example 250,000 or 250 000 or 250000.00.",
        # A text box keeps what was typed (a number box drops "250,000" unseen) for the error.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter the amount as a number, for example 250,000 or 250000.50."
        },
    )
    consent = forms.BooleanField(
        label="I agree to be contacted by UNODC about these projects.",
        error_messages={"required": "We can only follow up if you agree to be contacted."},
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
        labels = {"donor_kind": "Kind of donor", "contact_name": "Contact name"}
        widgets = {
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        }
        error_messages = {
            "email": {"invalid": "Enter an e-mail address such as name@ministry.gov."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["donor_kind"].choices = [("", "Choose one"), *Donor.Kind.choices]
        self.fields["currency"].choices = [("", "Choose a currency"), *Interest.Currency.choices]

    def clean(self):
        cleaned = super().clean()
        for name in SINGLE_LINE_FIELDS:
            if cleaned.get(name):
                cleaned[name] = " ".join(cleaned[name].split())
        if cleaned.get("amount") is not None and not cleaned.get("currency"):
            self.add_error("currency", "Say which currency the amount is in.")
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
