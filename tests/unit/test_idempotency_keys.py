"""`request_key`: whose record a key names (the caller's, on this path) and what it stores."""

from pydantic import BaseModel
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from shared.access.caller import Caller
from shared.idempotency import HEADER, request_key


class Body(BaseModel):
    name: str = "HTX Chè"


def keyed(caller: Caller, path: str = "/api/v1/producers", key: str = "k-1", body=None) -> str:
    request = Request(EnvironBuilder(method="POST", path=path, headers={HEADER: key}).get_environ())
    found = request_key(request, body or Body(), caller)
    assert found is not None
    return found.entity_id


KEY_A = Caller(subject="Sở NN&MT", via="api_key", key_id="a1")
KEY_B = Caller(subject="Sở NN&MT", via="api_key", key_id="b2")  # the same client label
PERSON = Caller(subject="can-bo-1", via="token", issuer="ocop")


def test_the_same_caller_path_and_key_name_the_same_record_whatever_the_body():
    assert keyed(KEY_A) == keyed(KEY_A) == keyed(KEY_A, body=Body(name="other"))
    assert keyed(PERSON) == keyed(PERSON.model_copy(update={"roles": frozenset({"auditor"})}))


def test_another_key_person_issuer_path_or_key_names_another_record():
    first = keyed(KEY_A)
    others = [
        keyed(KEY_B),  # a key's scope is its id, not its client's name
        keyed(PERSON),
        keyed(PERSON.model_copy(update={"issuer": "another-issuer"})),
        keyed(Caller(subject="a1", via="token", issuer="ocop")),  # a subject named like a key id
        keyed(KEY_A, path="/api/v1/products"),
        keyed(KEY_A, key="k-2"),
    ]
    assert len({first, *others}) == 1 + len(others)


def test_a_record_without_the_key_id_was_not_made_with_it():
    request = Request(EnvironBuilder(method="POST", headers={HEADER: "k"}).get_environ())
    key = request_key(request, Body(), KEY_A)
    assert key is not None
    assert key.repeats({**key.stamp()}) and key.made({**key.stamp(), "request_fingerprint": "x"})
    assert not key.made({"request_fingerprint": key.fingerprint})  # stored before keys had owners
