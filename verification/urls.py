from django.urls import include, path

from .views import products as product_views
from .views import qualification as qualification_views

app_name = "verification"

# Kvalifisering (QUA-1 … QUA-6) lives under /verifikasjon/kvalifisering/.
qualification_patterns = [
    path("", qualification_views.qualification_home, name="qualification_home"),
    path("kriterier/", qualification_views.criteria, name="criteria"),
    path("kvalifiserte/", qualification_views.qualified_vendors, name="qualified_vendors"),
    path("soknader/", qualification_views.application_list, name="application_list"),
    path("soknader/ny/", qualification_views.application_start, name="application_start"),
    path("soknader/<int:pk>/", qualification_views.application_detail, name="application_detail"),
    path("soknader/<int:pk>/firma/", qualification_views.application_details, name="application_details"),
    path("soknader/<int:pk>/del/<int:number>/", qualification_views.application_section, name="application_section"),
    path("soknader/<int:pk>/dokument/slett/", qualification_views.evidence_delete, name="evidence_delete"),
    path("soknader/<int:pk>/vurdering/", qualification_views.application_assess, name="application_assess"),
    path("soknader/<int:pk>/send-inn/", qualification_views.application_submit, name="application_submit"),
    path("soknader/<int:pk>/trekk/", qualification_views.application_withdraw, name="application_withdraw"),
    path("behandling/", qualification_views.review_queue, name="review_queue"),
    path("behandling/<int:pk>/", qualification_views.review_detail, name="review_detail"),
    path("behandling/<int:pk>/start/", qualification_views.review_start, name="review_start"),
    path("kvalifiseringer/<int:pk>/tilbakekall/", qualification_views.qualification_revoke, name="qualification_revoke"),
    path("kriteriesett/", qualification_views.criterion_set_list, name="criterion_set_list"),
    path("kriteriesett/ny/", qualification_views.criterion_set_create, name="criterion_set_create"),
    path("kriteriesett/<int:pk>/", qualification_views.criterion_set_detail, name="criterion_set_detail"),
    path("kriteriesett/<int:pk>/rediger/", qualification_views.criterion_set_edit, name="criterion_set_edit"),
    path("kriteriesett/<int:pk>/aktiver/", qualification_views.criterion_set_activate, name="criterion_set_activate"),
    path("kriteriesett/<int:set_pk>/kriterier/ny/", qualification_views.criterion_edit, name="criterion_create"),
    path("kriterier/<int:pk>/rediger/", qualification_views.criterion_edit, name="criterion_edit"),
    path("kriterier/<int:pk>/slett/", qualification_views.criterion_delete, name="criterion_delete"),
]

# Verifikasjon (VER-1 … VER-7): products, declarations, runs, reports and listing review.
product_patterns = [
    path("produkter/", product_views.product_list, name="product_list"),
    path("produkter/ny/", product_views.product_create, name="product_create"),
    path("produkter/<int:pk>/", product_views.product_detail, name="product_detail"),
    path("produkter/<int:pk>/rediger/", product_views.product_edit, name="product_edit"),
    path("produkter/<int:pk>/ny-versjon/", product_views.version_create, name="version_create"),
    path("deklarasjoner/<int:pk>/", product_views.version_detail, name="version_detail"),
    path("deklarasjoner/<int:pk>/rediger/", product_views.version_edit, name="version_edit"),
    path("deklarasjoner/<int:pk>/dokumenter/", product_views.version_document_upload, name="version_document_upload"),
    path("deklarasjoner/<int:pk>/dokumenter/<int:document_id>/slett/", product_views.version_document_delete,
         name="version_document_delete"),
    path("deklarasjoner/<int:pk>/send-til-verifisering/", product_views.version_freeze, name="version_freeze"),
    path("deklarasjoner/<int:pk>/kjor-verifisering/", product_views.run_start, name="run_start"),
    path("deklarasjoner/<int:pk>/send-inn/", product_views.version_submit, name="version_submit"),
    path("deklarasjoner/<int:pk>/trekk/", product_views.version_withdraw, name="version_withdraw"),
    path("rapporter/<uuid:uuid>/", product_views.run_report, name="run_report"),
    path("rapporter/<uuid:uuid>/fremdrift/", product_views.run_progress, name="run_progress"),
    path("oppforing/", product_views.listing_review_queue, name="listing_review_queue"),
    path("oppforing/<int:pk>/", product_views.listing_review_detail, name="listing_review_detail"),
    path("oppforing/trekk/<int:pk>/", product_views.listing_withdraw, name="listing_withdraw"),
]

urlpatterns = [
    path("", product_views.home, name="home"),
    *product_patterns,
    path("kvalifisering/", include(qualification_patterns)),
]
