"""Scheduled, human-led learning: sessions, bookings and waitlists, attendance, calendars."""
