from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter, SimpleRouter

from dialogues.api import changes, fact_sources, imports, views
from dialogues.security import content_security_policy

router = DefaultRouter()
router.register("topics", views.TopicViewSet, basename="topic")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("events", views.EventViewSet, basename="event")
router.register("dialogues", views.DialogueViewSet, basename="dialogue")
router.register("coverage", views.CoverageViewSet, basename="coverage")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("commentary", views.CommentaryViewSet, basename="commentary")
router.register("fact-sources", fact_sources.FactSourceViewSet, basename="fact-source")
router.register("changes", changes.ChangeViewSet, basename="change")


class IdRouter(SimpleRouter):
    """Only the routes of one item (no list, no create): ``/<resource>/id/<id>/`` and its
    actions, for the items found by their id (``ContentViewSet.by_id``)."""

    routes = [route for route in SimpleRouter.routes if route.detail]


id_router = IdRouter()
for prefix, viewset, basename in router.registry:
    if issubclass(viewset, views.ContentViewSet):
        id_router.register(f"{prefix}/id", viewset.by_id(), basename=f"{basename}-by-id")

# The schema and its docs are not throttled: a docs page loads the schema, and client generators
# fetch it on every build.
NOT_THROTTLED = {"throttle_classes": []}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**NOT_THROTTLED), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="v1:schema", **NOT_THROTTLED),
        name="swagger-ui",
    ),
    # Redoc injects its styles at run time and searches in a worker: its page alone may do so.
    path(
        "redoc/",
        content_security_policy(style_src="'self' 'unsafe-inline'", worker_src="'self' blob:")(
            SpectacularRedocView.as_view(url_name="v1:schema", **NOT_THROTTLED)
        ),
        name="redoc",
    ),
    path("imports/", imports.ImportView.as_view(), name="import"),
    path(
        "imports/<int:coverage_id>/proposals/",
        imports.ImportProposalList.as_view(),
        name="import-proposals",
    ),
    *id_router.urls,
    *router.urls,
]
