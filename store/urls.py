from django.urls import include, path

app_name = "store"

urlpatterns = [
    path("felleskjop/", include("store.urls_procurement")),
    path("", include("store.urls_catalogue")),
]
