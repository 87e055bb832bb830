import pytest


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-staff-123")
    client.force_login(user)
    return client
