from django.urls import path

from core.views import calendar as calendar_views
from core.views import home
from core.views import ledger as ledger_views

app_name = "core"
urlpatterns = [
    path("", home.home, name="home"),
    path("calendar/", calendar_views.calendar_index, name="calendar"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path("deadlines/", calendar_views.deadlines_list, name="deadlines"),
    path("ledger/", ledger_views.ledger_list, name="ledger"),
    path("ledger/<int:seq>/", ledger_views.ledger_entry, name="ledger_entry"),
    path("ledger/verify/", ledger_views.ledger_verify_now, name="ledger_verify"),
]
