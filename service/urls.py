app_name = "service"

urlpatterns: list = []
