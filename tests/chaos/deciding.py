"""The province office's side of a flow: it records its People's Committee's signed decision
for the results waiting (certification's proposals), in batches, as an office does, until
every result the flows closed is decided. A decision is retried with its `Idempotency-Key`,
so a fault never records one twice."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from shared.clock import VIETNAM
from tests.chaos.flows import Client, FlowFailed

BATCH = 500  # the most proposals one listing returns
PAUSE = 1.0  # seconds between two looks at the proposals


class Decider:
    def __init__(self, client: Client, province: str, tag: str) -> None:
        self.client, self.province, self.tag = client, province, tag
        self.decided: set[str] = set()
        self.numbered = 0
        self.error = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="decider", daemon=True)

    def __enter__(self) -> Decider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def wait_for(self, evaluation_ids: set[str], patience: float) -> None:
        """Returns once every one of `evaluation_ids` is decided; FlowFailed if not in time."""
        deadline = time.monotonic() + patience
        while not evaluation_ids <= self.decided:
            if self.error:
                raise FlowFailed(self.error)
            if time.monotonic() > deadline:
                missing = len(evaluation_ids - self.decided)
                raise FlowFailed(f"{missing} results never decided in {patience:.0f} s")
            time.sleep(0.2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._decide_pending()
            except Exception as failure:  # the flows must hear of it, not hang
                self.error = f"the decider stopped: {failure!r}"
                return
            self._stop.wait(PAUSE)

    def _decide_pending(self) -> None:
        path = f"/api/v1/proposals?status=pending&level=province&province_code={self.province}"
        pending = [each["evaluation_id"] for each in self.client.ok("GET", "certification", path)]
        if not pending:
            return
        number = f"{self.tag}-{self.numbered + 1}/QĐ-UBND"
        body: dict[str, Any] = {
            "number": number,
            "signed_on": datetime.now(VIETNAM).date().isoformat(),  # the services' today
            "signer": "Nguyễn Văn An",
            "signer_title": "Phó Chủ tịch UBND tỉnh",
            "level": "province",
            "province_code": self.province,
            "evaluation_ids": pending[:BATCH],
            "document": {"url": f"https://ubnd.example.gov.vn/{self.tag}/{self.numbered}.pdf"},
        }
        key = f"{self.tag}-decision-{self.numbered + 1}"  # a header: ASCII, not the number
        answer = self.client.call("POST", "certification", "/api/v1/decisions", body, key)
        if answer.status_code == 201:
            self.numbered += 1
            self.decided.update(answer.json()["evaluation_ids"])
        elif answer.status_code != 422:  # 422: a proposal was decided meanwhile: look again
            raise FlowFailed(f"decision {number}: {answer.status_code} {answer.text}")
