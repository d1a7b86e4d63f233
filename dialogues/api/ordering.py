from rest_framework.filters import OrderingFilter


class TieBreakingOrderingFilter(OrderingFilter):
    """DRF's ``?ordering=``, with the primary key last wherever the fields asked for can tie.

    Ordered by a date alone, the quotes of one dialogue tie, and the database returns tied rows
    in whatever order its plan of the moment gives: the same page, asked twice, held different
    quotes, and paging through the list repeated some and skipped others."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"pk", "-pk"} & set(ordering):
            ordering = [*ordering, "pk"]
        return ordering
