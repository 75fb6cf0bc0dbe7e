"""Documents, calls for contribution with their cahier de synthèse, défis habitat."""

from django.urls import path

from observatoire.exchange.views import calls, defis, documents, hub

app_name = "exchange"

urlpatterns = [
    path("", hub.index, name="index"),
    path("documents/", documents.document_list, name="documents"),
    path("documents/deposer/", documents.document_upload, name="document_upload"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path(
        "documents/<int:pk>/versions/<int:number>/telecharger/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "documents/<int:pk>/nouvelle-version/", documents.document_version, name="document_version"
    ),
    path("documents/<int:pk>/supprimer/", documents.document_delete, name="document_delete"),
    path("appels/", calls.call_list, name="calls"),
    path("appels/nouveau/", calls.call_create, name="call_create"),
    path("appels/<int:pk>/", calls.call_detail, name="call"),
    path("appels/<int:pk>/repondre/", calls.call_answer, name="call_answer"),
    path(
        "appels/<int:pk>/reponses/<int:answer_pk>/moderer/",
        calls.call_moderate,
        name="call_moderate",
    ),
    path("appels/<int:pk>/synthese/", calls.call_synthesis, name="call_synthesis"),
    path("appels/<int:pk>/synthese.pdf", calls.call_synthesis_pdf, name="call_synthesis_pdf"),
    path("appels/<int:pk>/cloturer/", calls.call_close, name="call_close"),
    path(
        "pieces-jointes/<int:pk>/telecharger/",
        calls.attachment_download,
        name="attachment_download",
    ),
    path("defis/", defis.defi_list, name="defis"),
    path("defis/nouveau/", defis.defi_create, name="defi_create"),
    path("defis/<int:pk>/", defis.defi_detail, name="defi"),
    path("defis/<int:pk>/repondre/", defis.defi_answer, name="defi_answer"),
    path(
        "defis/<int:pk>/reponses/<int:answer_pk>/accepter/",
        defis.defi_accept,
        name="defi_accept",
    ),
]
