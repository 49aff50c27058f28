from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("agencies/", views.AgencyList.as_view(), name="agency-list"),
    path("agencies/new/", views.AgencyCreate.as_view(), name="agency-create"),
    path("agencies/<uuid:code>/", views.AgencyDetail.as_view(), name="agency-detail"),
    path("agencies/<uuid:code>/edit/", views.AgencyUpdate.as_view(), name="agency-update"),
    path("agencies/<uuid:code>/history/", views.AgencyHistory.as_view(), name="agency-history"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<uuid:code>/", views.PersonDetail.as_view(), name="person-detail"),
    path("people/<uuid:code>/edit/", views.PersonUpdate.as_view(), name="person-update"),
    path("people/<uuid:code>/history/", views.PersonHistory.as_view(), name="person-history"),
    path(
        "memberships/<uuid:code>/role/",
        views.MembershipRoleChange.as_view(),
        name="membership-role",
    ),
    path("memberships/<uuid:code>/end/", views.MembershipEnd.as_view(), name="membership-end"),
    path("invitations/", views.InvitationList.as_view(), name="invitation-list"),
    path("invitations/new/", views.InvitationCreate.as_view(), name="invitation-create"),
    path("invitations/<uuid:code>/revoke/", views.invitation_revoke, name="invitation-revoke"),
]

urlpatterns += [
    path("committees/", views.CommitteeList.as_view(), name="committee-list"),
    path("committees/new/", views.CommitteeCreate.as_view(), name="committee-create"),
    path("committees/<uuid:code>/", views.CommitteeDetail.as_view(), name="committee-detail"),
    path("committees/<uuid:code>/edit/", views.CommitteeUpdate.as_view(), name="committee-update"),
]
