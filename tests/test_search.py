"""Site search matches words, stemmed, on both databases, and its index follows every write."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dialogues import search
from dialogues.db_operations import sqlite_search_table
from dialogues.models import Claim, Commentary, Coverage, Quote, Speaker, SpeakerAlias
from dialogues.models.base import SEARCH_LANGUAGE, search_document
from tests import factories

pytestmark = pytest.mark.django_db


def found(kind, query):
    results = search.search(query, preview=False, now=timezone.now(), start=0, stop=100)
    return {item.pk for item in results[kind]}


def test_index_follows_create_edit_and_delete(coverage):
    quote = factories.QuoteFactory(coverage=coverage, text="Robots will fold the laundry.")
    assert found("quotes", "laundry") == {quote.pk}
    quote.text = "Robots will wash the dishes."
    quote.save()
    assert found("quotes", "laundry") == set()
    assert found("quotes", "dishes") == {quote.pk}
    quote.delete()
    assert found("quotes", "dishes") == set()


def test_claims_and_coverage_follow_edits_too(coverage):
    claim = factories.ClaimFactory(coverage=coverage, statement="Batteries get cheaper.")
    claim.check_note = "Checked against the lithium price index."
    claim.save()
    assert found("claims", "lithium") == {claim.pk}
    coverage.title = "Quarterly zeppelin outlook"
    coverage.save()
    assert found("coverage", "zeppelin") == {coverage.pk}


def test_the_article_is_searchable_once_loaded(article):
    # loaddata saves raw, and raw saves are indexed too.
    assert found("claims", "physical wave") == {Claim.objects.get(slug="physical-ai-is-the-next-wave").pk}
    assert found("coverage", "CoreWeave") == {article.pk}


def sqlite_index_rows(model):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT rowid FROM "{sqlite_search_table(model._meta.db_table)}" ORDER BY rowid')
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
def test_deleting_coverage_takes_its_items_out_of_the_index(coverage):
    quote = factories.QuoteFactory(coverage=coverage)
    claim = factories.ClaimFactory(coverage=coverage)
    assert (sqlite_index_rows(Quote), sqlite_index_rows(Claim)) == ([quote.pk], [claim.pk])
    coverage.delete()  # quotes and claims go with it, by cascade
    assert (sqlite_index_rows(Coverage), sqlite_index_rows(Quote), sqlite_index_rows(Claim)) == ([], [], [])


def test_rebuild_search_index_restores_a_wiped_index(coverage):
    quote = factories.QuoteFactory(coverage=coverage, text="Robots will fold the laundry.")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{sqlite_search_table(Quote._meta.db_table)}"')
        assert found("quotes", "laundry") == set()
    call_command("rebuild_search_index")
    assert found("quotes", "laundry") == {quote.pk}


def test_every_word_must_match_and_words_are_stemmed(coverage):
    both = factories.ClaimFactory(coverage=coverage, statement="Factories are training robots.")
    factories.ClaimFactory(coverage=coverage, statement="Factories hire people.")
    assert found("claims", "factory robot") == {both.pk}
    assert found("claims", "trains") == {both.pk}


def test_results_are_ranked_by_relevance_on_either_database(coverage):
    """Best match first, not first saved: on SQLite by FTS5's bm25, on PostgreSQL by ts_rank."""
    passing = factories.ClaimFactory(
        coverage=coverage,
        statement="Grid operators, utilities, regulators and chip makers all weigh in, and robots "
        "come up once among many other subjects in a long and winding statement about power.",
    )
    focused = factories.ClaimFactory(coverage=coverage, statement="Robots, robots: factories of robots.")
    results = search.search("robots", preview=False, now=timezone.now(), start=0, stop=100)
    assert [claim.pk for claim in results["claims"]] == [focused.pk, passing.pk]


@pytest.mark.parametrize("query", ["robots*", "(robots", '"robots', "robots)", "robots^", "ROBOTS"])
def test_query_syntax_around_a_word_is_just_text(coverage, query):
    quote = factories.QuoteFactory(coverage=coverage, text="Robots and people.")
    assert found("quotes", query) == {quote.pk}


