from django.urls import path

from observatoire.contributions.views import declared, figures, home, surveys, uploads, usage

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
    path("statistiques/", usage.dashboard, name="usage"),
    path("enquetes/", surveys.surveys, name="surveys"),
    path("enquetes/nouvelle/", surveys.survey_create, name="survey_create"),
    path("enquetes/<int:pk>/", surveys.survey_answer, name="survey_answer"),
    path("enquetes/<int:pk>/resultats/", surveys.survey_results, name="survey_results"),
    path("enquetes/<int:pk>/etat/", surveys.survey_toggle, name="survey_toggle"),
]
