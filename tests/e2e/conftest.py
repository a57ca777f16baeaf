from tests.stack import stack, stack_environment  # noqa: F401  (the running Hotline)
