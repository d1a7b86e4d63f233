from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

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
    *router.urls,
]
