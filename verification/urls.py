from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("", views.home, name="home"),
    path("kvalifisering/", views.qualification_home, name="qualification_home"),
]
