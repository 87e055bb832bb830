from __future__ import annotations

from django.db import models
from django.urls import reverse


class Donor(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government"
        MULTILATERAL = "multilateral", "Multilateral"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        "projects.Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="donors"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("donor_detail", args=[self.slug])
