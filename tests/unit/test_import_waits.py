"""`ocop import` waits for the platform's events: a row refused only for a product or
producer the service does not know yet is sent again after growing waits, for a bounded
time; every other answer stands at once (cli/importer/run.py `settled`)."""

from cli.importer.client import Answer
from cli.importer.plan import Planned
from cli.importer.run import settled
from cli.importer.sources import Row

NOT_YET = Answer(422, {"fields": {"product_id": "not known (yet): no product 'p' was registered"}})
ELSEWHERE = Answer(422, {"fields": {"product_id": "a product of province 19"}})
MIXED = Answer(
    422,
    {"fields": {"product_id": NOT_YET.body["fields"]["product_id"], "stars": "too many"}},
)
DONE = Answer(201, {"number": "GCN-1"})


class Platform:
    """Answers each row from its script (the last answer repeats); a clock moved by sleeps."""

    def __init__(self, scripts: dict[str, list[Answer]]) -> None:
        self.scripts, self.sent, self.now, self.waits = scripts, [], 0.0, []

    def one(self, step: Planned):
        self.sent.append(step.code)
        script = self.scripts[step.code]
        return step, script.pop(0) if len(script) > 1 else script[0]

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def steps(*codes: str) -> list[Planned]:
    return [Planned(Row("certificates", n, {}), code, {}) for n, code in enumerate(codes, 2)]


def run(platform: Platform, codes: tuple[str, ...], patience: float) -> dict[str, Answer]:
    found = settled(
        map, platform.one, steps(*codes), patience, platform.sleep, lambda: platform.now
    )
    return {step.code: answer for step, answer in found}


def test_a_row_whose_product_arrives_is_sent_again_until_taken():
    platform = Platform({"a": [NOT_YET, NOT_YET, DONE], "b": [DONE]})
    assert run(platform, ("a", "b"), patience=60) == {"a": DONE, "b": DONE}
    assert platform.sent == ["a", "b", "a", "a"]
    assert platform.waits == [0.25, 0.5]  # growing


def test_a_row_still_unknown_after_the_patience_is_refused_with_its_last_answer():
    platform = Platform({"a": [NOT_YET]})
    assert run(platform, ("a",), patience=20) == {"a": NOT_YET}
    assert sum(platform.waits) == 20  # no longer than the patience
    assert platform.waits[:6] == [0.25, 0.5, 1, 2, 4, 8] and max(platform.waits) == 8
    assert len(platform.sent) == len(platform.waits) + 1


def test_a_final_refusal_is_never_sent_again():
    platform = Platform({"a": [ELSEWHERE], "b": [MIXED], "c": [Answer(409, {})]})
    assert run(platform, ("a", "b", "c"), patience=60) == {
        "a": ELSEWHERE,
        "b": MIXED,
        "c": Answer(409, {}),
    }
    assert platform.sent == ["a", "b", "c"] and platform.waits == []


def test_no_patience_means_one_attempt():
    platform = Platform({"a": [NOT_YET, DONE]})
    assert run(platform, ("a",), patience=0) == {"a": NOT_YET}
    assert platform.sent == ["a"]
