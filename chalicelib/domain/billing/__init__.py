"""Billing: usage kinds, price plans, SMS segments, monthly invoices. Pure."""
