"""Routing: TaskRouter's semantics (queues, workflows, reservations, strategies), pure."""
