"""Shared numbers: the operator's menu (``admin``) and the calls it answers (``front``).
See docs/shared-numbers.md."""
