"""The "Import coverage" form: what the admin view and the API validate alike."""

from django import forms

from dialogues.importing.text import MAX_BYTES, ImportInputError, check_text, decode
from dialogues.models import Dialogue
from dialogues.validators import validate_language_tag

FORMATS = [("auto", "Detect"), ("text", "Plain text"), ("markdown", "Markdown"), ("html", "HTML")]
# What each submitted field is called, on this form and in the API (its OPTIONS and browsable
# form): the same words in both.
LABELS = {
    "text": "Article",
    "file": "File",
    "format": "Format",
    "title": "Title",
    "dialogue": "Dialogue",
    "source_publication": "Source publication",
    "original_url": "Original URL",
    "original_published_on": "Originally published on",
    "language": "Language",
}


class ImportCoverageForm(forms.Form):
    text = forms.CharField(
        label=LABELS["text"],
        required=False,
        # No max_length: it would put a maxlength on the textarea and the browser would cut a
        # longer paste silently. The site refuses request bodies over 1 MB
        # (DATA_UPLOAD_MAX_MEMORY_SIZE) with a page saying to upload the text as a file, which
        # does not count against it.
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        help_text="Paste the article as plain text, Markdown or HTML (up to 1 MB; upload a file for up to 5 MB).",
    )
    file = forms.FileField(
        label=LABELS["file"],
        required=False,
        help_text="…or upload it as a UTF-8 text, Markdown or HTML file.",
    )
    format = forms.ChoiceField(label=LABELS["format"], choices=FORMATS, initial="auto")
    title = forms.CharField(
        label=LABELS["title"],
        max_length=300,
        required=False,
        help_text="Empty: the article's first line if it reads as a headline, else its first words.",
    )
    dialogue = forms.ModelChoiceField(
        label=LABELS["dialogue"],
        queryset=Dialogue.objects.select_related("event").order_by("-held_on", "title"),
        help_text="The dialogue the article covers; “+” adds a new one (and its event) without leaving this page.",
    )
    source_publication = forms.CharField(label=LABELS["source_publication"], max_length=200, required=False)
    original_url = forms.URLField(
        label=LABELS["original_url"], max_length=500, required=False, assume_scheme="https"
    )
    original_published_on = forms.DateField(
        label=LABELS["original_published_on"],
        required=False,
        help_text="YYYY-MM-DD; figures said to hold “now” hold on this date.",
    )
    language = forms.CharField(
        label=LABELS["language"], max_length=20, initial="en", validators=[validate_language_tag]
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        try:
            if upload is not None:
                if upload.size > MAX_BYTES:
                    raise ImportInputError(
                        f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB."
                    )
                data["text"] = decode(upload.read())
            check_text(data.get("text"), source="file" if upload is not None else "text")
        except ImportInputError as error:
            self.add_error("file" if upload is not None else "text", str(error))
        return data
