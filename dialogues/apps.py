from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = "Dialogue Desk"

    def ready(self):
        from dialogues.caching import content_changed

        # Any change to any of our models may show on a public page: start a new generation.
        for model in self.get_models():
            uid = f"dialogue-desk-cache-{model._meta.label_lower}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
        m2m_changed.connect(content_changed, dispatch_uid="dialogue-desk-cache-m2m")
