"""How app servers talk to PostgreSQL: each query prepared and planned once per connection,
except full-text ones, planned for their words every time.

``config.settings`` turns on server-side binding, psycopg's prepared statements and
``plan_cache_mode = force_generic_plan``: PostgreSQL plans a query once per connection, for any
parameters, instead of on every request (planning took four times as long as running on the
speaker page). Left to choose (``auto``), it planned afresh every run of a query whose plan for
the values looked cheaper than its generic plan, which was most queries that ask for “published”:
a generic plan guesses that a third of the coverage is out by the time given, a plan for the
values knows nearly all of it is. The API claim list, search's name match and the links of a
page of cards were planned on every request, for 0.5-1 ms each.

A generic plan cannot know which words a full-text search asks for: on a small archive it
computed the document of every article instead of asking the GIN index (search, 15 -> 150 ms).
Full-text queries, the ones matching with ``@@``, are sent with their parameters written in
(psycopg's client-side binding) and never prepared, so each is planned for its words.

Index reads are costed as what they are on a database held in memory or on SSD, about as cheap
as reading in order (``random_page_cost = 1.1``, not PostgreSQL's 4, made for spinning disks).
At 4, the generic plan of a topic page's claims read and hashed every claim of a small archive
(1.7 ms in request) instead of walking the topic's links newest first (0.3 ms); the pages and
API lists measured the same or faster on both archive sizes (in git history, bench/README.md).
"""

import psycopg
from django.db.backends.postgresql.base import ServerBindingCursor

FULL_TEXT_MATCH = " @@ "
PLAN_ONCE = "-c plan_cache_mode=force_generic_plan"
INDEX_READS_COST = "-c random_page_cost=1.1"


class PreparingCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and FULL_TEXT_MATCH in query:
            prepare = False
            if params:
                query, params = psycopg.ClientCursor(self.connection).mogrify(query, params), None
        return super().execute(query, params, prepare=prepare, binary=binary)
