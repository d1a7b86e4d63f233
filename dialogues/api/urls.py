from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from dialogues.api import views

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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="v1:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="v1:schema"), name="redoc"),
    *router.urls,
]
