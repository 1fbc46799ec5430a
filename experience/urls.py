from django.urls import path

from . import views

app_name = "experience"

urlpatterns = [
    path("", views.home, name="home"),
    path("ny/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rediger/", views.edit, name="edit"),
    path("<int:pk>/publiser/", views.publish, name="publish"),
    path("<int:pk>/slett/", views.delete, name="delete"),
    path("<int:pk>/historikk/", views.history, name="history"),
    path("<int:pk>/vedlegg/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/vedlegg/<int:document_pk>/fjern/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/nyttig/", views.useful, name="useful"),
    path("<int:pk>/folg/", views.follow, name="follow"),
    path("<int:pk>/kommentarer/", views.comment, name="comment"),
    path("<int:pk>/leverandorsvar/", views.vendor_reply, name="vendor_reply"),
    path("<int:pk>/rapporter/", views.report_experience, name="report"),
    path("kommentarer/<int:pk>/rapporter/", views.report_comment, name="report_comment"),
    path("produkter/<int:pk>/", views.product, name="product"),
    path("produkter/<int:pk>/vurdering/", views.rate, name="rate"),
    path("behov/<int:pk>/", views.need, name="need"),
    path("moderering/", views.queue, name="moderation"),
    path("moderering/erfaringer/<int:pk>/skjul/", views.experience_hide, name="experience_hide"),
    path("moderering/erfaringer/<int:pk>/vis/", views.experience_restore, name="experience_restore"),
    path("moderering/kommentarer/<int:pk>/skjul/", views.comment_hide, name="comment_hide"),
    path("moderering/kommentarer/<int:pk>/vis/", views.comment_restore, name="comment_restore"),
    path("moderering/rapporter/<int:pk>/avvis/", views.report_dismiss, name="report_dismiss"),
]
