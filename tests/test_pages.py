import pytest

pytestmark = pytest.mark.django_db


def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Partnership opportunities" in response.content


def test_admin_login_page_answers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_every_country_is_loaded():
    from projects.models import Country

    assert Country.objects.count() >= 249
    assert Country.objects.get(iso3="CIV").iso2 == "CI"
