"""Background work of spike alerts: delivery, each path on its own (see :mod:`.delivery`)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from chorus.core import background
from chorus.listening import delivery


@db_task()
def deliver_alert_task(alert_id: int) -> None:
    delivery.deliver_alert(alert_id)


@db_task(retries=3, retry_delay=60)
def email_alert_task(alert_id: int, user_ids: list[int]) -> None:
    delivery.email_alert(alert_id, user_ids)


# A destination that failed keeps its error on its row; the queue tries again a few times, with
# a pause, in case the receiver was only down for a moment.
@db_task(retries=5, retry_delay=120)
def send_alert_to_destination_task(destination_id: int, alert_id: int) -> None:
    delivery.send_alert_to_destination(destination_id, alert_id)


background.bind(
    "listening",
    deliver_alert=deliver_alert_task,
    email_alert=email_alert_task,
    send_alert_to_destination=send_alert_to_destination_task,
)
