from django import forms
from django.db import models


class HttpsURLField(models.URLField):
    """A URL whose form field reads a bare "example.com" as https, Django 6's default, now."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.URLField, "assume_scheme": "https", **kwargs})
