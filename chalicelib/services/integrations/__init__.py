"""The tenant's data interface: API keys (keys.py), outgoing webhooks (webhooks.py,
delivery.py, events.py) and the CRM export (export.py). See docs/integrations.md."""
