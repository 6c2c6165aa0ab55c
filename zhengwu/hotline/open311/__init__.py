"""Open311 GeoReport v2 for the hotline: 311 apps, WeChat and app clients submit and follow tickets.

This interface follows the GeoReport v2 specification (http://wiki.open311.org/GeoReport_v2), including its error
format — a list of `{code, description}` — rather than the project's `{code, message, detail}` contract, because
third-party 311 clients parse the standard shape.

Privacy: GET requests lists only tickets that came in through Open311 clients, never reports (举报), with phone and
ID numbers in descriptions masked and no caller names; calls, web forms and mailbox letters are never listed.
"""
