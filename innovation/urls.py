from django.urls import path

from . import views

app_name = "innovation"

urlpatterns = [
    path("", views.home, name="home"),
    path("behov/", views.need_list, name="need_list"),
    path("behov/ny/", views.need_create, name="need_create"),
    path("behov/lignende/", views.similar, name="similar"),
    path("sammenlign/", views.compare, name="compare"),
    path("omrade/<slug:slug>/", views.service_area, name="service_area"),
    path("behov/<int:pk>/", views.need_detail, name="need_detail"),
    path("behov/<int:pk>/rediger/", views.need_edit, name="need_edit"),
    path("behov/<int:pk>/produktdeklarasjon/", views.need_declaration, name="need_declaration"),
    path(
        "behov/<int:pk>/produktdeklarasjon/rediger/",
        views.need_declaration_edit,
        name="need_declaration_edit",
    ),
    path("behov/<int:pk>/fase/", views.need_stage, name="need_stage"),
    path("behov/<int:pk>/erstatt/", views.need_retire, name="need_retire"),
    path("behov/<int:pk>/dokumenter/", views.need_document_add, name="need_document_add"),
    path(
        "behov/<int:pk>/dokumenter/<int:document_id>/slett/",
        views.need_document_delete,
        name="need_document_delete",
    ),
    path("behov/<int:pk>/folg/", views.need_follow, name="need_follow"),
    path("behov/<int:pk>/kommentarer/", views.need_comment, name="need_comment"),
    path("behov/<int:pk>/historikk/", views.need_history, name="need_history"),
    path("behov/<int:pk>/samarbeid/", views.need_collaboration, name="need_collaboration"),
    path("behov/<int:pk>/samarbeid/inviter/", views.need_invite, name="need_invite"),
    path("behov/<int:pk>/interesse/", views.need_interest, name="need_interest"),
    path("behov/<int:pk>/involvering/", views.need_involvement, name="need_involvement"),
    path(
        "behov/<int:pk>/involvering/<int:entry_id>/dokumenter/",
        views.involvement_document_add,
        name="involvement_document_add",
    ),
    path("behov/<int:pk>/sjekkliste/", views.need_checklist, name="need_checklist"),
    path("behov/<int:pk>/sjekkliste/<int:item_id>/", views.checklist_set, name="checklist_set"),
    path("behov/<int:pk>/sjekkliste/nytt-punkt/", views.checklist_add, name="checklist_add"),
    path("behov/<int:pk>/evalueringskriterier/", views.need_criteria, name="need_criteria"),
    path("samarbeid/<int:pk>/godta/", views.collaboration_accept, name="collaboration_accept"),
    path("samarbeid/<int:pk>/avsla/", views.collaboration_decline, name="collaboration_decline"),
    path("samarbeid/<int:pk>/trekk/", views.collaboration_withdraw, name="collaboration_withdraw"),
    path("samarbeid/<int:pk>/avslutt/", views.collaboration_end, name="collaboration_end"),
]
