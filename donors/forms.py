from __future__ import annotations

from django import forms

from donors.models import Interest
from projects.models import Country, Project


class InterestForm(forms.ModelForm):
    """What a donor tells us when registering interest; every field bounded and validated."""

    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.published().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one project."},
    )
    country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False)
    amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        label="Indicative amount",
        help_text="Optional. Digits only, for example 250000.",
        error_messages={"invalid": "Enter the amount as a number, for example 250000."},
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
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 5000})}
        error_messages = {
            "email": {"invalid": "Enter an e-mail address such as name@ministry.gov."},
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") is not None and not cleaned.get("currency"):
            self.add_error("currency", "Say which currency the amount is in.")
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
