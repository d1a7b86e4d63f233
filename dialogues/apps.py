from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.signals import request_started
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save


def _no_history_for_loaded_rows(sender, instance, raw, **kwargs):
    """Rows loaded from a fixture or a backup (``raw``) are not edits: simple_history skips their
    save but not their many-to-many links, which would add a history row to every restored
    object. Its own flag makes it skip both."""
    if raw:
        instance.skip_history_when_saving = True


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = "Dialogue Desk"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        from dialogues import changes, search_index, webhooks
        from dialogues.caching import content_changed, remember_visibility
        from dialogues.fragments import entities_changed
        from dialogues.models import (
            Change,
            ChangeFeedState,
            Correction,
            FormerSlug,
            PublicRecord,
            WebhookDelivery,
        )
        from dialogues.models.base import (
            SluggedModel,
            forget_former_slugs,
            record_slug_change,
            remember_stored_slug,
        )
        from dialogues.security import cors_reads_from_anywhere

        # Any change to any of our models may show on a public page: start a new generation.
        # The change feed's and the webhooks' own bookkeeping shows nowhere; nor does slug
        # history, written with the rename that already counts as a change.
        feed_bookkeeping = (Change, ChangeFeedState, PublicRecord, WebhookDelivery, FormerSlug)
        for model in self.get_models():
            if issubclass(model, SluggedModel):
                # Old slugs keep answering (a 301 to the new one), however the rename was saved.
                uid = f"dialogue-desk-slugs-{model._meta.label_lower}"
                pre_save.connect(remember_stored_slug, sender=model, dispatch_uid=uid + "-before")
                post_save.connect(record_slug_change, sender=model, dispatch_uid=uid + "-save")
                post_delete.connect(forget_former_slugs, sender=model, dispatch_uid=uid + "-delete")
            if model in feed_bookkeeping:
                continue
            uid = f"dialogue-desk-cache-{model._meta.label_lower}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
            post_save.connect(entities_changed, sender=model, dispatch_uid=uid + "-entities-save")
            post_delete.connect(entities_changed, sender=model, dispatch_uid=uid + "-entities-delete")
            pre_save.connect(_no_history_for_loaded_rows, sender=model, dispatch_uid=uid + "-raw")
            pre_save.connect(remember_visibility, sender=model, dispatch_uid=uid + "-visibility")
            # Before a delete, links still stand: what showed the row can be found.
            pre_delete.connect(changes.deleting, sender=model, dispatch_uid=uid + "-changes-delete")
            pre_save.connect(changes.remember_shown, sender=model, dispatch_uid=uid + "-changes-before")
            post_save.connect(changes.saved, sender=model, dispatch_uid=uid + "-changes-save")
        m2m_changed.connect(changes.links_changed, dispatch_uid="dialogue-desk-changes-m2m")
        check_request_enabled.connect(cors_reads_from_anywhere, dispatch_uid="dialogue-desk-cors-reads")
        m2m_changed.connect(content_changed, dispatch_uid="dialogue-desk-cache-m2m")
        m2m_changed.connect(entities_changed, dispatch_uid="dialogue-desk-entities-m2m")
        # Webhooks' outbox is written in the transaction of the change it reports.
        for model in webhooks.RESOURCES:
            uid = f"dialogue-desk-webhooks-{model._meta.label_lower}"
            pre_save.connect(webhooks.remember_goes_live_at, sender=model, dispatch_uid=uid + "-before")
            post_save.connect(webhooks.saved, sender=model, dispatch_uid=uid + "-save")
        post_save.connect(
            webhooks.corrected, sender=Correction, dispatch_uid="dialogue-desk-webhooks-correction"
        )
        request_started.connect(
            webhooks.courier_for_the_server, dispatch_uid="dialogue-desk-webhooks-courier"
        )
        # SQLite's search index follows every save and delete (a no-op on PostgreSQL); the
        # vocabulary of search terms takes in every saved word, on both.
        for model in search_index.searchable_models():
            uid = f"dialogue-desk-search-{model._meta.label_lower}"
            post_save.connect(search_index.saved, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(search_index.deleted, sender=model, dispatch_uid=uid + "-delete")
        for model in search_index.named_models():
            uid = f"dialogue-desk-search-terms-{model._meta.label_lower}"
            post_save.connect(search_index.name_saved, sender=model, dispatch_uid=uid)


class DeskAdminConfig(admin_apps.AdminConfig):
    """The admin site is the newsroom's: its home is the desk (``dialogues.desk``)."""

    default = False  # ``dialogues`` itself is DialoguesConfig; settings name this one
    default_site = "dialogues.desk.DeskAdminSite"

    def ready(self):
        super().ready()  # every app's admin module, django.contrib.auth's among them
        # Then users and their roles, in place of auth's own user admin.
        from dialogues import admin_users  # noqa: F401
