"""Who is signing in: accounts, browser sessions, API tokens, sign-in protection and roles."""
