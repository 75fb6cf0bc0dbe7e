from django.urls import path

from observatoire.accounts import views, views_access, views_invitations, views_password

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("", views.profile, name="profile"),
    path("jetons/", views.token_create, name="token_create"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("invitations/", views_invitations.invite, name="invite"),
    path("invitation/<str:key>/", views_invitations.accept, name="accept"),
    path("acces/", views_access.access_requests_page, name="access_requests"),
    path("acces/demander/", views_access.request_access, name="access_request"),
    path("acces/<int:pk>/decision/", views_access.access_decide, name="access_decide"),
    path("mot-de-passe/oublie/", views_password.password_reset, name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        views_password.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views_password.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views_password.password_reset_complete,
        name="password_reset_complete",
    ),
    path("mot-de-passe/", views_password.password_change, name="password_change"),
    path("mot-de-passe/modifie/", views_password.password_change_done, name="password_change_done"),
]