@pytest.mark.parametrize("query", ['"', "-", "^", "''", "()", "*:"])
def test_punctuation_alone_finds_nothing_and_breaks_nothing(coverage, query):
    factories.QuoteFactory(coverage=coverage, text="Robots and people.")
    assert found("quotes", query) == set()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's FTS5 tables; PostgreSQL has stored documents"
)
@pytest.mark.parametrize("model", [Coverage, Quote, Claim, Commentary])
def test_sqlite_full_text_index_covers_exactly_the_search_fields(model):
    with connection.cursor() as cursor:
        cursor.execute(f'PRAGMA table_info("{sqlite_search_table(model._meta.db_table)}")')
        assert tuple(row[1] for row in cursor.fetchall()) == model.SEARCH_FIELDS


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's stored documents: its pass of .ci/run"
)
@pytest.mark.parametrize("model", [Coverage, Quote, Claim, Commentary])
def test_stored_document_is_the_search_fields_document_and_follows_edits(article, model):
    """Migration 0009 writes the document's SQL itself: it must be the one Django would build
    from SEARCH_FIELDS, the fields SQLite's FTS5 tables hold too."""
    document = search_document(model)

    def documents():
        rows = model.objects.annotate(
            stored=document, built=SearchVector(*model.SEARCH_FIELDS, config=SEARCH_LANGUAGE)
        ).values_list("stored", "built")
        return list(rows)

    before = documents()
    assert before and all(stored == built for stored, built in before)
    item = model.objects.first()
    first, *others = model.SEARCH_FIELDS
    setattr(item, first, "Freshly edited words")
    for field in others:
        setattr(item, field, "")
    item.save()
    assert all(stored == built for stored, built in documents())
    assert model.objects.annotate(stored=document).get(pk=item.pk).stored == "'edit':2 'fresh':1 'word':3"
    matching = model.objects.alias(document=document).filter(document=SearchQuery("freshly"))
    assert list(matching) == [item]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans: runs in its pass of .ci/run"
)
def test_queries_are_planned_once_but_full_text_searches_are_planned_for_their_words(
    client, editor, article, monkeypatch
):
    """dialogues.perf.postgres: prepared queries run with a generic plan, made once without their
    parameters; full-text queries go with their words written in, so their plan knows them."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    sent = []
    send = ServerBindingCursor.execute

    def recording(self, query, params=None, **kwargs):
        sent.append((query, params))
        return send(self, query, params, **kwargs)

    monkeypatch.setattr(ServerBindingCursor, "execute", recording)
    client.force_login(editor)  # past the page cache: every request runs the search
    for _ in range(4):
        assert "CoreWeave" in client.get("/search/", {"q": "CoreWeave"}).content.decode()
    full_text = [(query, params) for query, params in sent if " @@ " in query]
    assert len(full_text) == 4 * 4  # coverage, quotes, claims and commentary, each time
    assert all(params is None and "'CoreWeave'" in query for query, params in full_text)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    # The speaker name match is prepared, and planned once; the full-text matches are not prepared.
    name_match = [row for row in prepared if "dialogues_speakeralias" in row[0]]
    assert name_match and all(generic > 0 and custom == 0 for _statement, generic, custom in name_match)
    assert not any("@@" in statement for statement, *_plans in prepared), prepared


def _speakers_found(query):
    results = search.search(query, preview=True, now=timezone.now(), start=0, stop=100)
    return {speaker.pk for speaker in results["speakers"]}


def test_name_match_follows_create_rename_alias_and_delete(db):
    speaker = factories.SpeakerFactory(name="Zyxwvut Quorra")
    assert _speakers_found("xwvut q") == {speaker.pk}
    speaker.name = "Plimsoll Quorra"
    speaker.save()
    assert _speakers_found("xwvut") == set()
    assert _speakers_found("PLIMSOLL") == {speaker.pk}
    alias = SpeakerAlias.objects.create(speaker=speaker, name="柯若拉", language="zh")
    assert _speakers_found("柯若拉") == {speaker.pk}
    alias.delete()
    assert _speakers_found("柯若拉") == set()
    speaker.delete()
    assert _speakers_found("plimsoll") == set()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("若拉", {"柯若拉"}),
        ("0% O", {"100% Open"}),  # a wildcard is a character, not a wildcard
        ("0_O", {"10_Open"}),
        ("pen", {"100% Open", "100 Open", "10_Open"}),
    ],
)
def test_short_names_and_wildcards_match_as_text(db, query, names):
    for name in ("柯若拉", "100% Open", "100 Open", "10_Open"):
        factories.SpeakerFactory(name=name)
    results = search.search(query, preview=True, now=timezone.now(), start=0, stop=100)
    assert {speaker.name for speaker in results["speakers"]} == names


# Searching the way readers search: any name of a speaker, typos, every kind of thing.


def results(query, *, preview=False):
    return search.search(query, preview=preview, now=timezone.now(), start=0, stop=100)


def slugs(query, kind, *, preview=False):
    return {item.slug for item in results(query, preview=preview)[kind]}


@pytest.mark.parametrize("query", ["Jensen Huang", "黄仁勋", "黃仁勳", "huang renxun"])
def test_a_speakers_name_in_any_script_finds_the_article_and_everything_he_said(article, query):
    huang = Speaker.objects.get(slug="huang-renxun")
    found = results(query)
    assert [speaker.slug for speaker in found["speakers"]] == ["huang-renxun"]
    assert [coverage.pk for coverage in found["coverage"]] == [article.pk]
    his_quotes = set(Quote.objects.published().by_speaker(huang).values_list("slug", flat=True))
    his_claims = set(Claim.objects.published().by_speaker(huang).values_list("slug", flat=True))
    assert his_quotes and his_claims
    assert his_quotes <= {quote.slug for quote in found["quotes"]}
    assert his_claims <= {claim.slug for claim in found["claims"]}
    assert "nvidia" in {organization.slug for organization in found["organizations"]}  # where he works


@pytest.mark.parametrize("query", ["黄仁", "黃仁", "Jensen", "jen-hsun"])
def test_part_of_one_speakers_name_finds_what_he_said_too(article, query):
    """A reader who types part of a name, a given name alone or two characters of a Chinese
    one, means the one speaker who has it."""
    huang = Speaker.objects.get(slug="huang-renxun")
    found = results(query)
    assert [speaker.slug for speaker in found["speakers"]] == ["huang-renxun"]
    assert [coverage.pk for coverage in found["coverage"]] == [article.pk]
    his_quotes = set(Quote.objects.published().by_speaker(huang).values_list("slug", flat=True))
    assert his_quotes <= {quote.slug for quote in found["quotes"]}


def test_a_part_that_names_several_or_only_part_of_a_word_names_no_one(article):
    factories.SpeakerFactory(name="Jensen Lindqvist", slug="lindqvist")
    factories.QuoteFactory(speakers=[Speaker.objects.get(slug="lindqvist")])
    assert search.speakers_named("Jensen", preview=False).speaker_ids == ()  # two Jensens
    assert search.speakers_named("Renx", preview=False).speaker_ids == ()  # not a whole word
    assert search.speakers_named("黄", preview=False).speaker_ids == ()  # one character is no name
    # The part that stays one speaker's still is.
    assert search.speakers_named("Lindqvist", preview=False).speaker_ids == (
        Speaker.objects.get(slug="lindqvist").pk,
    )


def test_part_of_a_draft_speakers_name_names_no_one_for_readers(coverage):
    hidden = factories.SpeakerFactory(name="Quillon Vask", slug="quillon")
    assert search.speakers_named("Quillon", preview=False).speaker_ids == ()
    assert search.speakers_named("Quillon", preview=True).speaker_ids == (hidden.pk,)


def test_a_name_with_other_words_finds_what_is_by_or_about_them_and_says_those_words(article):
    """ "Jensen Huang open source": his name is written in the query, so his things count, but
    only those that also say "open source"; the topic the other words name is found too."""
    found = results("Jensen Huang open source")
    assert [speaker.slug for speaker in found["speakers"]] == ["huang-renxun"]
    assert [topic.slug for topic in found["topics"]] == ["open-source"]
    assert found["coverage"] and found["claims"]
    for claim in found["claims"]:
        text = f"{claim.statement} {claim.anchor_exact}".lower()
        assert "open" in text and "source" in text, claim.slug
    assert "huang-ai-digital-partner" not in {quote.slug for quote in found["quotes"]}


@pytest.mark.parametrize("query", ["Jensen Huang quotes", "jensen huang's", "黄仁勋 说"])
def test_words_asking_for_a_kind_of_thing_do_not_narrow_a_name(article, query):
    huang = Speaker.objects.get(slug="huang-renxun")
    his_quotes = set(Quote.objects.published().by_speaker(huang).values_list("slug", flat=True))
    assert his_quotes <= slugs(query, "quotes")


def test_two_names_in_one_query_find_both(article):
    named = search.names_in("王坚 阿里云", preview=False)
    assert named.speaker_ids == (Speaker.objects.get(slug="wang-jian").pk,)
    assert "Alibaba Cloud" in named.names and named.rest == ""
    assert "alibaba-cloud" in slugs("王坚 阿里云", "organizations")


def test_names_within_a_query_are_read_once_per_content_generation(article, django_assert_num_queries):
    with django_assert_num_queries(4):  # the whole query as a name, as a part, names within, aliases
        named = search.names_in("Jensen Huang open source", preview=False)
    assert named.rest == "open source"
    with django_assert_num_queries(0):
        assert search.names_in("Jensen Huang open source", preview=False) == named


@pytest.mark.parametrize(
    ("chinese", "english"), [("开源", "open source"), ("黄仁勋 开源", "Jensen Huang open source")]
)
def test_a_topics_chinese_name_finds_what_its_name_finds(article, chinese, english):
    """Alone or beside a speaker's name, "开源" reads as the topic it names, Open source."""
    for kind in ("coverage", "quotes", "claims", "commentary", "topics"):
        assert slugs(chinese, kind) == slugs(english, kind), kind
    assert slugs(chinese, "claims")


