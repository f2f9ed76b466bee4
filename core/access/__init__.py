"""Who may do what: users, passwords, tokens, sessions, devices, roles (permissions) and scope, login, user administration, and their API."""
