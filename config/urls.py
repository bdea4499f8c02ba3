from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.views import favicon
from manuals import urls as manual_urls
from processes import urls as process_urls

admin.site.site_header = _("ระบบคู่มือการปฏิบัติงาน กรุงเทพมหานคร")
admin.site.site_title = _("คู่มือการปฏิบัติงาน")
admin.site.index_title = _("การจัดการข้อมูล")

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # manuals:edition and manuals:history are served by processes (they show both apps).
    path("", include((manual_urls.urlpatterns + process_urls.edition_patterns, "manuals"))),
    path("", include("processes.urls")),
    path("charts/", include("flowcharts.urls")),
    path("print/", include("printing.urls")),
    path("review/", include("reviews.urls")),
    path("search/", include("search.urls")),
    path("rounds/", include("rounds.urls")),
    path("interop/", include("interop.urls")),
    path("imports/", include("imports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
