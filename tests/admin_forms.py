"""Build the POST data a browser would send for an admin change form, from the GET response."""

import datetime

from django import forms
from django.utils import timezone

from dialogues.newsroom import newsroom_zone


def _encode(value):
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _as_shown(value):
    """An aware time as the admin prints it: in the newsroom's zone (dialogues.newsroom)."""
    return timezone.localtime(value, newsroom_zone()) if timezone.is_aware(value) else value


def _add_field(data, bound_field):
    value = bound_field.value()
    if isinstance(value, bool):
        if value:
            data[bound_field.html_name] = "on"
        return
    if isinstance(value, (list, tuple)):
        data[bound_field.html_name] = [str(_encode(v)) for v in value]
        return
    if isinstance(value, datetime.datetime) and isinstance(
        bound_field.field.widget, forms.SplitDateTimeWidget
    ):
        value = _as_shown(value)
        data[f"{bound_field.html_name}_0"] = value.date().isoformat()
        data[f"{bound_field.html_name}_1"] = value.time().strftime("%H:%M:%S")
        return
    data[bound_field.html_name] = _encode(value)


def change_form_data(response, **changes):
    data = {}
    form = response.context["adminform"].form
    for bound_field in form:
        _add_field(data, bound_field)
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        for bound_field in formset.management_form:
            data[bound_field.html_name] = _encode(bound_field.value())
        for inline_form in formset.forms:
            for bound_field in inline_form:
                _add_field(data, bound_field)
    # The split date/time widget posts two fields.
    for name, field in form.fields.items():
        # (The admin's AdminSplitDateTime is one.)
        if isinstance(field.widget, forms.SplitDateTimeWidget) and name in data:
            value = form[name].value()
            data.pop(name)
            if isinstance(value, datetime.datetime):
                value = _as_shown(value)
                data[f"{name}_0"] = value.date().isoformat()
                data[f"{name}_1"] = value.time().strftime("%H:%M:%S")
            else:
                data[f"{name}_0"] = data[f"{name}_1"] = ""
    data.update(changes)
    return data
