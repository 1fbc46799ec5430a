from rest_framework.routers import SimpleRouter

from . import products, qualification

router = SimpleRouter()
# Kvalifisering (QUA-1 … QUA-6)
router.register("qualification/criterion-sets", qualification.CriterionSetViewSet, basename="qualification-criterion-set")
router.register("qualification/criteria", qualification.CriterionViewSet, basename="qualification-criterion")
router.register("qualification/applications", qualification.QualificationApplicationViewSet,
                basename="qualification-application")
router.register("qualification/qualified-vendors", qualification.QualifiedVendorViewSet,
                basename="qualification-qualified-vendor")
# Verifikasjon (VER-1 … VER-7)
router.register("verification/products", products.ProductViewSet, basename="verification-product")
router.register("verification/declarations", products.DeclarationVersionViewSet, basename="verification-declaration")
router.register("verification/runs", products.VerificationRunViewSet, basename="verification-run")
router.register("verification/listing-reviews", products.ListingReviewViewSet, basename="verification-listing-review")
router.register("verification/listings", products.ListingViewSet, basename="verification-listing")

urlpatterns = router.urls
