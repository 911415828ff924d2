app_name = "surveys"
urlpatterns: list = [
    # views of this app go here
]
