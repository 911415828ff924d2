app_name = "events"
urlpatterns: list = [
    # views of this app go here
]
