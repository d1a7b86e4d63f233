"""How app servers talk to PostgreSQL: queries prepared once per connection, except full-text ones.

``config.settings`` turns on server-side binding and psycopg's prepared statements, so
PostgreSQL plans a query once per connection instead of on every request (planning took four
times as long as running on the speaker page). A prepared query is eventually run with a
generic plan, one made without looking at its parameters. For a full-text search that plan
cannot know which words are searched: on a small archive it computed the document of every
article instead of asking the GIN index (search, 15 -> 150 ms). Full-text queries, the ones
matching with ``@@``, are planned for their words every time.
"""

from django.db.backends.postgresql.base import ServerBindingCursor

FULL_TEXT_MATCH = " @@ "


class PreparingCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and FULL_TEXT_MATCH in query:
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)
