"""The HTTP layer: a second process cannot silently share a service's port."""

import pytest

from services.registration.service import RegistrationService


def test_a_second_instance_on_the_same_port_fails_to_start(
    start_service, container_factory, service_config, bus
):
    start_service(RegistrationService)
    config = {**service_config, "AMQP_URI": bus.service(RegistrationService)}
    second = container_factory(RegistrationService, config)
    with pytest.raises(OSError, match="Address already in use"):
        second.start()


def test_wrong_method_answers_in_the_error_format(start_service, http):
    _, url = start_service(RegistrationService)
    response = http.delete(f"{url}/api/v1/producers/x")
    assert response.status_code == 405 and set(response.json()) == {"error", "fields"}


def test_a_deeply_nested_body_is_422_not_500(start_service, http):
    _, url = start_service(RegistrationService)
    for body in ("[" * 5000 + "]" * 5000, '{"name": ' + "[" * 5000 + "]" * 5000 + "}"):
        response = http.post(
            f"{url}/api/v1/producers", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422 and "body" in response.json()["fields"]


def test_an_oversized_body_is_413(start_service, http):
    _, url = start_service(RegistrationService)
    response = http.post(f"{url}/api/v1/producers", data=b"x" * 1_100_000)
    assert response.status_code == 413 and set(response.json()) == {"error", "fields"}
