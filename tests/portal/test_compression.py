"""Pages and JSON go out gzip-compressed to clients that accept it, and say they vary on it."""

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DOCUMENTS = ("partnership-opportunities-2010.txt", "tip-protocol-activities-report-2016.txt")

pytestmark = pytest.mark.django_db

LIST_PAGE_MAX_BYTES = 12 * 1024


@pytest.fixture
def portfolio():
    return factories.portfolio(200)


def test_the_list_page_is_compressed_and_small_on_the_wire(client, portfolio):
    response = client.get(reverse("project_list"), headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert len(response.context["page"].object_list) == 20
    assert "Programme" in html and "</html>" in html
    # The world map's outlines come from the static sprite, so the whole page fits.
    assert "<path" not in html and "world-110m.svg#" in html
    assert len(response.content) <= LIST_PAGE_MAX_BYTES
    # The same page uncompressed, for a client that does not accept gzip.
    plain = client.get(reverse("project_list"))
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    assert len(plain.content) > 3 * len(response.content)


def test_the_list_page_of_the_real_documents_is_small_on_the_wire(client):
    """The brochure and the activity report as ingested: the page as a donor first opens it,
    and with a filter, each at most 12 KB as it goes on the wire (gzip, as Django sends it)."""
    call_command("ingest", *(str(FIXTURES / name) for name in DOCUMENTS), verbosity=0)
    for query in ("", "?theme=trafficking&sort=title", "?status=unfunded&status=partly"):
        response = client.get(
            reverse("project_list") + query, headers={"Accept-Encoding": "gzip, br"}
        )
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
        html = gzip.decompress(response.content).decode()
        assert len(response.context["page"].object_list) == 20
        assert len(response.context["world_map"].shaded) > 20, query
        assert len(response.content) <= LIST_PAGE_MAX_BYTES, (query, len(response.content))
        assert html.count('<details class="facet"') == 8


@pytest.mark.parametrize("name", ["api_project_list", "api_region_list"])
def test_api_json_is_compressed(client, portfolio, name):
    response = client.get(reverse(name), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))


def test_the_csv_export_streams_compressed(client, portfolio):
    response = client.get(
        reverse("project_export", args=["csv"]), headers={"Accept-Encoding": "gzip"}
    )
    assert response.streaming and response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert text.startswith("\ufeffCode,Project,") and text.count("\n") > 200


def test_pages_are_padded_against_breach_as_django_pads_them(client, portfolio):
    """Every response carries a random file name of its own in its gzip header, so two
    responses of the same page differ in length now and then (BREACH), and still decompress
    to the page."""
    lengths, names = set(), set()
    for _ in range(12):
        response = client.get(reverse("overview"), headers={"Accept-Encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        body = response.content
        assert body[3] & gzip.FNAME
        names.add(body[10 : body.index(b"\x00", 10)])
        lengths.add(len(body))
        assert int(response["Content-Length"]) == len(body)
        assert "</html>" in gzip.decompress(body).decode()
    assert len(names) > 1 and len(lengths) > 1


def test_a_short_or_already_encoded_response_is_left_as_it_is(rf):
    from django.http import HttpResponse

    from projects.compression import PageGZipMiddleware

    request = rf.get("/", headers={"Accept-Encoding": "gzip"})
    short = PageGZipMiddleware(lambda r: HttpResponse("tiny"))(request)
    assert "Content-Encoding" not in short and short.content == b"tiny"
    encoded = HttpResponse("x" * 1000, headers={"Content-Encoding": "br"})
    assert PageGZipMiddleware(lambda r: encoded)(request).content == b"x" * 1000
    etagged = HttpResponse("y" * 1000, headers={"ETag": '"abc"'})
    answered = PageGZipMiddleware(lambda r: etagged)(request)
    assert answered["ETag"] == 'W/"abc"' and gzip.decompress(answered.content) == b"y" * 1000


def test_pages_go_out_as_djangos_gzip_middleware_sends_them_but_for_the_level(rf):
    """Headers, and whether a response is compressed at all, are Django's; only the bytes
    differ (level 1), and they decompress to the same page."""
    from django.http import HttpResponse, StreamingHttpResponse
    from django.middleware.gzip import GZipMiddleware

    from projects.compression import PageGZipMiddleware

    def responses():
        yield HttpResponse("<p>page</p>" * 100)
        yield HttpResponse("<p>page</p>" * 100, headers={"ETag": '"v1"', "Vary": "Cookie"})
        yield HttpResponse("short")
        yield HttpResponse("x" * 500, headers={"Content-Encoding": "br"})
        yield HttpResponse(bytes(range(256)) * 4)  # does not compress: sent as it is
        yield StreamingHttpResponse(iter([b"a,b\n"] * 200))

    for accept in ("gzip, br", "br", ""):
        request = rf.get("/", headers={"Accept-Encoding": accept} if accept else {})
        ours = list(responses())
        djangos = list(responses())
        for mine, theirs in zip(ours, djangos, strict=True):
            mine = PageGZipMiddleware(lambda r, m=mine: m)(request)
            theirs = GZipMiddleware(lambda r, t=theirs: t)(request)
            names = {"Content-Encoding", "Vary", "ETag"}
            assert {h: mine.get(h) for h in names} == {h: theirs.get(h) for h in names}
            if mine.streaming:
                body = b"".join(mine.streaming_content)
                expected = b"".join(theirs.streaming_content)
            else:
                body, expected = mine.content, theirs.content
                assert mine.has_header("Content-Length") == theirs.has_header("Content-Length")
            if mine.get("Content-Encoding") == "gzip":
                body, expected = gzip.decompress(body), gzip.decompress(expected)
            assert body == expected
