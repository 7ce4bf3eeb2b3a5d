"""Mandatory training: requirements, assignments, exemptions, reminders and the audit trail."""
