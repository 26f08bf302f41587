"""The HTTP layer: a second process cannot silently share a service's port."""

import pytest

from services.registration.service import RegistrationService


def test_a_second_instance_on_the_same_port_fails_to_start(
    start_service, container_factory, service_config
):
    start_service(RegistrationService)
    second = container_factory(RegistrationService, service_config)
    with pytest.raises(OSError, match="Address already in use"):
        second.start()


def test_wrong_method_answers_in_the_error_format(start_service, http):
    _, url = start_service(RegistrationService)
    response = http.delete(f"{url}/api/v1/producers/x")
    assert response.status_code == 405 and set(response.json()) == {"error", "fields"}
