app_name = "members"
urlpatterns: list = [
    # views of this app go here
]
