"""What tests share besides fixtures (those are in the conftests): databases, servers, the CLI, the
browser, the LRS. Factories for rows are in tests/factories.py."""
