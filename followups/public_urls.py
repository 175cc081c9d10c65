app_name = "followups_public"

urlpatterns: list = []
