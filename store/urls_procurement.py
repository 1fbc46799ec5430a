"""Felleskjøp screens, under /butikken/felleskjop/ in the `store` namespace (names prefixed procurement_)."""

from django.urls import path

from .views import procurement as views

urlpatterns = [
    path("", views.procurement_list, name="procurement_list"),
    path("ny/", views.procurement_create, name="procurement_create"),
    path("<int:pk>/", views.procurement_detail, name="procurement_detail"),
    path("<int:pk>/rediger/", views.procurement_edit, name="procurement_edit"),
    path("<int:pk>/produktdeklarasjon/", views.procurement_declaration, name="procurement_declaration"),
    path("<int:pk>/produktdeklarasjon/rediger/", views.procurement_declaration_edit,
         name="procurement_declaration_edit"),
    path("<int:pk>/evalueringskriterier/", views.procurement_criteria, name="procurement_criteria"),
    path("<int:pk>/fase/<slug:phase>/", views.procurement_phase, name="procurement_phase"),
    path("<int:pk>/dokumenter/", views.procurement_document_add, name="procurement_document_add"),
    path("<int:pk>/dokumenter/<int:document_id>/slett/", views.procurement_document_delete,
         name="procurement_document_delete"),
    path("<int:pk>/historikk/", views.procurement_history, name="procurement_history"),
    path("<int:pk>/deltakere/", views.procurement_participants, name="procurement_participants"),
    path("<int:pk>/deltakere/trekk/", views.participation_withdraw, name="procurement_participation_withdraw"),
    path("<int:pk>/sporsmal/", views.procurement_questions, name="procurement_questions"),
    path("<int:pk>/sporsmal/publiser/", views.questions_publish, name="procurement_questions_publish"),
    path("<int:pk>/sporsmal/<int:question_id>/svar/", views.question_answer, name="procurement_question_answer"),
    path("<int:pk>/tilbud/", views.procurement_offers, name="procurement_offers"),
    path("<int:pk>/tilbud/<int:offer_id>/", views.offer_detail, name="procurement_offer_detail"),
    path("<int:pk>/tilbud/<int:offer_id>/trekk/", views.offer_withdraw, name="procurement_offer_withdraw"),
    path("<int:pk>/tilbud/<int:offer_id>/dokumenter/", views.offer_document_add, name="procurement_offer_document_add"),
    path("<int:pk>/evaluering/", views.procurement_evaluation, name="procurement_evaluation"),
    path("<int:pk>/evaluering/matrise.csv", views.procurement_evaluation_csv, name="procurement_evaluation_csv"),
    path("<int:pk>/evaluering/<int:offer_id>/", views.offer_scoring, name="procurement_offer_score"),
    path("<int:pk>/tildeling/", views.procurement_award, name="procurement_award"),
    path("<int:pk>/avtale/", views.procurement_call_off, name="procurement_call_off"),
]
