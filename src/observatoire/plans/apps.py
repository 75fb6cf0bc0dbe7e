from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "observatoire.plans"
    label = "plans"
    verbose_name = "Suivi des plans"

    def ready(self) -> None:
        from observatoire import ports
        from observatoire.plans.territory_links import plans_of

        # The portrait's « Plans en cours » (the portal may not import this app).
        ports.provide(ports.TERRITORY_PLANS, plans_of)
