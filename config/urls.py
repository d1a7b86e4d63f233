from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from dialogues.health import healthz
from dialogues.sitemaps import sitemaps
from dialogues.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_router")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page, admin included.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
]
# Readers' pages: English unprefixed, Chinese under /zh-hans/ (dialogues.i18n). Feeds come along
# under the prefix but are English either way.
urlpatterns += i18n_patterns(path("", include("dialogues.urls")), prefix_default_language=False)

handler400 = "dialogues.errors.bad_request"
handler404 = "dialogues.errors.page_not_found"
handler500 = "dialogues.errors.server_error"
