app_name = "reports"
urlpatterns: list = [
    # views of this app go here
]
