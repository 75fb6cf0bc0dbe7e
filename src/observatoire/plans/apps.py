from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "observatoire.plans"
    label = "plans"
    verbose_name = "Suivi des plans"

    def ready(self) -> None:
        from observatoire import ports
        from observatoire.plans.reports.annual import territory_bilans
        from observatoire.plans.territory_links import plans_of

        # The portrait's « Plans en cours » and the publications' plan progress (neither
        # the portal nor publications may import this app).
        ports.provide(ports.TERRITORY_PLANS, plans_of)
        ports.provide(ports.PLAN_PROGRESS, territory_bilans)
