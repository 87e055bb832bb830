"""robots.txt: crawlers read the donor pages in every language, never the forms or the admin."""

from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def crawler_rules(client) -> RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    rules = RobotFileParser()
    rules.parse(response.content.decode().splitlines())
    return rules


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_crawlers_may_read_the_donor_pages_not_the_forms(client, language):
    project = factories.project()
    rules = crawler_rules(client)
    with translation.override(language):
        public = [
            reverse("overview"),
            reverse("project_list"),
            reverse("project_detail", args=[project.slug]),
            reverse("donor_list"),
            reverse("focal_point_list"),
        ]
        private = [
            reverse("admin:index"),
            reverse("register_interest"),
            reverse("alert_subscribe"),
            reverse("shortlist"),
            reverse("project_export", args=["csv"]),
            reverse("project_brief"),
        ]
    for url in public:
        assert rules.can_fetch("*", url), url
    for url in private:
        assert not rules.can_fetch("*", url), url
