"""Mail settings read from one address, as EMAIL_URL: smtp://user:password@host:587."""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# A scheme for each way of reaching a mail server, and the port it uses when none is given.
SMTP_SCHEMES = {"smtp": 25, "submission": 587, "smtps": 465}
OTHER_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings(url: str) -> dict:
    """Return Django's EMAIL_* settings for a mail address such as smtp://user:pw@host:587.

    submission:// and ?tls=1 use STARTTLS, smtps:// implicit TLS; console:// prints messages.
    """
    parts = urlsplit(url)
    if parts.scheme in OTHER_BACKENDS:
        return {"EMAIL_BACKEND": OTHER_BACKENDS[parts.scheme]}
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must be smtp://, submission:// or smtps:// with a host, such as "
            "submission://user:password@smtp.example.org:587, or console://. See README.md."
        )
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or SMTP_SCHEMES[parts.scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "submission" or query.get("tls") == ["1"],
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": 10,
    }
