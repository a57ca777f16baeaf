"""CloudWatch metrics through aws-lambda-powertools: EMF lines on stdout, which CloudWatch
Logs turns into metrics with no API call on the webhook path."""

from __future__ import annotations


def count_metric(name: str, dimensions: dict[str, str]) -> None:
    """One count of ``name`` in the ``Hotline`` namespace (powertools imported on first use:
    only failure paths count, so the common path never loads it)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(name=name, unit=MetricUnit.Count, value=1,
                       namespace="Hotline") as metric:
        for key, value in dimensions.items():
            metric.add_dimension(name=key, value=value)
