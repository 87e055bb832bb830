import csv

from django import forms
from django.contrib import admin
from django.db.models import Count, Sum
from django.http import HttpResponse

from donors.interest import resend_failed_mail
from donors.models import Alert, Donor, Interest, InterestNote
from projects.formulas import neutralise


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


class InterestNoteInline(admin.TabularInline):
    model = InterestNote
    extra = 0
    fields = ["created_at", "status", "author", "note"]
    readonly_fields = ["created_at", "status", "author", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeForm(forms.ModelForm):
    follow_up_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the history with the status and your name.",
    )

    class Meta:
        model = Interest
        fields = ["status", "handled_by"]  # the admin adds its fieldsets to these


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    form = StatusChangeForm
    list_display = [
        "reference",
        "organisation",
        "project_titles",
        "status",
        "handled_by",
        "confirmation",
        "notification",
        "submitted_at",
    ]
    list_filter = ["status", "confirmation", "notification", "donor_kind", "submitted_at"]
    list_select_related = ["handled_by"]
    search_fields = ["reference", "organisation", "contact_name", "email", "projects__title"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["projects", "country"]
    readonly_fields = [
        "reference",
        "submitted_at",
        "confirmation",
        "confirmation_error",
        "confirmed_at",
        "notification",
        "notification_error",
        "notified_at",
        "client_address",
    ]
    fieldsets = [
        ("Follow-up", {"fields": ["status", "handled_by", "follow_up_note"]}),
        (
            "Donor",
            {
                "fields": [
                    "reference",
                    "organisation",
                    "donor_kind",
                    "country",
                    "contact_name",
                    "email",
                    "phone",
                    "consent",
                    "submitted_at",
                    "client_address",
                ]
            },
        ),
        ("Interest", {"fields": ["projects", "amount", "currency", "message"]}),
        (
            "E-mail",
            {
                "fields": [
                    ("confirmation", "confirmed_at"),
                    "confirmation_error",
                    ("notification", "notified_at"),
                    "notification_error",
                ]
            },
        ),
    ]
    inlines = [InterestNoteInline]
    actions = ["export_csv", "resend_notifications"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("projects")

    @admin.display(description="Projects")
    def project_titles(self, obj: Interest) -> str:
        return "; ".join(p.title for p in obj.projects.all())

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("follow_up_note", "")
        status_changed = "status" in form.changed_data
        if (status_changed or note) and obj.handled_by is None:
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)
        if change and (status_changed or note):
            InterestNote.objects.create(
                interest=obj, status=obj.status, note=note, author=request.user
            )

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("donors.export_interest")

    @admin.action(description="Export the selected interests as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="interests.csv"'
        response.write("\ufeff")  # spreadsheet programs read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(INTEREST_CSV_COLUMNS)
        for interest in queryset.select_related("country", "handled_by").prefetch_related(
            "projects"
        ):
            writer.writerow([neutralise(value) for value in interest_row(interest)])
        return response

    @admin.action(description="Send the e-mail that failed again")
    def resend_notifications(self, request, queryset):
        confirmations, notifications = resend_failed_mail(queryset)
        if not confirmations and not notifications:
            self.message_user(
                request, "No e-mail of the selected interests failed: nothing was sent again."
            )
            return
        self.message_user(
            request,
            f"Sending again: {confirmations} donor confirmation(s) and "
            f"{notifications} staff notification(s) that had failed. "
            "E-mail that went out is not sent twice.",
        )


INTEREST_CSV_COLUMNS = [
    "reference",
    "submitted",
    "status",
    "organisation",
    "donor kind",
    "country",
    "contact name",
    "email",
    "phone",
    "projects",
    "amount",
    "currency",
    "message",
    "handled by",
    "confirmation e-mail",
    "staff notification",
]


def interest_row(interest: Interest) -> list[str]:
    return [
        interest.reference,
        interest.submitted_at.isoformat(timespec="minutes"),
        interest.get_status_display(),
        interest.organisation,
        interest.get_donor_kind_display(),
        interest.country.name if interest.country else "",
        interest.contact_name,
        interest.email,
        interest.phone,
        "; ".join(p.title for p in interest.projects.all()),
        "" if interest.amount is None else str(interest.amount),
        interest.currency,
        interest.message,
        interest.handled_by.get_username() if interest.handled_by else "",
        interest.get_confirmation_display(),
        interest.get_notification_display(),
    ]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Subscriptions to saved searches. Staff may look and delete, not add or edit: the
    address was given for the alert only, and only its owner starts one."""

    list_display = ["email", "description", "frequency", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "description"]
    readonly_fields = [
        "email",
        "description",
        "query",
        "frequency",
        "language",
        "created_at",
        "confirmed_at",
        "last_sent_at",
    ]
    exclude = ["snapshot"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
