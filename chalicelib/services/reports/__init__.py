"""Reports: write-time aggregates, the reports API and the wallboard (docs/metrics.md)."""
