from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ระบบคู่มือการปฏิบัติงาน กรุงเทพมหานคร"
admin.site.site_title = "คู่มือการปฏิบัติงาน"
admin.site.index_title = "การจัดการข้อมูล"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("manuals.urls")),
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
