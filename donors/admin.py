from django.contrib import admin
from django.db.models import Count, Sum

from donors.models import Donor


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "pledge_count", "pledged"]
    list_filter = ["kind"]
    list_select_related = ["country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pledge_total=Sum("pledges__amount"), pledge_number=Count("pledges"))
        )

    @admin.display(description="Pledges", ordering="pledge_number")
    def pledge_count(self, obj: Donor) -> int:
        return obj.pledge_number

    @admin.display(description="Pledged", ordering="pledge_total")
    def pledged(self, obj: Donor):
        return obj.pledge_total
