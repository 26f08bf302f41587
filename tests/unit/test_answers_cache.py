"""Public answers reused for a few seconds, never longer, and never more than `size`."""

import time

from shared.answers_cache import AnswersCache


def test_a_fresh_answer_is_reused_and_a_stale_one_recomputed():
    cache, calls = AnswersCache(seconds=0.2), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [cache.answer("q", compute), cache.answer("q", compute)] == [1, 1]
    time.sleep(0.25)
    assert cache.answer("q", compute) == 2
    assert (cache.hits, cache.misses) == (1, 2)


def test_off_means_always_asked():
    cache = AnswersCache(seconds=0)
    answers = iter(range(3))
    assert [cache.answer("q", lambda: next(answers)) for _ in range(3)] == [0, 1, 2]


def test_the_least_recently_used_answer_goes_first():
    cache = AnswersCache(seconds=60, size=2)
    cache.answer("a", lambda: "a1")
    cache.answer("b", lambda: "b1")
    cache.answer("a", lambda: "a2")  # a is fresh again
    cache.answer("c", lambda: "c1")  # b leaves
    assert cache.answer("a", lambda: "a3") == "a1"
    assert cache.answer("b", lambda: "b2") == "b2"
