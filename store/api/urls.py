"""Store API routes: catalogue (Butikken) and procurement (Felleskjøp) register on the same router."""

from rest_framework.routers import SimpleRouter

from . import catalogue, procurement

router = SimpleRouter()
catalogue.register(router)  # Butikken: listings (search, facets, compare, fit), adoptions, shortlists
procurement.register(router)  # Felleskjøp: procurements, participations, questions, offers, scores, call-offs

urlpatterns = router.urls
