"""No input gives a 5xx: every public URL, each of its parameters, and every public POST form.

Nothing here is a hand list. The URLs are the URL configuration's own patterns (the admin's
only through its login page), filled in with the addresses of real objects and with whatever
their patterns match; the query parameters are the project filters' (projects/filters.py), the
API's (its OpenAPI description) and the interest form's fields; the POST forms are those the
pages themselves show, with the fields and options they render. Hypothesis draws hostile values
for them — huge, negative and exponent numbers, other scripts' digits, 10 kB strings, control
characters, repeated and empty parameters — sometimes as an htmx request, and every answer must
come in under a second, in-process, and never be a 5xx.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import Counter, defaultdict
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donors.forms import InterestForm
from donors.models import Interest
from projects.filters import ProjectFilter
from projects.openapi import SCHEMA
from tests import factories

pytestmark = pytest.mark.django_db

EXAMPLES_PER_PARAMETER = 5  # for each parameter a URL reads, and each field of a form
EXAMPLES_PER_URL = 8  # for each URL pattern: its own addresses and whatever its pattern matches
SLOWEST_ALLOWED = 1.0  # seconds, in-process
# Answers slower than that by design, each with why: still fuzzed for 5xx (at their pattern, with
# random parameters, a few times: their parameters are the list's, fuzzed there) and timed
# against their own bound.
SLOW_BY_DESIGN = {
    "project_brief": (10.0, "WeasyPrint lays out a PDF page per project, ~0.1 s of CPU each"),
}
WALL_CLOCK_SLACK = 5  # CI machines are shared: the clock gets five times the CPU's allowance

LONG = 10 * 1024
# Tried first (Hypothesis starts from a strategy's simplest values): numbers that broke pages.
NOTORIOUS = st.sampled_from(["²", "1e27", "9" * 27, "-1", "٣", "NaN", "0", "1.5", "¹", "１２"])
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["1e27", "1E+400", "-0", "NaN", "Infinity", "0x1F", "1_000", "1,000", "9" * 400, "0" * 60]
    ),
    # Digits of other scripts: superscripts pass str.isdigit() and fail int().
    st.sampled_from(["߁", "①", "5²", "²⁰"]),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),
)
HOSTILE_TEXT = st.one_of(
    st.just(""),
    st.text(max_size=30),
    st.text(st.characters(codec="ascii"), max_size=30),
    st.sampled_from(["\x00", "%00", "'; DROP TABLE x;--", "<script>alert(1)</script>", "../.."]),
    st.sampled_from(["x", "9", "²", "é", "\x00", " "]).map(lambda c: c * LONG),
)
HOSTILE = st.one_of(NOTORIOUS, NUMBERS, HOSTILE_TEXT)


def walk(patterns, prefix: str = "") -> list[tuple[str, str]]:
    """(full regex, name) of every public URL pattern: the admin's are staff-only."""
    found = []
    for entry in patterns:
        regex = entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            found += walk(entry.url_patterns, prefix + regex)
        elif isinstance(entry, URLPattern):
            full = (prefix + regex).removesuffix(r"\Z").removesuffix("$")
            found.append((full, entry.name or full))
    return found