def test_topic_names_cost_an_english_query_nothing(article, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search.with_topic_names("open source") == "open source"
    with django_assert_num_queries(1):
        assert search.with_topic_names("物理AI 开源") == "Physical AI Open source"
    with django_assert_num_queries(0):  # once per content generation
        search.with_topic_names("物理AI 开源")


def test_speakers_named_reads_every_name_once_per_content_generation(article, django_assert_num_queries):
    with django_assert_num_queries(2):
        named = search.speakers_named("JENSEN HUANG", preview=False)
    assert set(named.names) >= {"Huang Renxun", "Jensen Huang", "黄仁勋", "黃仁勳"}
    with django_assert_num_queries(0):
        assert search.speakers_named("Jensen Huang", preview=False) == named


def test_a_draft_speakers_aliases_expand_nothing_for_readers(coverage):
    hidden = factories.SpeakerFactory(name="Quillon Vask", slug="quillon")
    SpeakerAlias.objects.create(speaker=hidden, name="Ada", language="en")  # as a published name reads
    assert search.speakers_named("Quillon Vask", preview=False).names == ()
    assert "Ada" in search.speakers_named("Quillon Vask", preview=True).names


@pytest.mark.parametrize(
    ("typo", "suggested", "kind", "slug"),
    [
        ("Jensen Haung", "Jensen Huang", "speakers", "huang-renxun"),
        ("coreweeve", "CoreWeave", "claims", "coreweave-market-value-tripled"),
        ("NVDIA", "NVIDIA", "organizations", "nvidia"),
        ("opensource", "open source", "topics", "open-source"),
    ],
)
def test_typos_get_a_suggestion_that_finds_what_was_meant(article, typo, suggested, kind, slug):
    assert not any(results(typo).values())
    assert search.suggestion(typo, preview=False, now=timezone.now()) == suggested
    assert slug in slugs(suggested, kind)


def test_no_suggestion_for_a_query_spelled_as_indexed(article):
    assert search.suggestion("CoreWeave", preview=False, now=timezone.now()) is None
    assert search.suggestion("!!", preview=False, now=timezone.now()) is None


def test_a_drafts_words_are_neither_found_nor_suggested_to_readers(coverage):
    draft = factories.CoverageFactory(dialogue=coverage.dialogue, draft=True, title="Draft")
    factories.QuoteFactory(coverage=draft, text="The zorblaxian engines hum.")
    factories.ClaimFactory(coverage=draft, statement="Zorblaxian output doubled.")
    assert not any(results("zorblaxian").values())
    assert search.suggestion("zorblaxan", preview=False, now=timezone.now()) is None
    assert search.suggestion("zorblaxian", preview=False, now=timezone.now()) is None
    # Staff previews find the draft, and get the suggestion.
    assert results("zorblaxian", preview=True)["quotes"]
    assert search.suggestion("zorblaxan", preview=True, now=timezone.now()) == "zorblaxian"


def test_topics_organizations_products_and_commentary_are_found(article):
    assert slugs("physical ai", "topics") == {"physical-ai"}
    assert "nvidia" in slugs("nvidia", "organizations")
    assert {"cuda", "nvlink", "nvlink-fusion", "la-proteina"} <= slugs("nvidia", "products")  # by maker
    assert slugs("NVLink", "products") == {"nvlink", "nvlink-fusion"}
    assert "the-signal-from-parameters-to-the-physical-world" in slugs("marker of a turn", "commentary")


def test_the_article_body_is_searched_and_its_passage_marked(article):
    # A phrase only in the body (source_text), not in the title or dek.
    assert "Mila" not in article.title + article.dek and "Mila" in article.source_text
    (found,) = results("Mila")["coverage"]
    assert found.pk == article.pk
    assert "<mark>Mila</mark>" in found.passage


def test_passages_are_escaped_and_mark_every_match(coverage):
    coverage.source_text = "Before <script>alert(1)</script> the zeppelins & more Zeppelin talk."
    coverage.save()
    (found,) = results("zeppelin")["coverage"]
    assert str(found.passage) == (
        "Before &lt;script&gt;alert(1)&lt;/script&gt; the <mark>zeppelins</mark> &amp; more "
        "<mark>Zeppelin</mark> talk."
    )


def test_passage_is_cut_to_whole_words_around_the_first_match():
    text = " ".join(f"word{n}" for n in range(200)) + " needle " + " ".join(f"tail{n}" for n in range(200))
    found = str(search.passage(text, search.highlighting(["needle"]), width=100))
    assert found.startswith("…word") and found.endswith("…") and "<mark>needle</mark>" in found
    assert all(piece.startswith(("word", "tail", "<mark>", "…")) for piece in found.split())


def test_commentary_follows_edits_and_deletes(coverage):
    note = Commentary.objects.create(
        coverage=coverage, slug="on-kites", title="On kites", body="Kites fly high."
    )
    assert slugs("kites", "commentary") == {note.slug}
    note.body = "Balloons float."
    note.save()
    assert slugs("balloons", "commentary") == {note.slug}
    note.delete()
    assert slugs("balloons", "commentary") == set()


def vocabulary():
    from dialogues.db_operations import SEARCH_TERMS_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {SEARCH_TERMS_TABLE}")
        return {row[0] for row in cursor.fetchall()}


def test_vocabulary_takes_in_saved_words_and_names_and_rebuilds(coverage):
    factories.QuoteFactory(coverage=coverage, text="Quixotic robots, 2025 of them, go.")
    factories.SpeakerFactory(name="Ximena Oduya")
    assert {"quixotic", "robots", "ximena", "oduya"} <= vocabulary()
    assert not {"2025", "go", "of"} & vocabulary()  # numbers and short words are not suggested
    with connection.cursor() as cursor:
        from dialogues.db_operations import SEARCH_TERMS_TABLE

        cursor.execute(f"DELETE FROM {SEARCH_TERMS_TABLE}")
    call_command("rebuild_search_index")
    assert {"quixotic", "robots", "ximena", "oduya"} <= vocabulary()


def test_passages_leave_short_common_words_unmarked():
    found = str(
        search.passage("The marker of a turn in the industry.", search.highlighting(["marker of a turn"]))
    )
    assert found == "The <mark>marker</mark> of a <mark>turn</mark> in the industry."


def test_an_organizations_chinese_name_finds_it_and_what_names_it(client, article):
    """Organizations go by aliases as speakers do (models.Alias): "英伟达" is NVIDIA, and the
    quotes, claims and coverage that say "NVIDIA" are found by it, in both languages."""
    from dialogues.models import Organization

    assert set(Organization.objects.named("英伟达").values_list("slug", flat=True)) == {"nvidia"}
    assert set(Organization.objects.name_contains("阿里").values_list("slug", flat=True)) == {"alibaba-cloud"}
    for prefix in ("", "/zh-hans"):
        page = client.get(f"{prefix}/search/?q=英伟达").content.decode()
        # Its name is written in English: a Chinese page says so.
        assert ("<h3>NVIDIA</h3>" if not prefix else '<h3 lang="en">NVIDIA</h3>') in page
        assert (
            'id="results-coverage"' in page and 'id="results-quotes"' in page or 'id="results-claims"' in page
        )
        assert "<mark>NVIDIA</mark>" in page
    assert "<h3>Alibaba Cloud</h3>" in client.get("/search/?q=阿里云").content.decode()


def test_what_is_named_as_asked_comes_first(client, article):
    # "Physical AI" is a topic's name: the topic leads, before the coverage and claims that use it.
    groups = client.get("/search/", {"q": "physical AI"}).context["results"]()["groups"]
    assert groups[0]["kind"] == "topics" and groups[0]["items"][0].slug == "physical-ai"
    assert {"coverage", "claims"} <= {group["kind"] for group in groups[1:]}
    # An organization named by an alias leads too, as the speaker named does.
    groups = client.get("/search/", {"q": "英伟达"}).context["results"]()["groups"]
    assert groups[0]["kind"] == "organizations" and groups[0]["items"][0].slug == "nvidia"


def test_passages_mark_whole_terms_and_hyphenated_terms_as_one(article):
    pattern = search.highlighting(["La-Proteina"])
    found = str(search.passage("A dialogue lasting an hour; launched La-Proteina, a protein model.", pattern))
    assert found == "A dialogue lasting an hour; launched <mark>La-Proteina</mark>, a protein model."
    # The article's passage is where the term is, not its introduction.
    (coverage,) = results("La-Proteina")["coverage"]
    assert "<mark>La-Proteina</mark>" in coverage.passage and "lasting" not in coverage.passage


def test_a_passage_is_where_most_of_the_query_is():
    text = "AI, AI and AI again. " * 20 + "Here Physical AI begins. " + "Tail words. " * 30
    found = str(search.passage(text, search.highlighting(["Physical AI"]), width=100))
    assert "<mark>Physical</mark> <mark>AI</mark>" in found


def test_a_topics_chinese_name_finds_it_and_leads_as_its_name_would(client, article):
    """Topics go by aliases as organizations do (models.TopicAlias): "开源" is Open source, found
    on both languages' search pages, and leading the page as "Open source" would."""
    from dialogues.models import Topic

    for prefix in ("", "/zh-hans"):
        page = client.get(f"{prefix}/search/?q=开源").content.decode()
        assert 'href="' + prefix + '/topics/open-source/">Open source</a></h3>' in page
    groups = client.get("/search/", {"q": "开源"}).context["results"]()["groups"]
    assert groups[0]["kind"] == "topics" and groups[0]["items"][0].slug == "open-source"
    # Part of an alias finds the topic too, and an alias in another letter case is still exact.
    assert slugs("边缘", "topics") == {"edge-computing"}
    assert results("物理ai")["topics"][0].names_the_query
    # Named exactly by an alias, it comes before a topic that merely holds the word.
    Topic.objects.create(slug="about-open", name="A 开源 primer")  # on nothing published: a preview's
    assert [topic.slug for topic in results("开源", preview=True)["topics"]] == ["open-source", "about-open"]
