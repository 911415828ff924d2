from django.urls import path

from networks import views

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("<int:pk>/", views.network_detail, name="detail"),
]
