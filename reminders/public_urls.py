app_name = "reminders_public"

urlpatterns: list = []
