from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
