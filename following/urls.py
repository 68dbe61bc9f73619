"""Following by e-mail: /follow/?request=<slug> (or coalition, organisation), and its links."""

from django.urls import path

from following import views

app_name = "following"

urlpatterns = [
    path("", views.follow_start, name="start"),
    path("sent/", views.follow_sent, name="sent"),
    path("confirm/<str:token>/", views.follow_confirm, name="confirm"),
    path("stop/<str:token>/", views.follow_stop, name="stop"),
]
