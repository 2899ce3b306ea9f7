from django.urls import path

from waiban.hall import views_public, views_ratings, views_staff

app_name = "hall"
urlpatterns = [
    path("", views_public.index, name="index"),
    path("guides/<slug:code>/", views_public.guide, name="guide"),
    path("files/<int:pk>/", views_public.guide_file, name="file"),
    path("screen/", views_public.screen, name="screen"),
    path("check-in/<str:token>/", views_public.check_in_by_qr, name="check_in"),
    path("bookings/", views_staff.bookings, name="bookings"),
    path("bookings/<int:pk>/", views_staff.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", views_staff.booking_cancel, name="booking_cancel"),
    path("desk/", views_staff.desk, name="desk"),
    path("desk/windows/<int:pk>/call/", views_staff.window_call, name="call"),
    path("desk/tickets/<int:pk>/", views_staff.ticket_move, name="ticket"),
    path("check-in/<str:token>/rate/", views_ratings.rate_visit, name="rate_visit"),
    path("cases/<int:pk>/rate/", views_ratings.rate_case, name="rate_case"),
    path("rectifications/", views_ratings.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views_ratings.rectification, name="rectification"),
    path("ratings/", views_ratings.results, name="results"),
    path("advisories/", views_public.advisories, name="advisories"),
    path("announcements/", views_public.announcements, name="announcements"),
]
