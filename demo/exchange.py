"""Demo reporting upward: the county bureau makes its first batch and the city (its level above, on
the same instance) receives it, so both reconciliation reports can be compared on the screen."""

from __future__ import annotations

from typing import Any


def load(loader: Any) -> str | None:
    from exchange import selectors, services

    county = loader.agencies["county"]
    if selectors.batches_for(None).filter(agency_id=county.pk).exists():
        return None
    head = loader.officers["wangqiang"].user
    batch = services.export_next(actor=head, agency=county)
    if batch is None:
        return None
    services.ingest(actor=head, lines=services.batch_bytes(batch))
    return f"数据汇聚：县局第 1 批数据（{batch.count} 条记录）已生成并由市局接收"
