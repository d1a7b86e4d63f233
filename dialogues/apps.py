from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save


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

        from dialogues import search_index
        from dialogues.caching import content_changed, remember_visibility
        from dialogues.fragments import entities_changed
        from dialogues.security import cors_reads_from_anywhere

        # Any change to any of our models may show on a public page: start a new generation.
        for model in self.get_models():
            uid = f"dialogue-desk-cache-{model._meta.label_lower}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
            post_save.connect(entities_changed, sender=model, dispatch_uid=uid + "-entities-save")
            post_delete.connect(entities_changed, sender=model, dispatch_uid=uid + "-entities-delete")
            pre_save.connect(_no_history_for_loaded_rows, sender=model, dispatch_uid=uid + "-raw")
            pre_save.connect(remember_visibility, sender=model, dispatch_uid=uid + "-visibility")
        check_request_enabled.connect(cors_reads_from_anywhere, dispatch_uid="dialogue-desk-cors-reads")
        m2m_changed.connect(content_changed, dispatch_uid="dialogue-desk-cache-m2m")
        m2m_changed.connect(entities_changed, dispatch_uid="dialogue-desk-entities-m2m")
        # SQLite's search index follows every save and delete (a no-op on PostgreSQL).
        for model in search_index.searchable_models():
            uid = f"dialogue-desk-search-{model._meta.label_lower}"
            post_save.connect(search_index.saved, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(search_index.deleted, sender=model, dispatch_uid=uid + "-delete")
