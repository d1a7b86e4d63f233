"""Migration operations for what only PostgreSQL has."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class _OnPostgreSQLOnly:
    """A model-state operation whose database work is done on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddPostgresIndex(_OnPostgreSQLOnly, migrations.AddIndex):
    """AddIndex for an index only PostgreSQL has: one SQLite cannot build (GIN, for the full-text
    search that runs on PostgreSQL only) or one that misleads SQLite's planner. Recorded in the
    migration state on every database so ``makemigrations --check`` agrees everywhere."""


class RemovePostgresIndex(_OnPostgreSQLOnly, migrations.RemoveIndex):
    """RemoveIndex for an index ``AddPostgresIndex`` built: dropped, or rebuilt going back, on
    PostgreSQL only; removed from the migration state on every database."""


class _SQLForOneDatabase(migrations.operations.base.Operation):
    """Statements for one database ``vendor`` only (``None``: each database, ``_sql`` asks
    which), outside model state: ``_sql`` gives the statements that create it and those that
    drop it."""

    reduces_to_sql = True
    reversible = True
    vendor = None

    def state_forwards(self, app_label, state):
        pass

    def _sql(self, app_label, schema_editor, state):
        raise NotImplementedError

    def _runs_on(self, schema_editor):
        return self.vendor in (None, schema_editor.connection.vendor)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._runs_on(schema_editor):
            for statement in self._sql(app_label, schema_editor, from_state)[0]:
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._runs_on(schema_editor):
            for statement in self._sql(app_label, schema_editor, to_state)[1]:
                schema_editor.execute(statement)


class PostgresSearchDocument(_SQLForOneDatabase):
    """PostgreSQL's full-text document of ``columns`` of ``model``'s table, stored: a generated
    ``search_document`` column (``models.base.search_document``) and its GIN index. On SQLite,
    which has its FTS5 tables (``SQLiteSearchTable``), this does nothing. PostgreSQL alters a
    table in place, so the column survives later field changes. Not model state: the ORM
    never selects the column, so no query reads a document it does not match against.

    Stored rather than an index on the expression: search ranks its matches, and ranking from
    the expression built each match's document again from its whole text (1.3 ms for the
    article, most of the search page's database time)."""

    vendor = "postgresql"
    column = "search_document"

    def __init__(self, model_name, columns, *, config="english"):
        self.model_name, self.columns, self.config = model_name, tuple(columns), config

    def _sql(self, app_label, schema_editor, state):
        table = state.apps.get_model(app_label, self.model_name)._meta.db_table
        quote = schema_editor.quote_name
        # As Django's SearchVector writes it, so the document is the one it would build.
        text = " || ' ' || ".join(f"COALESCE({quote(column)}, '')" for column in self.columns)
        index = quote(f"{self.model_name}_document_idx")
        create = [
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(self.column)} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('{self.config}'::regconfig, {text})) STORED",
            f"CREATE INDEX {index} ON {quote(table)} USING gin ({quote(self.column)})",
        ]
        drop = [f"DROP INDEX {index}", f"ALTER TABLE {quote(table)} DROP COLUMN {quote(self.column)}"]
        return create, drop

    def describe(self):
        return f"Stored full-text document (PostgreSQL) of {self.model_name}: {', '.join(self.columns)}"


