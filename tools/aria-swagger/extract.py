#!/usr/bin/env python3
"""Trims Aria's release-19 Swagger 2.0 file to the calls AriaBot uses.

Usage: python3 tools/aria-swagger/extract.py ../shared/reference/aria-a7-r19-swagger.json \
           tests/AriaClient.Tests/Swagger/aria-a7-r19-uss.json

Keeps, for each call in CALLS, its path entry and every definition its request and response
reach through $ref, unchanged. The output is a test resource: the schema-fidelity tests read it.
"""
import json
import sys

CALLS = [
    "set_session_auth_m", "set_session_m", "validate_session_m", "keep_alive_m", "kill_session_m",
    "get_acct_details_all_m", "get_acct_plans_m", "get_client_plans_basic_m",
    "get_avail_plans_for_acct_m", "get_rate_schedules_for_plan_m",
    "replace_acct_plan_m", "assign_acct_plan_m", "update_acct_plan_m", "cancel_acct_plan_m",
    "collect_from_account_m", "settle_account_balance_m", "get_acct_payment_methods_and_terms_m",
    "update_payment_method_m", "get_acct_payment_history_m",
    "get_acct_contacts_m", "update_contact_m",
    "get_acct_statement_history_m", "get_statement_for_invoice_m", "get_acct_trans_history_m",
    "get_invoice_history_m", "get_invoice_details_m", "get_order_m",
    "get_client_items_all_m", "create_order_m",
    "get_acct_no_from_user_id_m", "update_acct_credentials_m",
    "get_all_acct_receipt_ids_m", "get_all_actions_by_receipt_id_m",
]


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            found.append(ref.split("/")[-1])
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def main(source, target):
    swagger = json.load(open(source, encoding="utf-8"))
    by_call = {}
    for key, item in swagger["paths"].items():
        for operation in item.values():
            by_call[operation["summary"]] = (key, item)
    missing = [c for c in CALLS if c not in by_call]
    if missing:
        sys.exit(f"not in the swagger: {missing}")
    paths = {by_call[c][0]: by_call[c][1] for c in CALLS}
    definitions = {}
    pending = []
    refs(paths, pending)
    while pending:
        name = pending.pop()
        if name in definitions:
            continue
        definitions[name] = swagger["definitions"][name]
        refs(definitions[name], pending)
    out = {
        "x-source": "Aria Systems' own Swagger 2.0 description of the A7 core API, release 19 "
                    "(AriaSystems/aria-swagger-a7, all_A7_19_swagger.json), trimmed by "
                    "tools/aria-swagger/extract.py to the calls AriaBot uses",
        "swagger": swagger["swagger"],
        "info": swagger["info"],
        "basePath": swagger["basePath"],
        "paths": paths,
        "definitions": dict(sorted(definitions.items())),
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"{len(paths)} calls, {len(definitions)} definitions -> {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
