from django.urls import path

from observatoire.contributions.views import (
    declarations,
    declared,
    declared_uploads,
    figures,
    home,
    surveys,
    uploads,
    usage,
)

app_name = "contributions"

urlpatterns: list = [
    path("", home.index, name="index"),
    path("chiffres/", figures.validated_list, name="figures"),
    path("chiffres/proposer/", figures.propose, name="propose"),
    path("chiffres/mes-propositions/", figures.mine, name="mine"),
    path("chiffres/a-valider/", figures.queue, name="queue"),
    path("chiffres/<int:pk>/", figures.detail, name="figure"),
    path("chiffres/<int:pk>/decision/", figures.decide, name="decide"),
    path("depots/", uploads.uploads, name="uploads"),
    path("depots/deposer/", uploads.upload, name="upload"),
    path("depots/confirmer/", uploads.confirm, name="upload_confirm"),
    path("depots/modele.xlsx", uploads.template, name="upload_template"),
    path("depots/<int:pk>/", uploads.upload_detail, name="upload_detail"),
    path("sources-declarees/", declared.declared, name="declared"),
    path("sources-declarees/declarer/", declarations.declaration, name="declaration"),
    path("sources-declarees/deposer/", declared_uploads.deposit, name="declared_deposit"),
    path("sources-declarees/depots/", declared_uploads.uploads, name="declared_uploads"),
    path(
        "sources-declarees/depots/<int:pk>/",
        declared_uploads.upload_detail,
        name="declared_upload",
    ),
    path(
        "sources-declarees/depots/<int:pk>/decision/",
        declared_uploads.decide,
        name="declared_decide",
    ),
    path("statistiques/", usage.dashboard, name="usage"),
    path("enquetes/", surveys.surveys, name="surveys"),
    path("enquetes/nouvelle/", surveys.survey_create, name="survey_create"),
    path("enquetes/<int:pk>/", surveys.survey_answer, name="survey_answer"),
    path("enquetes/<int:pk>/resultats/", surveys.survey_results, name="survey_results"),
    path("enquetes/<int:pk>/etat/", surveys.survey_toggle, name="survey_toggle"),
]
