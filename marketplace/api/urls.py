from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("service-areas", views.ServiceAreaViewSet, basename="service-area")
router.register("terms", views.TermsViewSet, basename="terms")
router.register("terms-acceptances", views.TermsAcceptanceViewSet, basename="terms-acceptance")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [path("me/", views.MeView.as_view(), name="me"), *router.urls]
