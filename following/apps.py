from django.apps import AppConfig


class FollowingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "following"
    verbose_name = "Following by e-mail"
