"""What every area stands on: settings, the database, errors, paging, CSV, jobs, headers and limits."""
