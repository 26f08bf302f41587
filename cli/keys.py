"""`ocop keys create|list|revoke`: the API keys of provincial systems and integrators, in the
access database the services read (`MONGO_URI`, `ACCESS_DB` as in their configuration).

    ocop keys create --client "Sở NN&MT Lào Cai" --province 15 \\
        --scope registration:write --scope results:import
    ocop keys list
    ocop keys revoke KEY_ID        # refused from the next request, on every instance

The key itself is printed once, at creation; only its SHA-256 is stored.
"""

from __future__ import annotations

import argparse
import json
import sys

from cli.exits import DONE, UNUSABLE
from cli.operators import service_config

ACTIONS = ("create", "list", "revoke")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("key_id", nargs="?", help="the key to revoke")
    parser.add_argument("--client", help="who holds the key, e.g. the province's system")
    parser.add_argument("--province", action="append", default=[], help="a province code")
    parser.add_argument("--scope", action="append", default=[], help="e.g. registration:write")
    parser.add_argument(
        "--role", action="append", default=[], help="default: integrator (its scopes)"
    )
    parser.add_argument("--note", default="")


def run(arguments: argparse.Namespace) -> int:
    from shared.access.api_keys import DEFAULT_DB, KeyRing
    from shared.access.roles import ROLES, SCOPES
    from shared.errors import NotFound
    from shared.storage import mongo_client

    config = service_config("registration")
    with mongo_client(config["MONGO_URI"]) as client:
        keys = KeyRing(client[config.get("ACCESS_DB") or DEFAULT_DB])
        if arguments.action == "list":
            for each in keys.listed():
                print(json.dumps(each, ensure_ascii=False))
            return DONE
        if arguments.action == "revoke":
            if not arguments.key_id:
                print("revoke: give the key id (see `ocop keys list`)", file=sys.stderr)
                return UNUSABLE
            try:
                revoked = keys.revoke(arguments.key_id)
            except NotFound as problem:
                print(problem.message, file=sys.stderr)
                return UNUSABLE
            print(f"revoked {revoked['_id']} ({revoked['client']}) at {revoked['revoked_at']}")
            return DONE
        roles = arguments.role or ["integrator"]
        problems = [f"--role {r}: unknown" for r in roles if r not in ROLES]
        problems += [
            f"--scope {scope}: one of {', '.join(SCOPES)}"
            for scope in arguments.scope
            if scope not in SCOPES
        ]
        problems += [f"--province {p}: two digits" for p in arguments.province if not _code(p)]
        if not arguments.client:
            problems.append("--client: who holds the key")
        if not arguments.province:
            problems.append("--province: at least one")
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return UNUSABLE
        key_id, key = keys.create(
            arguments.client,
            roles=roles,
            provinces=arguments.province,
            scopes=arguments.scope,
            note=arguments.note,
        )
    print(f"key id {key_id}; the key (shown only now): {key}")
    return DONE


def _code(province: str) -> bool:
    return len(province) == 2 and province.isdigit()
