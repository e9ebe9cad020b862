from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .signed_out import SignIn

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", SignIn.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("accounts/", views.public_accounts, name="public_accounts"),
    path("directory/bodies/", views.BodyList.as_view(), name="body_list"),
    path("directory/bodies/<id:pk>/", views.BodyDetail.as_view(), name="body_detail"),
    path("directory/people/", views.PersonList.as_view(), name="person_list"),
    path("directory/people/<id:pk>/edit/", views.PersonUpdate.as_view(), name="person_edit"),
    path("directory/absences/", views.AbsenceList.as_view(), name="absence_list"),
    path("directory/absences/new/", views.AbsenceCreate.as_view(), name="absence_create"),
    path("directory/absences/<id:pk>/edit/", views.AbsenceUpdate.as_view(), name="absence_edit"),
    path("directory/competences/", views.CompetenceList.as_view(), name="competence_list"),
    path("directory/competences/new/", views.CompetenceCreate.as_view(), name="competence_create"),
    path("directory/competences/<id:pk>/delete/", views.CompetenceDelete.as_view(), name="competence_delete"),
    path("directory/accounts/", views.AccountList.as_view(), name="account_list"),
    path("directory/accounts/new/", views.AccountCreate.as_view(), name="account_create"),
    path("directory/accounts/<id:pk>/edit/", views.AccountUpdate.as_view(), name="account_edit"),
    path("audit/", views.AuditList.as_view(), name="audit_list"),
]
