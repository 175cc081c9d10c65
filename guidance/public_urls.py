app_name = "guidance_public"

urlpatterns: list = []
