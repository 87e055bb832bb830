from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from projects.data_version import on_model_change
        from projects.permissions import ensure_staff_groups

        post_migrate.connect(ensure_staff_groups, dispatch_uid="projects.staff_groups")
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(on_model_change, dispatch_uid=f"projects.data_version.{id(signal)}")
