"""The organisation: units, job profiles and people, kept in step with HR through the CSV import."""