class PostgresTrigramExtension(TrigramExtension):
    """``pg_trgm``, on PostgreSQL only: Django's own skips SQLite going forwards but not back,
    where it asks SQLite for PostgreSQL's catalogue of extensions."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def sqlite_full_text_table(db_table):
    """The name of the FTS5 table ``SQLiteFullText`` keeps for ``db_table``."""
    return f"{db_table}_fts"


class SQLiteFullText(_SQLForOneDatabase):
    """A full-text index for SQLite: an FTS5 table over ``columns`` of ``model``'s table, kept in
    step by triggers (so raw SQL, bulk inserts and fixtures are indexed too). PostgreSQL has its
    stored documents instead (``PostgresSearchDocument``); there this does nothing. Not model state: ``makemigrations`` never sees it.

    Superseded by ``SQLiteSearchTable`` (migration 0013): a later migration that made SQLite
    rebuild the table (most field changes do) dropped its triggers with it. Kept for the
    migrations that built and dropped it.
    """

    vendor = "sqlite"

    def __init__(self, model_name, columns, tokenize="porter unicode61"):
        self.model_name, self.columns, self.tokenize = model_name, tuple(columns), tokenize

    def _sql(self, app_label, schema_editor, from_state):
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        fts = sqlite_full_text_table(table)
        quote = schema_editor.quote_name
        columns = ", ".join(quote(column) for column in self.columns)

        def values(prefix):
            return ", ".join(f"{prefix}.{quote(column)}" for column in self.columns)

        create = [
            f"CREATE VIRTUAL TABLE {quote(fts)} USING fts5({columns}, content={quote(table)}, "
            f"content_rowid='id', tokenize='{self.tokenize}')",
            f"CREATE TRIGGER {quote(fts + '_insert')} AFTER INSERT ON {quote(table)} BEGIN "
            f"INSERT INTO {quote(fts)}(rowid, {columns}) VALUES (new.id, {values('new')}); END",
            f"CREATE TRIGGER {quote(fts + '_delete')} AFTER DELETE ON {quote(table)} BEGIN "
            f"INSERT INTO {quote(fts)}({quote(fts)}, rowid, {columns}) VALUES ('delete', old.id, {values('old')}); END",
            f"CREATE TRIGGER {quote(fts + '_update')} AFTER UPDATE ON {quote(table)} BEGIN "
            f"INSERT INTO {quote(fts)}({quote(fts)}, rowid, {columns}) VALUES ('delete', old.id, {values('old')}); "
            f"INSERT INTO {quote(fts)}(rowid, {columns}) VALUES (new.id, {values('new')}); END",
            f"INSERT INTO {quote(fts)}({quote(fts)}) VALUES ('rebuild')",
        ]
        drop = [f"DROP TRIGGER {quote(fts + suffix)}" for suffix in ("_insert", "_delete", "_update")]
        drop.append(f"DROP TABLE {quote(fts)}")
        return create, drop

    def describe(self):
        return (
            f"Full-text index (SQLite FTS5, {self.tokenize}) on {self.model_name}: {', '.join(self.columns)}"
        )


class TopicLinkListedAt(_SQLForOneDatabase):
    """On the table that links ``model_name``'s rows to their topics (``topics``, Django's own
    many-to-many table): a ``listed_at`` column, its coverage's publication time (its creation
    while a draft), and an index by topic, newest first. Triggers keep it on every write, raw SQL,
    bulk inserts and fixtures included: a link made, an item moved to other coverage, coverage
    published or rescheduled. It was read by an expression outside model state; not model state, so the
    admin, the API and history keep the plain many-to-many field.

    Why: a topic page shows its newest 30 of a few hundred items. Sorted by their coverage's
    time, every one of them was read, joined to its coverage and sorted (2.9 ms on PostgreSQL,
    with a hash of all coverage that grew with the archive); the index is walked for 30 (0.15 ms).

    Removed by migration 0012: its triggers made SQLite's rebuild of the item or coverage table
    fail (they name the table being replaced), so no ordinary field could be added to either.
    A topic's items are sorted by the ORM again (``StatementQuerySet.newest_on_topic``).
    """

    column = "listed_at"

    def __init__(self, model_name):
        self.model_name = model_name

    def _sql(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        coverage = model._meta.get_field("coverage").related_model._meta.db_table
        link = model._meta.get_field("topics").remote_field.through._meta.db_table
        q = schema_editor.quote_name
        table, link_q, coverage_q = q(model._meta.db_table), q(link), q(coverage)
        item, column = q(f"{self.model_name}_id"), q(self.column)
        index, name = q(f"{self.model_name}_topic_listed_idx"), f"{link}_{self.column}"

        def listed(item_id):
            return (
                f"(SELECT COALESCE(c.publish_at, c.created_at) FROM {table} i "
                f"JOIN {coverage_q} c ON c.id = i.coverage_id WHERE i.id = {item_id})"
            )

        relist_items = (
            f"UPDATE {link_q} SET {column} = (SELECT COALESCE(publish_at, created_at) FROM {coverage_q} "
            f"WHERE id = NEW.coverage_id) WHERE {item} = NEW.id"
        )
        relist_coverage = (
            f"UPDATE {link_q} SET {column} = COALESCE(NEW.publish_at, NEW.created_at) "
            f"WHERE {item} IN (SELECT id FROM {table} WHERE coverage_id = NEW.id)"
        )
        if schema_editor.connection.vendor == "postgresql":
            type_, differs = "timestamp with time zone", "IS DISTINCT FROM"
        else:
            type_, differs = "datetime", "IS NOT"
        coverage_moved = f"OLD.publish_at {differs} NEW.publish_at OR OLD.created_at {differs} NEW.created_at"
        create = [
            f"ALTER TABLE {link_q} ADD COLUMN {column} {type_} NULL",
            f"UPDATE {link_q} SET {column} = {listed(link_q + '.' + item)}",
            f"CREATE INDEX {index} ON {link_q} (topic_id, {column} DESC, {item} DESC)",
        ]
        triggers = [q(f"{name}_{event}") for event in ("link", "item", "coverage")]
        if schema_editor.connection.vendor == "postgresql":
            functions = triggers  # each trigger runs the function of its own name
            bodies = [
                f"NEW.{column} := {listed('NEW.' + item)}; RETURN NEW;",
                f"{relist_items}; RETURN NULL;",
                f"{relist_coverage}; RETURN NULL;",
            ]
            create += [
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"
                for function, body in zip(functions, bodies, strict=True)
            ]
            create += [
                f"CREATE TRIGGER {triggers[0]} BEFORE INSERT OR UPDATE OF {item} ON {link_q} "
                f"FOR EACH ROW EXECUTE FUNCTION {functions[0]}()",
                f"CREATE TRIGGER {triggers[1]} AFTER UPDATE OF coverage_id ON {table} FOR EACH ROW "
                f"WHEN (OLD.coverage_id {differs} NEW.coverage_id) EXECUTE FUNCTION {functions[1]}()",
                f"CREATE TRIGGER {triggers[2]} AFTER UPDATE OF publish_at, created_at ON {coverage_q} "
                f"FOR EACH ROW WHEN ({coverage_moved}) EXECUTE FUNCTION {functions[2]}()",
            ]
            drop = [
                f"DROP TRIGGER {trigger} ON {on}"
                for trigger, on in zip(triggers, (link_q, table, coverage_q), strict=True)
            ]
            drop += [f"DROP FUNCTION {function}()" for function in functions]
        else:
            # SQLite's triggers cannot set NEW: the link is listed just after it is written.
            create += [
                f"CREATE TRIGGER {triggers[0]} AFTER INSERT ON {link_q} BEGIN "
                f"UPDATE {link_q} SET {column} = {listed('NEW.' + item)} WHERE id = NEW.id; END",
                f"CREATE TRIGGER {q(name + '_relink')} AFTER UPDATE OF {item} ON {link_q} BEGIN "
                f"UPDATE {link_q} SET {column} = {listed('NEW.' + item)} WHERE id = NEW.id; END",
                f"CREATE TRIGGER {triggers[1]} AFTER UPDATE OF coverage_id ON {table} "
                f"WHEN OLD.coverage_id IS NOT NEW.coverage_id BEGIN {relist_items}; END",
                f"CREATE TRIGGER {triggers[2]} AFTER UPDATE OF publish_at, created_at ON {coverage_q} "
                f"WHEN {coverage_moved} BEGIN {relist_coverage}; END",
            ]
            drop = [f"DROP TRIGGER {trigger}" for trigger in (*triggers, q(name + "_relink"))]
        drop += [f"DROP INDEX {index}", f"ALTER TABLE {link_q} DROP COLUMN {column}"]
        return create, drop

    def describe(self):
        return f"Coverage time on the topic links of {self.model_name}, kept by triggers"


class Undone(migrations.operations.base.Operation):
    """``operation``, an operation outside model state, undone: what it built is dropped going
    forwards and built again going back."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self.operation.database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.operation.database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Undo: {self.operation.describe()}"


