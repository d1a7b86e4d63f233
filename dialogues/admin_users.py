"""Users and their newsroom roles in the admin (POLICY.md, Roles): a Managing editor adds
accounts and gives each one role; Editors and Contributors never see users or tokens (their
roles carry no permission on them). Superusers are the operators': a Managing editor neither
sees nor makes one, and gives no permission outside the roles."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from dialogues import services
from dialogues.permissions import ROLES

User = get_user_model()

ROLE_CHOICES = [("", "None: cannot use the admin"), *((role, role) for role in ROLES)]
ROLE_HELP = (
    "Contributor: writes drafts and proposes changes. Editor: also approves, publishes, schedules "
    "and corrects. Managing editor: also manages users and their roles."
)


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ROLE_CHOICES, required=False, help_text=ROLE_HELP, **kwargs)


class RoleChangeForm(UserChangeForm):
    role = RoleField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = services.user_role(self.instance) or ""

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned:
            services.keeps_a_managing_editor(
                user=self.instance, role=cleaned["role"] or None, is_active=cleaned.get("is_active", True)
            )
        return cleaned


class RoleCreationForm(AdminUserCreationForm):
    role = RoleField()


@admin.display(description="role")
def role_column(user):
    return services.user_role(user) or ("operator" if user.is_superuser else "—")


class NewsroomUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", role_column, "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    # What a Managing editor edits: who the person is and their role, not raw permissions.
    role_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Role", {"fields": ["role", "is_active"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    role_add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2", "role"],
            },
        ),
    ]

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.role_add_fieldsets if obj is None else self.role_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = RoleCreationForm if obj is None else RoleChangeForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: their proposals and reviews keep their names.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "role" in form.cleaned_data:
            services.user_set_role(
                user=form.instance, role=form.cleaned_data["role"] or None, by=request.user
            )


admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
