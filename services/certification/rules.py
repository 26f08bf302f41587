"""Certificate rules as data (`data/certificate-rules.yaml`, `data/revocation-reasons.yaml`),
checked when the service starts."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

DATA = Path(__file__).parent / "data" / "certificate-rules.yaml"
REASONS = Path(__file__).parent / "data" / "revocation-reasons.yaml"


class RevocationReason(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    legal_basis: str
    source: str
    source_status: str


class CertificateRules(BaseModel):
    model_config = ConfigDict(frozen=True)

    validity_months: int = Field(gt=0)
    renewal_notice_days: int = Field(ge=0)
    stars_by_level: dict[str, tuple[int, ...]]
    central_issuer: str
    sequence_digits: int = Field(gt=0)
    issuing_bodies: dict[str, str]
    revocation_reasons: dict[str, RevocationReason]

    def reason(self, code: str) -> RevocationReason | None:
        return self.revocation_reasons.get(code)


def load_reasons(path: Path = REASONS) -> dict[str, RevocationReason]:
    raw = yaml.safe_load(path.read_text("utf-8"))["reasons"]
    return {code: RevocationReason(code=code, **fields) for code, fields in raw.items()}


def load_rules(path: Path = DATA, reasons: Path = REASONS) -> CertificateRules:
    raw = yaml.safe_load(path.read_text("utf-8"))
    levels = raw["issuing_levels"]
    if raw["recognition"]["term_starts"] != "decision_signed_on":
        raise ValueError("recognition.term_starts: only decision_signed_on is implemented")
    return CertificateRules(
        validity_months=raw["validity"]["months"],
        renewal_notice_days=raw["renewal_notice_days"]["days"],
        stars_by_level={"province": tuple(levels["province"]), "central": tuple(levels["central"])},
        central_issuer=raw["numbering"]["central_issuer"],
        sequence_digits=raw["numbering"]["sequence_digits"],
        issuing_bodies=raw["issuing_bodies"],
        revocation_reasons=load_reasons(reasons),
    )


def rules_from_config(config: dict) -> CertificateRules:
    path = config.get("CERTIFICATE_RULES")
    return load_rules(Path(path) if path else DATA)
