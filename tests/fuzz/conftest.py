"""Fuzzing and load against a running local stack (DynamoDB Local, the carrier simulator
and the app server `./dev up` runs), seeded with the demo business."""

from tests.stack import stack, stack_environment  # noqa: F401  (the running Hotline)
