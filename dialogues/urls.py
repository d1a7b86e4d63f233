from django.urls import path

from dialogues import feeds, views

app_name = "dialogues"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("coverage/", views.CoverageListView.as_view(), name="coverage-list"),
    path("coverage/<slug:slug>/", views.CoverageDetailView.as_view(), name="coverage-detail"),
    path("speakers/", views.SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("dialogues/<slug:slug>/", views.DialogueDetailView.as_view(), name="dialogue-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("quotes/", views.QuoteListView.as_view(), name="quote-list"),
    path("quotes/<slug:slug>/", views.QuoteDetailView.as_view(), name="quote-detail"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("predictions/", views.PredictionListView.as_view(), name="prediction-list"),
    path("search/", views.search_view, name="search"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("feeds/coverage.rss", feeds.CoverageFeed(), name="feed-coverage-rss"),
    path("feeds/coverage.atom", feeds.CoverageAtomFeed(), name="feed-coverage-atom"),
    path("feeds/topics/<slug:slug>.rss", feeds.TopicFeed(), name="feed-topic-rss"),
    path("feeds/topics/<slug:slug>.atom", feeds.TopicAtomFeed(), name="feed-topic-atom"),
    path("feeds/speakers/<slug:slug>.rss", feeds.SpeakerFeed(), name="feed-speaker-rss"),
    path("feeds/speakers/<slug:slug>.atom", feeds.SpeakerAtomFeed(), name="feed-speaker-atom"),
]
