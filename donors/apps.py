from django.apps import AppConfig


class DonorsConfig(AppConfig):
    name = "donors"
    verbose_name = "Donors"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from donors.alerts import data_changed

        # What moves a shortfall or adds a project: a project or pledge saved in the admin,
        # or an ingest (which saves its source document once, after its bulk writes).
        for model in ("projects.Project", "projects.Pledge", "ingest.SourceDocument"):
            for signal in (post_save, post_delete):
                signal.connect(data_changed, sender=model, dispatch_uid=f"alerts-{model}")
