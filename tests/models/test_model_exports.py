"""The public face of puhuri_async.models."""

from __future__ import annotations

import puhuri_async.models as models


def test_all_is_sorted_and_complete() -> None:
    assert models.__all__ == sorted(models.__all__)
    for name in models.__all__:
        assert getattr(models, name) is not None
    assert {"structure", "structure_many", "ComponentUsage", "ResourceReportRecord"} <= set(
        models.__all__
    )


def test_every_response_model_names_its_schema() -> None:
    for name in models.__all__:
        obj = getattr(models, name)
        if isinstance(obj, type) and issubclass(obj, models.PuhuriModel):
            assert obj is models.PuhuriModel or obj.schema_component, name
