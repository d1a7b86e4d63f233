from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from dialogues.api.errors import PastTheLastPage
from dialogues.caching import CountedPerGeneration


def is_whole_number(text, *, most_digits=9):
    """Whether ``text`` is a whole number written in ASCII digits: ``str.isdigit`` is true for
    "²" and "٣", which ``int()`` refuses or reads as another number."""
    return text.isascii() and text.isdigit() and len(text) <= most_digits


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50 by default, at most 200; any other page size is a 400, not silently ignored.
    A page past the end is a 404 naming the last page (``last_page``); an empty list has an
    empty page 1."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        # The example drf-spectacular builds each list's page from: the one item it shows, on a
        # page of its own, not DRF's "http://api.example.org/accounts/?page=4" and 123 items.
        paged = super().get_paginated_response_schema(schema)
        properties = paged["properties"]
        properties["count"]["example"] = 1
        properties["next"]["example"] = properties["previous"]["example"] = None
        return paged

    def django_paginator_class(self, object_list, per_page):
        return CountedPerGeneration(object_list, per_page, request=self.request)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not is_whole_number(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not is_whole_number(raw) or int(raw) < 1:
            raise ValidationError({self.page_query_param: ["Enter a page number from 1, or “last”."]})
        # The count the page needs anyway: no query more.
        if int(raw) > paginator.num_pages:
            raise PastTheLastPage(int(raw), paginator.num_pages)
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
                parameter["description"] = (
                    f"Items a page, 1 to {self.max_page_size} ({self.page_size} if not given); "
                    "anything else is a 400."
                )
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    "The page, from 1 (or `last`). One past the end is a 404 whose `last_page` "
                    "names the last one."
                )
        return parameters
