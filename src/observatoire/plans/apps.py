from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "observatoire.plans"
    label = "plans"
    verbose_name = "Suivi des plans"

    def ready(self) -> None:
        from observatoire import ports
        from observatoire.plans.reports.annual import territory_bilans

        ports.provide(ports.PLAN_PROGRESS, territory_bilans)
