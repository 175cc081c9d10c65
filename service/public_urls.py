app_name = "service_public"

urlpatterns: list = []
