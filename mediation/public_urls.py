app_name = "mediation_public"

urlpatterns: list = []
