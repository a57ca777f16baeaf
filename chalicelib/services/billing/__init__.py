"""Metering, invoices and the spending figure (docs/billing.md)."""
