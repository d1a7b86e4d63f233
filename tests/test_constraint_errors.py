"""A row that breaks a unique constraint is an error on the field a person changes to fix it,
named in plain words, in the admin and the API alike (``ConstraintErrorsOnFields``), never a
form-wide “Constraint … is violated.”"""

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import UniqueConstraint
from django.urls import reverse

from dialogues.models import Organization, Speaker

pytestmark = pytest.mark.django_db

# Rows only code writes, never a person: a violation there is a bug, not a form error.
WRITTEN_BY_CODE_ONLY = {"former_slug_once_per_model", "public_record_once_per_item"}


def unique_constraints():
    for model in apps.get_app_config("dialogues").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name not in WRITTEN_BY_CODE_ONLY:
                yield model, constraint


@pytest.mark.parametrize(
    ("model", "constraint"), list(unique_constraints()), ids=lambda value: getattr(value, "name", "")
)
def test_every_unique_constraint_reports_on_a_field_in_plain_words(article, model, constraint):
    assert constraint.name in getattr(model, "constraint_fields", {}), constraint.name
    assert "is violated" not in constraint.violation_error_message
    if model is Speaker:
        original = Speaker.objects.exclude(wikidata_id="").first()
    else:
        original = model._default_manager.first()
    assert original is not None, f"the article has no {model.__name__}"
    copy = model._default_manager.get(pk=original.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    if hasattr(copy, "slug"):
        copy.slug = f"{original.slug}-copy"
    with pytest.raises(ValidationError) as raised:
        copy.validate_constraints()
    errors = raised.value.message_dict
    field = model.constraint_fields[constraint.name]
    assert NON_FIELD_ERRORS not in errors, errors
    assert "{holder}" not in errors[field][0], errors


def test_an_organizations_name_in_another_case_is_a_field_error_naming_the_holder(
    api_client, editor, article
):
    holder = Organization.objects.get(name="NVIDIA")
    api_client.force_authenticate(editor)
    response = api_client.post(
        "/api/v1/organizations/", {"slug": "nvidia-2", "name": "Nvidia"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == {"name": [f"An organization with this name exists: {holder.slug}."]}
    holder.name = "NVIDIA Corporation"  # changing one's own name in case only is not a clash
    holder.full_clean()


def test_the_admin_puts_the_clash_on_the_name_field(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("admin:dialogues_organization_add"), {"slug": "nvidia-2", "name": "nvidia", "kind": "company"}
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["name"] == ["An organization with this name exists: nvidia."]
    assert NON_FIELD_ERRORS not in form.errors
