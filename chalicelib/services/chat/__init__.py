"""Web chat: the widget's public API (visitor side) and the agent's side of a chat task."""
