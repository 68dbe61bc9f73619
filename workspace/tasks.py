"""Work done outside any web request, by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from workspace.alerts import send_alerts, send_weekly_digests


@task()
def send_campaigner_alerts():
    """Send the campaigners' alerts and weekly digests that are due; return how many e-mails."""
    return {"alerts": send_alerts(), "digests": send_weekly_digests()}
