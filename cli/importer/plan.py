"""Rows checked and turned into requests, before anything is sent.

The checks are the platform's own: the services' request models and the same domain rules
(addresses, product groups, criteria sets, star bands, council levels), so a dry run finds
what the import would be refused for. References between tables (a product's producer, a
result's product) are by the province's own `code` columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cli.importer.sources import Row, columns
from services.certification.schemas import ImportedCertificateIn
from services.registration.domain import locate
from services.registration.schemas import ProducerIn, ProductIn
from services.scoring import imports
from services.scoring.criteria_files import load_criteria_sets
from services.scoring.schemas import ImportedResultIn
from shared.errors import InvalidInput
from shared.product_groups import check_classification

M = TypeVar("M", bound=BaseModel)
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"  # an id only the import will know


@dataclass(frozen=True)
class Problem:
    kind: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}.csv line {self.line}: {self.field}: {self.message}"


@dataclass
class Planned:
    """One request to make: the body (ids of parents filled in at send time) and its key."""

    row: Row
    code: str
    body: dict[str, Any]
    parent: str | None = None  # the producer_code or product_code it refers to


@dataclass
class Plan:
    steps: dict[str, list[Planned]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: dict[str, set[str]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(each) for each in self.steps.values())


KEY_COLUMN = {"producers": "code", "products": "code", "results": "code", "certificates": "number"}
PRODUCER_COLUMNS = ("name", "kind", "women_led", "tax_code", "legacy_address")
PRODUCT_COLUMNS = ("name", "group", "subgroup")
RESULT_COLUMNS = ("criteria_set", "scored_at_level", "total", "stars", "evaluated_on")
CERTIFICATE_COLUMNS = (
    *("number", "stars", "level", "total", "criteria_set", "issued_on", "expires_on"),
    *("decision_number", "issuing_body"),
)


KNOWN_COLUMNS = {
    "producers": {"code", "province_code", "ward_code", *PRODUCER_COLUMNS},
    "products": {"code", "producer_code", *PRODUCT_COLUMNS},
    "results": {"code", "product_code", *RESULT_COLUMNS},
    "certificates": {"product_code", *CERTIFICATE_COLUMNS},
}


def plan(rows: dict[str, list[Row]], today: date) -> Plan:
    """Every row checked; the requests for the valid ones, problems for the others."""
    result = Plan()
    for kind, known in KNOWN_COLUMNS.items():
        unknown = columns(rows[kind]) - known
        if unknown:
            result.ignored_columns[kind] = unknown
    sets, ends = load_criteria_sets(), imports.level_ends()
    places: dict[str, str] = {}  # producer code -> province code
    products: dict[str, dict[str, Any]] = {}  # product code -> what results repeat
    for row in _unique(rows["producers"], result):
        body = _picked(row, PRODUCER_COLUMNS)
        if "province_code" in row.values or "ward_code" in row.values:
            body["address"] = {
                "province_code": row.values.get("province_code"),
                "ward_code": row.values.get("ward_code"),
            }
        checked = _model(ProducerIn, body, row, result)
        if checked is not None:
            try:
                address = locate(checked.address_codes(), checked.legacy_address)
            except InvalidInput as error:
                _blame(row, error, result)
                continue
            places[row.values["code"]] = address.province_code
            result.steps.setdefault("producers", []).append(Planned(row, row.values["code"], body))
    for row in _unique(rows["products"], result):
        producer_code = row.values.get("producer_code", "")
        if producer_code not in places:
            _problem(row, "producer_code", _missing("producers", producer_code, rows), result)
            continue
        # a province's records: products certified before the platform, maybe without a
        # sub-group (their rounds wait until an officer sets one)
        body = {**_picked(row, PRODUCT_COLUMNS), "producer_id": PLACEHOLDER_ID, "imported": True}
        checked_product = _model(ProductIn, body, row, result)
        if checked_product is None:
            continue
        try:
            check_classification(checked_product.group, checked_product.subgroup)
        except InvalidInput as error:
            _blame(row, error, result)
            continue
        products[row.values["code"]] = {
            "product_name": checked_product.name,
            "group": checked_product.group,
            "subgroup": checked_product.subgroup,
            "province_code": places[producer_code],
        }
        result.steps.setdefault("products", []).append(
            Planned(row, row.values["code"], body, parent=producer_code)
        )
    for row in _unique(rows["results"], result):
        body = {"code": row.values["code"], **_picked(row, RESULT_COLUMNS)}
        about = _product(row, products, rows, result)
        if about is None:
            continue
        checked_result = _model(ImportedResultIn, {**body, **about}, row, result)
        if checked_result is None:
            continue
        record = imports.ImportedResult(
            id=PLACEHOLDER_ID,
            record_code=checked_result.code,
            **checked_result.model_dump(exclude={"code"}),
        )
        try:
            imports.check_result(record, sets, ends, today)
        except InvalidInput as error:
            _blame(row, error, result)
            continue
        result.steps.setdefault("results", []).append(
            Planned(row, row.values["code"], body, parent=row.values["product_code"])
        )
    for row in _unique(rows["certificates"], result):
        body = _picked(row, CERTIFICATE_COLUMNS)
        about = _product(row, products, rows, result)
        if about is None or _model(ImportedCertificateIn, {**body, **about}, row, result) is None:
            continue
        result.steps.setdefault("certificates", []).append(
            Planned(row, row.values["number"], body, parent=row.values["product_code"])
        )
    return result


def _unique(rows: list[Row], result: Plan) -> list[Row]:
    """Rows with a key of their own; a repeated or missing key is a problem of the row."""
    first_line: dict[str, int] = {}
    kept = []
    for row in rows:
        column = KEY_COLUMN[row.kind]
        code = row.values.get(column)
        if not code:
            _problem(row, column, "required: the province's own identifier of the record", result)
        elif code in first_line:
            _problem(row, column, f"{code!r} is also on line {first_line[code]}", result)
        else:
            first_line[code] = row.line
            kept.append(row)
    return kept


def _product(
    row: Row, products: dict[str, dict], rows: dict[str, list[Row]], result: Plan
) -> dict | None:
    product_code = row.values.get("product_code", "")
    about = products.get(product_code)
    if about is None:
        _problem(row, "product_code", _missing("products", product_code, rows), result)
        return None
    return {"product_id": PLACEHOLDER_ID, "producer_id": PLACEHOLDER_ID, **about}


def _missing(kind: str, code: str, rows: dict[str, list[Row]]) -> str:
    """Why a reference does not resolve: no such row, or that row has problems itself."""
    lines = [row.line for row in rows[kind] if row.values.get("code") == code]
    if not lines:
        return f"no row with code {code!r} in {kind}"
    return f"{code!r} is not imported: see {kind} line {lines[0]}"


def _picked(row: Row, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row.values[name] for name in names if name in row.values}


def _model(model: type[M], body: dict, row: Row, result: Plan) -> M | None:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        for each in error.errors():
            column = str(each["loc"][-1]) if each["loc"] else "row"
            _problem(row, column, each["msg"], result)
        return None


def _blame(row: Row, error: InvalidInput, result: Plan) -> None:
    for name, message in (error.fields or {"row": error.message}).items():
        _problem(row, name.rpartition(".")[2], message, result)


def _problem(row: Row, column: str, message: str, result: Plan) -> None:
    result.problems.append(Problem(row.kind, row.line, column, message))
