"""Accounts: users, groups and their rights, passwords, logins (two-factor, one-time launch
tokens), as administrators manage them and as users log in."""
