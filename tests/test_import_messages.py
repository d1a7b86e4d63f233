"""What the import assistant says, as an outside tester read it (issue #25, second round):
figures as readers write them, counts that add up, and the command's one-line reasons."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dialogues.importing.service import import_coverage, merge
from dialogues.management.commands.import_coverage import Command
from dialogues.models import ImportProposal
from tests.factories import DialogueFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Robots at Work\n\n"
    '"Every factory will teach its robots something new," Ada Lovelace said. '
    '"Every robot will need a brain of its own," Ada Lovelace said.\n'
)


@pytest.fixture
def dialogue(db):
    return DialogueFactory(
        slug="robots", event__slug="summit", speakers=[SpeakerFactory(name="Ada Lovelace", slug="ada")]
    )


@pytest.mark.parametrize(
    ("data", "summary"),
    [
        (
            {"label": "Market value", "value": "4500000000", "unit": "USD", "qualifier": "about"},
            "Market value: about US$4.5 billion",
        ),
        (
            {"label": "As early as", "value": "2", "unit": "months", "qualifier": "exact"},
            "As early as: 2 months",
        ),
        ({"label": "Typed", "value": "lots", "unit": "USD", "qualifier": "exact"}, "Typed: lots USD"),
    ],
)
def test_a_figure_proposal_reads_as_readers_will_see_it(data, summary):
    assert ImportProposal(kind="figure", data=data).summary == summary


def test_the_review_counts_merged_proposals(client, editor, dialogue):
    coverage = import_coverage(by=editor, text=TEXT, dialogue=dialogue).coverage
    merge(proposals=list(ImportProposal.objects.filter(kind="quote")), by=editor)
    client.force_login(editor)
    page = client.get(reverse("admin:dialogues_import_review", args=[coverage.pk])).content.decode()
    assert "1 merged into another" in page


def run(path, **options):
    arguments = {"event": "summit", "dialogue": "robots", "user": "editor", **options}
    call_command("import_coverage", str(path), stdout=(out := io.StringIO()), **arguments)
    return out.getvalue()


def test_the_command_prints_where_to_review(tmp_path, editor, dialogue):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = run(path)
    review = reverse("admin:dialogues_import_review", args=[ImportProposal.objects.first().coverage_id])
    assert out.rstrip().endswith(f"Review them at {review}")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "No such file: {path}"),
        (lambda tmp: tmp, "{path} is a directory"),
        (
            lambda tmp: (tmp / "u16.txt", (tmp / "u16.txt").write_bytes(TEXT.encode("utf-16")))[0],
            "The file is not UTF-8 text (it looks like UTF-16): save it as UTF-8.",
        ),
        (
            lambda tmp: (tmp / "u16le.txt", (tmp / "u16le.txt").write_bytes(TEXT.encode("utf-16-le")))[0],
            "The file is not UTF-8 text (it looks like UTF-16): save it as UTF-8.",
        ),
        (
            lambda tmp: (tmp / "empty.txt", (tmp / "empty.txt").write_bytes(b"  \n"))[0],
            "The file is empty: choose the file with the article's text.",
        ),
    ],
)
def test_the_command_says_what_is_wrong_with_the_file_in_words(tmp_path, editor, dialogue, make, message):
    path = make(tmp_path)
    with pytest.raises(CommandError) as error:
        run(path)
    assert str(error.value) == message.format(path=path)
    assert "paste" not in str(error.value)


def test_a_missing_option_is_one_line_not_the_usage(capsys):
    command = Command()
    command._called_from_command_line = True  # as run_from_argv sets it
    parser = command.create_parser("manage.py", "import_coverage")
    with pytest.raises(SystemExit):
        parser.parse_args(["article.txt", "--event", "summit"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "manage.py import_coverage: error: the following arguments are required: --dialogue, --user"
    ]
