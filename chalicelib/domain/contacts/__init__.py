"""Contacts as the business's customer memory: search tokens, custom fields, CSV."""
