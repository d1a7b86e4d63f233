from django.urls import include, path

urlpatterns = [
    path("v1/", include(("dialogues.api.urls", "v1"), namespace="v1")),
]
