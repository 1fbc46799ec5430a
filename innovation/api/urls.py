from rest_framework.routers import SimpleRouter

from . import collaboration, needs

router = SimpleRouter()
# Innovasjonsarena (INN-1 … INN-12)
router.register("innovation/needs", needs.NeedViewSet, basename="innovation-need")
router.register("innovation/stages", needs.StageViewSet, basename="innovation-stage")
router.register(
    "innovation/collaborations", collaboration.CollaborationViewSet, basename="innovation-collaboration"
)
router.register(
    "innovation/involvement-entries",
    collaboration.InvolvementEntryViewSet,
    basename="innovation-involvement-entry",
)
router.register("innovation/comments", collaboration.CommentViewSet, basename="innovation-comment")

urlpatterns = router.urls
