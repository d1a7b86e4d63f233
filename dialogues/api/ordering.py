from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class TieBreakingOrderingFilter(OrderingFilter):
    """DRF's ``?ordering=``, by the public names a list offers and nothing else, with the
    primary key last wherever the fields asked for can tie.

    A view's ``ordering_fields`` are its public names, or ``{public name: model path}`` where
    the model's name is not one for clients (``pk``, ``dialogue__held_on``). Any other value is
    a 400 naming the ones there are, where DRF ignored it and the client never learnt its
    ordering was not applied.

    Ordered by a date alone, the quotes of one dialogue tie, and the database returns tied rows
    in whatever order its plan of the moment gives: the same page, asked twice, held different
    quotes, and paging through the list repeated some and skipped others."""

    ordering_description = (
        "Sort by these fields, comma-separated, each descending with a leading `-`. Other values are a 400."
    )

    @staticmethod
    def public_fields(view):
        fields = getattr(view, "ordering_fields", None) or ()
        return dict(fields) if isinstance(fields, dict) else {name: name for name in fields}

    def get_valid_fields(self, queryset, view, context=None):
        # What the browsable API offers.
        return [(name, name.replace("_", " ")) for name in self.public_fields(view)]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param, "")
        # Absent, or empty as a form leaves it: the list's own order.
        ordering = self._model_ordering(raw, view) if raw else self.get_default_ordering(view)
        if ordering and not {"pk", "-pk"} & set(ordering):
            ordering = [*ordering, "pk"]
        return ordering

    def _model_ordering(self, raw, view):
        fields = self.public_fields(view)
        ordering, errors = [], []
        for term in (part.strip() for part in raw.split(",")):
            descending, name = term.startswith("-"), term.removeprefix("-")
            if name in fields:
                ordering.append(("-" if descending else "") + fields[name])
                continue
            renamed = [public for public, path in fields.items() if path == name]
            hint = f" (now “{renamed[0]}”)" if renamed else ""
            errors.append(f"“{term}”{hint} is not a field to sort by: choose from {', '.join(fields)}.")
        if errors:
            raise ValidationError({self.ordering_param: errors})
        return ordering

    def get_schema_operation_parameters(self, view):
        names = list(self.public_fields(view))
        if not names:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": self.ordering_description,
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [v for n in names for v in (n, f"-{n}")]},
                },
                "style": "form",
                "explode": False,
                "example": [f"-{names[0]}"],
            }
        ]
