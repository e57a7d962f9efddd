from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, answering an unknown ``?format=`` with 406 naming the parameter, not a bare 404."""

    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            offered = ", ".join(renderer.format for renderer in renderers)
            raise NotAcceptable({"format": [_("Unknown format: choose one of %(formats)s.") % {"formats": offered}]})
        return chosen
