import pytest

from tests.typesetting import renditions
from tests.typesetting.renditions import render_and_read

_RENDERED: list[int] = []


@pytest.fixture(scope="session")
def typeset(tmp_path_factory, request):
    """Every rendition the session's tests ask for, rendered and read once (only those: `make
    test` runs the report's renditions alone)."""
    from tests.typesetting.test_renditions import CI_SEEDS

    wanted = {
        item.callspec.params["spec"]
        for item in request.session.items
        if "spec" in getattr(getattr(item, "callspec", None), "params", {})
    }
    specs = [spec for spec in CI_SEEDS if spec in wanted]
    outcomes = render_and_read(specs, tmp_path_factory.mktemp("renditions"))
    _RENDERED.append(len(outcomes))
    return {o.spec: o for o in outcomes}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """What the renditions cost (CI keeps them under 3 minutes on its two CPUs), carried on
    each rendition test's report so that `make test`'s summary prints it also when the
    renditions ran in another worker process (tests/conftest.py prints it)."""
    report = yield
    if _RENDERED and call.when == "call":
        report.user_properties.append(("typesetting", renditions.COSTS.line(sum(_RENDERED))))
    return report
