"""The running API keeps to its published OpenAPI schema, checked by schemathesis.

schemathesis takes the schema the API publishes at /api/v1/openapi.json (made
by the same code, read here when the tests are collected) and sends a live
server each
operation requests it generates from the schema (valid and invalid values
alike); every answer must be a documented status with a body of the
documented shape, never a server error. The schema and the code cannot
drift apart unnoticed.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from publications.api import api
from tests.factories import make_article, make_author, make_photo, make_series

pytestmark = [pytest.mark.slow]


@pytest.fixture
def api_server(live_server, seeded_vocabularies):
    """A live server with a published report, its author and vocabulary, and a draft."""
    ada = make_author("Ada Lovelace", slug="ada")
    make_article(
        "Sahel report", slug="sahel", authors=[ada], topics=["Global Policy"], regions=["Mali"],
        lead_photo=make_photo(), type_name="Special Report", series=make_series(),
        series_number=493, key_takeaways=["One point."],
    )  # fmt: skip
    make_article("Draft", slug="draft", status="draft", authors=[ada])
    return live_server.url


# schemathesis's lazy fixture loader does not work with this pytest; the
# schema is the one /api/v1/openapi.json serves (tests/test_api.py checks).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, api_server):
    case.call_and_validate(base_url=api_server)
