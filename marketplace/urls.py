from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views


marketplace_patterns = [
    path("", views.start, name="start"),
    path("vilkar/", views.terms_index, name="terms"),
    path("vilkar/ny/", views.terms_edit, name="terms_create"),
    path("vilkar/<int:pk>/", views.terms_detail, name="terms_detail"),
    path("vilkar/<int:pk>/rediger/", views.terms_edit, name="terms_edit"),
    path("vilkar/<int:pk>/godta/", views.terms_accept, name="terms_accept"),
    path("vilkar/<int:pk>/publiser/", views.terms_publish, name="terms_publish"),
    path("organisasjoner/", views.organisation_list, name="organisations"),
    path("organisasjoner/ny/", views.organisation_create, name="organisation_create"),
    path("organisasjoner/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisasjon/", views.organisation_mine, name="organisation_mine"),
    path("organisasjon/rediger/", views.organisation_edit, name="organisation_edit"),
    path("organisasjon/bytt/", views.switch_organisation, name="switch_organisation"),
    path("organisasjon/medlem/<int:pk>/rolle/", views.membership_role, name="membership_role"),
    path("organisasjon/medlem/<int:pk>/fjern/", views.membership_remove, name="membership_remove"),
    path("organisasjon/invitasjon/<int:pk>/trekk/", views.invitation_revoke, name="invitation_revoke"),
    path("invitasjon/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("varsler/", views.notification_list, name="notifications"),
    path("varsler/alle-lest/", views.notification_read_all, name="notifications_read_all"),
    path("varsler/<int:pk>/lest/", views.notification_read, name="notification_read"),
    path("meg/", views.profile, name="profile"),
    path("revisjon/", views.audit_log, name="audit"),
    path("tjenesteomrader/", views.taxonomy, name="taxonomy"),
    path("tjenesteomrader/kategori/ny/", views.category_edit, name="category_create"),
    path("tjenesteomrader/kategori/<int:pk>/", views.category_edit, name="category_edit"),
    path("tjenesteomrader/ny/", views.service_area_edit, name="service_area_create"),
    path("tjenesteomrader/<int:pk>/", views.service_area_edit, name="service_area_edit"),
    path("hjelp/", views.help_page, name="help"),
    path("hjelp/<slug:page>/", views.help_page, name="help_page"),
    path("dokumenter/<uuid:uuid>/", views.document_download, name="document_download"),
]

urlpatterns = [
    path("", include((marketplace_patterns, "marketplace"))),
    path("innovasjonsarena/", include("innovation.urls")),
    path("verifikasjon/", include("verification.urls")),
    path("butikken/", include("store.urls")),
    path("erfaringsarena/", include("experience.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("api/v1/", include("marketplace.api.urls")),
    path("api/v1/", include("store.api.urls")),
    path("api/v1/", include("innovation.api.urls")),
    path("api/v1/", include("verification.api.urls")),
    path("api/v1/", include("experience.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
