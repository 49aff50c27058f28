"""Each area of the meetings app lists its own patterns next to its views."""

from .views import agenda, attendance, calendar, records, schedule, trends

app_name = "meetings"

urlpatterns = [
    *schedule.urlpatterns,
    *attendance.urlpatterns,
    *calendar.urlpatterns,
    *agenda.urlpatterns,
    *records.urlpatterns,
    *trends.urlpatterns,
]

# Links that work without a task force in the address: calendar feeds and email answers.
public_urlpatterns = [*calendar.public_urlpatterns, *attendance.public_urlpatterns]
