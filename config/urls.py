from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from dialogues.sitemaps import sitemaps
from dialogues.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_router")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("dialogues.urls")),
]

handler404 = "dialogues.errors.page_not_found"
handler500 = "dialogues.errors.server_error"
