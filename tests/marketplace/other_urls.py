"""A second URL configuration, for the test that fixed addresses follow the ROOT_URLCONF setting."""

from django.http import HttpResponse
from django.urls import include, path

start = [path("start/", lambda request: HttpResponse("start"), name="start")]
urlpatterns = [path("annen/", include((start, "marketplace")))]
