"""Notifications for alert transitions."""

from synthcheck.notify.webhook import Delivery, WebhookSettings, payload_for, send_transitions

__all__ = ["Delivery", "WebhookSettings", "payload_for", "send_transitions"]
