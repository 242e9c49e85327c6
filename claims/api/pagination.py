"""Page-number pagination for every list: ?page=N&page_size=M (at most 500)."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """Return the page size asked for; one that is not a whole number from 1 is a 400
        naming it (DRF used the default for it, and echoed it into the next page's link)."""
        asked = request.query_params.get(self.page_size_query_param)
        if asked is not None and not (asked.isascii() and asked.isdigit() and int(asked) > 0):
            raise ValidationError(
                {"page_size": [f"{asked[:20]!r} is not a page size: a whole number from 1 to "
                               f"{self.max_page_size}"]}
            )  # fmt: skip
        return super().get_page_size(request)
