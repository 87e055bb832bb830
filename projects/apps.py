from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from projects.permissions import ensure_staff_groups

        post_migrate.connect(ensure_staff_groups, dispatch_uid="projects.staff_groups")