class Forms(HTMLParser):
    """The POST forms of a page: action, and each field with the values the page offers."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.fields: dict[str, list[str]] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.fields = defaultdict(list)
            self.forms.append((a.get("action") or self.page, self.fields))
        elif self.fields is None or not (a.get("name") or tag == "option"):
            return
        elif tag in ("input", "textarea"):
            self.fields[a["name"]] += [a["value"]] if a.get("value") else []
        elif tag == "select":
            self.select = a["name"]
            self.fields[a["name"]]  # noqa: B018 - a select with no options is still a field
        elif tag == "option" and self.select:
            self.fields[self.select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.fields = None
        elif tag == "select":
            self.select = None


def query_parameters() -> dict[str, list[str]]:
    """Every query parameter a public URL reads, with the values it knows as valid."""
    names: dict[str, list[str]] = defaultdict(list)
    for name, declared in ProjectFilter.base_filters.items():
        names[name] += [str(value) for value, _ in declared.extra.get("choices") or ()]
    for facet in ProjectFilter(QueryDict()).facets():  # real slugs, codes and ids
        names[facet.name] += [option.value for option in facet.options]
    for operations in SCHEMA["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    schema = parameter["schema"]
                    names[parameter["name"]] += [str(v) for v in schema.get("enum", [])]
                    if "example" in schema:
                        names[parameter["name"]].append(str(schema["example"]))
    for name in InterestForm.base_fields:
        names[name]  # noqa: B018 - `?projects=` ticks projects in advance
    return names


class Fuzz:
    def __init__(self, client) -> None:
        self.client = client
        self.requests: Counter[str] = Counter()
        self.slowest = (0.0, "")

    def send(self, method: str, url: str, data=None, headers=None):
        started, cpu_started = time.perf_counter(), time.process_time()
        if method == "POST":
            response = self.client.post(url, data or {}, headers=headers or {})
        else:
            response = self.client.generic(method, url, headers=headers or {})
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        self.requests[method] += 1
        shown = url if len(url) < 300 else url[:300] + "…"
        assert response.status_code < 500, (method, shown, response.status_code)
        # The portal's own work (CPU time of this process) is what must stay under a second;
        # the clock may run slower on a machine busy with other work, within reason.
        allowed = SLOW_BY_DESIGN.get(resolve(urlsplit(url).path).url_name, (SLOWEST_ALLOWED,))[0]
        assert cpu < allowed, (method, shown, f"{cpu:.2f} s of CPU")
        assert elapsed < allowed * WALL_CLOCK_SLACK, (method, shown, f"{elapsed:.2f} s")
        self.slowest = max(self.slowest, (cpu, f"{method} {shown[:120]}"))
        return response

    def report(self, capsys, what: str) -> None:
        with capsys.disabled():
            total = sum(self.requests.values())
            counts = ", ".join(f"{n} {m}" for m, n in sorted(self.requests.items()))
            print(
                f"\nfuzz {what}: {total} requests ({counts}); "
                f"most CPU {self.slowest[0] * 1000:.0f} ms: {self.slowest[1]}"
            )


@pytest.fixture
def site(client, settings):
    """A small portfolio, a registered interest, and a real address for every public URL."""
    settings.INTEREST_RATE_LIMIT = 10**6  # so that valid submissions keep reaching the save
    settings.CONFIRMATION_RATE_LIMIT = 10**6
    programmes = factories.portfolio(24)
    factories.focal_point(programmes[0], "field", name="Fuzz person")
    client.post(
        reverse("project_interest", args=[programmes[0].slug]),
        factories.interest_form_data(programmes[0]),
    )
    objects = [
        *programmes[:2],
        programmes[0].section,
        programmes[0].subregion,
        programmes[0].countries.first(),
        programmes[0].pledges.first().donor,
        Interest.objects.get(),
    ]
    real = {obj.get_absolute_url() for obj in objects} | {reverse("admin:login")}
    patterns = walk(get_resolver().url_patterns)
    for regex, _name in patterns:  # the patterns that take no argument
        if not re.search(r"[(\\\[.*+?]", regex):
            real.add("/" + regex)
    # The same arguments fill the other patterns that take them (a project's slug gives its
    # API address and its interest form)...
    arguments = defaultdict(set)
    for url in real:
        for key, value in resolve(url).kwargs.items():
            arguments[key].add(value)
    for _regex, name in patterns:
        for key, values in arguments.items():
            for value in sorted(values):
                with contextlib.suppress(NoReverseMatch):
                    real.add(reverse(name, kwargs={key: value}))
    # ...and the pages link to the rest (the exports of the list, say). What answers is real.
    answering, linked = set(), set()
    for page in sorted(real):
        response = client.get(page)
        if response.status_code in (200, 302):
            answering.add(page)
            html = b"".join(response).decode(errors="replace")
            linked |= {unescape(link) for link in re.findall(r'href="(/[^"#]*)"', html)}
    for page in sorted(linked - answering):
        if not page.startswith(("/static/", "/admin/")) and client.get(page).status_code == 200:
            answering.add(page)
    by_pattern: dict[str, list[str]] = defaultdict(list)
    for url in sorted(answering):
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if len(by_pattern[match.url_name]) < 3:
            by_pattern[match.url_name].append(url)
    return patterns, by_pattern


def paths_for(regex: str, route_paths: list[str]) -> st.SearchStrategy[str]:
    drawn = st.from_regex(regex, fullmatch=True, alphabet=st.characters(exclude_characters="\n"))
    return st.one_of(
        st.sampled_from(route_paths) if route_paths else st.nothing(),
        drawn.map(lambda path: "/" + quote(path, safe="/")),
    )


def values_of(known: list[str]) -> st.SearchStrategy[list[str]]:
    """One to three values (a repeated parameter): the known valid ones, or hostile ones."""
    single = st.one_of(st.sampled_from(known), HOSTILE) if known else HOSTILE
    return st.lists(single, min_size=1, max_size=3)


def other_parameters(parameters: dict[str, list[str]]):
    names = st.lists(st.sampled_from(sorted(parameters)), max_size=3, unique=True)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries({name: values_of(parameters[name]) for name in chosen})
    )


HTMX = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {"HX-Request": st.just("true"), "HX-Target": st.sampled_from(["results", "x", ""])}
    ),
)
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "OPTIONS"])


def parameters_read(client, path: str, candidates: list[str]) -> list[str]:
    """The candidate query parameters the view at `path` looks up (traced on request.GET)."""
    read = set()
    lookups = {name: getattr(MultiValueDict, name) for name in ("__getitem__", "getlist")}

    def tracing(name):
        def lookup(self, key, *args, **kwargs):
            read.add(key)
            return lookups[name](self, key, *args, **kwargs)

        return lookup

    try:
        for name in lookups:
            setattr(MultiValueDict, name, tracing(name))
        b"".join(client.get(path))
    finally:
        for name, original in lookups.items():
            setattr(MultiValueDict, name, original)
    return sorted(read & set(candidates))


def fuzz_url(fuzz: Fuzz, name: str, regex: str, route_paths: list[str], parameters, read) -> None:
    """Each parameter the URL reads, drawn hostile in turn; then the URL's pattern itself."""
    slow = name in SLOW_BY_DESIGN
    examples = settings(
        max_examples=EXAMPLES_PER_PARAMETER,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    for parameter in [] if slow else read:

        @examples
        @given(
            path=st.sampled_from(route_paths),
            focus=values_of([]),
            others=other_parameters(parameters),
            method=METHODS,
            headers=HTMX,
        )
        def answers(path, focus, others, method, headers):
            query = urlencode(others | {parameter: focus}, doseq=True)  # noqa: B023 - run at once
            fuzz.send(method, f"{path}?{query}", headers=headers)

        answers()

    @settings(examples, max_examples=2 if slow else EXAMPLES_PER_URL)
    @given(
        path=paths_for(regex, route_paths),
        query=other_parameters(parameters),
        method=METHODS,
        headers=HTMX,
    )
    def anywhere(path, query, method, headers):
        url = path + ("?" + urlencode(query, doseq=True) if query else "")
        fuzz.send(method, url, headers=headers)

    anywhere()


def fuzz_form(fuzz: Fuzz, action: str, fields: dict[str, list[str]]) -> None:
    """Each field of the form drawn hostile in turn, the others as a person might fill them."""

    def plausible(name: str):
        offered = [v for v in fields[name] if v]
        typed = offered or ["kari@mfa.example", "Ministry", "250000", "on", "USD"]
        return st.lists(st.sampled_from(typed), min_size=0, max_size=2)

    for focus in fields:

        @settings(
            max_examples=EXAMPLES_PER_PARAMETER,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            data=st.fixed_dictionaries(
                {name: values_of([]) if name == focus else plausible(name) for name in fields}  # noqa: B023
            ),
            headers=HTMX,
        )
        def answers(data, headers):
            fuzz.send("POST", action, data={k: v for k, v in data.items() if v}, headers=headers)

        answers()


def test_no_public_url_answers_a_5xx_or_slowly(client, site, capsys):
    patterns, by_pattern = site
    parameters = query_parameters()
    fuzz = Fuzz(client)
    covered, reads = set(), {}
    for regex, name in patterns:
        route_paths = by_pattern.get(name, [])
        for path in route_paths:  # each real address answers (and warms up) first
            response = fuzz.send("GET", path)
            assert response.status_code in (200, 302), (path, response.status_code)
            covered.add(name)
        read = parameters_read(client, route_paths[0], sorted(parameters)) if route_paths else []
        fuzz_url(fuzz, name, regex, route_paths, parameters, read)
        reads[name] = read
    # The pages of objects were also reached at real addresses; the patterns left are fuzzed
    # only with what their pattern matches (reported below).
    assert {
        "project_detail",
        "api_project_detail",
        "project_interest",
        "interest_confirmation",
        "project_export",
        "region_detail",
        "country_detail",
        "donor_detail",
    } <= covered
    uncovered = sorted({name for regex, name in patterns if "(?P<" in regex} - covered)
    # The filters are read by the list, its exports and the API; the API's paging by the API.
    for name in ("project_list", "project_export", "api_project_list"):
        assert set(ProjectFilter.base_filters) <= set(reads[name]), (name, reads[name])
    assert {"page", "page_size"} <= set(reads["api_project_list"])
    assert "projects" in reads["register_interest"]
    fuzz.report(
        capsys,
        f"GET/HEAD/OPTIONS over {len(patterns)} URL patterns "
        f"(without a real address: {', '.join(uncovered) or 'none'})",
    )


def test_no_public_post_form_answers_a_5xx_or_slowly(client, site, capsys):
    _, by_pattern = site
    fuzz = Fuzz(client)
    forms = {}
    for page in sorted({p for paths in by_pattern.values() for p in paths}):
        response = client.get(page)
        parser = Forms(page)
        parser.feed(b"".join(response).decode(errors="replace"))
        for action, fields in parser.forms:
            path = urlsplit(action).path or page
            forms.setdefault(resolve(path).url_name, (path, dict(fields)))
    assert {"register_interest", "project_interest", "login"} <= set(forms), forms
    for action, fields in forms.values():
        fuzz_form(fuzz, action, fields)
    fuzz.report(capsys, f"POST over {len(forms)} forms ({', '.join(sorted(forms))})")
