"""URL map. Each app owns its prefix; apps add pages in their own ``urls.py``."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from xhht.api.api import api

admin.site.site_header = "XHHT — Quản trị hệ thống"
admin.site.site_title = "XHHT"
admin.site.index_title = "Quản trị"

# A request the server cannot read (xhht.core.params.BadParameter, suspicious requests): 400 with a
# Vietnamese page that says what was wrong.
handler400 = "xhht.web.views.bad_request"

urlpatterns = [
    path("", include("xhht.web.urls")),
    path("tai-khoan/", include("xhht.accounts.urls")),
    path("don-vi/", include("xhht.geo.urls")),
    path("so-dang-ky/", include("xhht.registry.urls")),
    path("nhap-du-lieu/", include("xhht.imports.urls")),
    path("tieu-chi/", include("xhht.criteria.urls")),
    path("danh-gia/", include("xhht.recognition.urls")),
    path("ke-hoach/", include("xhht.plans.urls")),
    path("chi-so/", include("xhht.analytics.urls")),
    path("bao-cao/", include("xhht.reports.urls")),
    path("cong-dan/", include("xhht.portal.urls")),
    path("xac-thuc/", include("xhht.recognition.verify_urls")),  # public certificate verification
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("quan-tri/", admin.site.urls),
]
# Uploaded files (evidence, import files) are never served from MEDIA_URL, not even in the demo:
# only through views that check access (recognition "evidence", the import job pages).
