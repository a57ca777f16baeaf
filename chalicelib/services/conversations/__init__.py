"""Conversations: SMS, WhatsApp and chat threads for the agent (docs/conversations.md)."""
