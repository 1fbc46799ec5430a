"""API routes of Erfaringsarena (EXP-1 … EXP-5)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("experiences", views.ExperienceViewSet, basename="experience")
router.register("experience-comments", views.CommentViewSet, basename="experience-comment")
router.register("experience-ratings", views.RatingViewSet, basename="experience-rating")
router.register("product-ratings", views.ProductRatingViewSet, basename="product-rating")
router.register("experience-reports", views.ReportViewSet, basename="experience-report")

urlpatterns = router.urls
