from django.urls import path, register_converter
from django.urls.converters import IntConverter

from .views import catalogue


class IdConverter(IntConverter):
    """An id that fits a database integer: longer numbers are a 404, not an overflow in the database driver."""

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "store_id")

# Butikken (STO-1 … STO-6), at the root of /butikken/.
urlpatterns = [
    path("", catalogue.home, name="home"),
    path("sok/", catalogue.search, name="search"),
    path("sok/csv/", catalogue.search_csv, name="search_csv"),
    path("produkt/<store_id:pk>/", catalogue.listing, name="listing"),
    path("sammenlikne/", catalogue.compare, name="compare"),
    path("sammenlikne/csv/", catalogue.compare_csv, name="compare_csv"),
    path("sammenlikne/behov/", catalogue.compare_need, name="compare_need"),
    path("sammenlikne/behov/csv/", catalogue.compare_need_csv, name="compare_need_csv"),
    path("sammenlikne/kurv/", catalogue.tray_update, name="tray"),
    path("huskelister/", catalogue.shortlist_list, name="shortlists"),
    path("huskelister/ny/", catalogue.shortlist_create, name="shortlist_create"),
    path("huskelister/<store_id:pk>/", catalogue.shortlist_detail, name="shortlist_detail"),
    path("huskelister/<store_id:pk>/csv/", catalogue.shortlist_csv, name="shortlist_csv"),
    path("huskelister/<store_id:pk>/slett/", catalogue.shortlist_delete, name="shortlist_delete"),
    path("huskelister/<store_id:pk>/fjern/<store_id:product_id>/", catalogue.shortlist_remove, name="shortlist_remove"),
    path("huskelister/legg-til/<store_id:product_id>/", catalogue.shortlist_add, name="shortlist_add"),
    path("ta-i-bruk/<store_id:product_id>/", catalogue.adoption_request, name="adoption_request"),
    path("bruk/", catalogue.adoption_list, name="adoptions"),
    path("bruk/<store_id:pk>/", catalogue.adoption_detail, name="adoption_detail"),
    path("bruk/<store_id:pk>/godta/", catalogue.adoption_accept, name="adoption_accept"),
    path("bruk/<store_id:pk>/avsla/", catalogue.adoption_decline, name="adoption_decline"),
    path("bruk/<store_id:pk>/trekk/", catalogue.adoption_withdraw, name="adoption_withdraw"),
    path("bruk/<store_id:pk>/avslutt/", catalogue.adoption_end, name="adoption_end"),
]
