"""/open311/: GeoReport v2 (each resource as `<name>.json` or `<name>.xml`)."""

from django.urls import re_path

from zhengwu.hotline.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[A-Za-z0-9_.-]{1,60})" + FMT, views.service_definition, name="service-definition"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[A-Za-z0-9-]{1,40})" + FMT, views.request_detail, name="request-detail"),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9]{1,20})" + FMT, views.token, name="token"),
]
