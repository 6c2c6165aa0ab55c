"""Open311 responses in JSON or XML, and the specification's error list."""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

# XML element names of the list items, by the name of the list's root.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _xml_value(parent: Element, name: str, value: Any) -> None:
    node = SubElement(parent, name)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(node, k, v)
    elif isinstance(value, list):
        item = ITEM_NAMES.get(name, "item")
        for v in value:
            _xml_value(node, item, v)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = Element(root)
        if isinstance(data, list):
            item = ITEM_NAMES.get(root, "item")
            for v in data:
                _xml_value(top, item, v)
        else:
            for k, v in data.items():
                _xml_value(top, k, v)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="unicode").encode("utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The GeoReport v2 error shape: a list of {code, description}, code being the HTTP status."""
    return render([{"code": status, "description": description}], fmt, root="errors", status=status)
