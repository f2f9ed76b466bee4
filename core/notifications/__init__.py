"""Notifications (通知): reminders and alerts users and tablets read, and their API."""
