"""Organisations, user profiles with territorial roles, API tokens, audit log, and the one
permission function every view, export and API endpoint goes through."""
