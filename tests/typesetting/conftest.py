import pytest

from tests.typesetting.renditions import render_and_read


@pytest.fixture(scope="session")
def typeset(tmp_path_factory, request):
    """Every rendition the session's tests ask for, rendered and read once."""
    from tests.typesetting.test_renditions import CI_SEEDS

    outcomes = render_and_read(CI_SEEDS, tmp_path_factory.mktemp("renditions"))
    return {o.spec: o for o in outcomes}