def sqlite_search_table(db_table):
    """The name of the FTS5 table ``SQLiteSearchTable`` makes for ``db_table``."""
    return f"{db_table}_search"


class SQLiteSearchTable(_SQLForOneDatabase):
    """SQLite's full-text index of ``columns`` of ``model``'s table: a standalone FTS5 table
    holding its own copy of the text, its rowid the item's id, filled from the rows there are.
    It names no model table and has no triggers, so SQLite's rebuild of the model's table (most
    field changes) leaves it as it is. The application keeps it (``dialogues.search_index``).
    PostgreSQL has its stored documents instead (``PostgresSearchDocument``)."""

    vendor = "sqlite"

    def __init__(self, model_name, columns, tokenize="porter unicode61"):
        self.model_name, self.columns, self.tokenize = model_name, tuple(columns), tokenize

    def _sql(self, app_label, schema_editor, state):
        table = state.apps.get_model(app_label, self.model_name)._meta.db_table
        quote = schema_editor.quote_name
        index = quote(sqlite_search_table(table))
        columns = ", ".join(quote(column) for column in self.columns)
        create = [
            f"CREATE VIRTUAL TABLE {index} USING fts5({columns}, tokenize='{self.tokenize}')",
            f"INSERT INTO {index}(rowid, {columns}) SELECT id, {columns} FROM {quote(table)}",
        ]
        return create, [f"DROP TABLE {index}"]

    def describe(self):
        return (
            f"Full-text table (SQLite FTS5, {self.tokenize}) of {self.model_name}: {', '.join(self.columns)}"
        )


SEARCH_TERMS_TABLE = "dialogues_search_term"


class SearchTermsTable(_SQLForOneDatabase):
    """The vocabulary site search suggests spellings from (``dialogues.search_index`` keeps it):
    one row per lower-case word that coverage, quotes, claims, commentary and the names of
    speakers, topics, organizations and products hold. On both databases; on PostgreSQL with a
    trigram index (``pg_trgm``, migration 0008) for the words that differ in their first letter.

    Not model state, like the FTS5 tables: derived data that backups, fixtures and the admin
    leave alone (a dump restored would collide with the words its own loading remembers), and
    a plain table no later migration makes SQLite rebuild."""

    def _sql(self, app_label, schema_editor, state):
        quote = schema_editor.quote_name
        table = quote(SEARCH_TERMS_TABLE)
        create = [f"CREATE TABLE {table} (term varchar(64) NOT NULL PRIMARY KEY)"]
        drop = [f"DROP TABLE {table}"]
        if schema_editor.connection.vendor == "postgresql":
            index = quote(f"{SEARCH_TERMS_TABLE}_trgm_idx")
            create.append(f"CREATE INDEX {index} ON {table} USING gin (term gin_trgm_ops)")
            drop.insert(0, f"DROP INDEX {index}")
        return create, drop

    def describe(self):
        return "Vocabulary of search terms, for spelling suggestions"
