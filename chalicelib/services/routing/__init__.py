"""Routing use cases: the DynamoDB queue, the agent desk, matching, the sweep, the queue's
carrier callbacks and the routing admin."""
