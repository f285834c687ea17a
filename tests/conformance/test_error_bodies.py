"""A 400 whose body is a JSON list (Waldur's ``set_offerings_username``) keeps its messages."""

from __future__ import annotations

import pytest

from puhuri_async import PuhuriClient, ValidationError
from puhuri_async.testing import FakeData, FakePuhuri


@pytest.mark.asyncio
async def test_a_list_body_fills_the_messages() -> None:
    fake = FakePuhuri(FakeData.generate(users=10, seed=2))
    sp = fake.data.service_provider["uuid"]
    async with PuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client:
        with pytest.raises(ValidationError) as refused:
            await client.set_offerings_username(sp, "0" * 32, "someone")
    error = refused.value
    assert isinstance(error.body, list)
    (message,) = error.field_errors["non_field_errors"]
    assert "is not found" in message
    assert error.messages == [message]
    assert "is not found" in str(error)
