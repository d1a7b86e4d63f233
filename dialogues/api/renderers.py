import csv
import io

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """Flat CSV of a list endpoint for analysts; lists become ``;``-joined cells."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        rows = [self._flatten(row) for row in data or []]
        columns = list(rows[0]) if rows else []
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().encode(self.charset)

    def _flatten(self, row, prefix=""):
        flat = {}
        for key, value in row.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                flat.update(self._flatten(value, f"{name}."))
            elif isinstance(value, list):
                flat[name] = "; ".join(
                    v.get("name") or v.get("title") or v.get("slug") or str(v)
                    if isinstance(v, dict)
                    else str(v)
                    for v in value
                )
            else:
                flat[name] = "" if value is None else value
        return flat
