"""The API's request parser."""

import orjson
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, read by orjson: JSON nested past 1,024 levels and text holding a lone
    UTF-16 surrogate ("\\ud800") are a 400 like any other malformed body. Python's ``json`` read
    both, and they surfaced later as a 500 (a ``RecursionError``; a string no encoder can
    write back into an error message)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return orjson.loads(stream.read() if stream is not None else b"")
        except orjson.JSONDecodeError as error:
            raise ParseError(f"JSON parse error - {error}") from error
