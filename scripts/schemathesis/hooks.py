"""Schemathesis hooks for Accord's contract run (scripts/contract).

The run authenticates with a personal access token, and DELETE /api/v1/tokens/{id}
revokes the caller's own tokens: a fuzzer that found the token's real id (from
GET /api/v1/tokens) would revoke it and spend the rest of the run on 401s. The ids of
the run's own tokens come from ST_PROTECTED_TOKEN_IDS (comma-separated); every other
id, random or real, is still sent.
"""
import os

import schemathesis

PROTECTED = {x for x in os.environ.get("ST_PROTECTED_TOKEN_IDS", "").split(",") if x}


@schemathesis.hook("filter_case").apply_to(operation_id="revoke_token")
def keep_own_token(ctx, case):
    return (case.path_parameters or {}).get("id") not in PROTECTED
