app_name = "dialogues"
urlpatterns = []
