#!/usr/bin/env python3
"""Rows for the refresh_tokens table in PostgreSQL's COPY text format, on stdout.

    bench/fill-refresh-tokens.py ROWS [--audience API] | psql ... -c "\\copy refresh_tokens (COLUMNS) FROM STDIN"

The rows look like a tenant's: families of FAMILY rows (the first ones exchanged already, rotated_at set; the
last one active), 100 applications, ten families per user, Auth0-shaped ids ("rt_" + 24 characters,
"az_" + 24, "auth0|" + 24 hex), SHA-256 hex token digests, and Auth0's default lifetimes (30 days absolute, 15
idle) for families started over the last two weeks, so that none has expired and the server's sweeper leaves
them alone during a run. No row names a real authorization or a real token:
the load exchanges only tokens issued by the server. COLUMNS is the column list to give COPY.
"""
import argparse
import hashlib
import sys
import time

COLUMNS = ("id, token_hash, family_id, authorization_id, client_id, user_id, audience, scope, sid, rotating, "
           "created_at, last_used_at, rotated_at, idle_expires_at, absolute_expires_at, expires_at")
FAMILY = 4


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--audience", default="https://bench.latchkey.dev/api")
    parser.add_argument("--columns", action="store_true", help="print the COPY column list and exit")
    args = parser.parse_args()
    if args.columns:
        print(COLUMNS)
        return

    now = int(time.time() * 1000)
    day = 86_400_000
    out = sys.stdout
    buffer = []
    audience = args.audience
    sha256 = hashlib.sha256
    for i in range(args.rows):
        family = i // FAMILY
        position = i % FAMILY
        family_id = f"rt_gen{family * FAMILY:018d}"
        user = family // 10
        started = now - (family % 14) * day - FAMILY * 3_600_000
        created = started + position * 3_600_000
        absolute = started + 30 * day
        last = position == FAMILY - 1
        # An exchanged token is kept until its family's absolute end (reuse detection); an active one
        # until the sooner of its idle and absolute ends.
        rotated = r"\N" if last else str(created + 3_600_000)
        idle = created + 15 * day
        expires = min(idle, absolute) if last else absolute
        buffer.append(
            f"rt_gen{i:018d}\t{sha256(b'gen:%d' % i).hexdigest()}\t{family_id}\taz_gen{family:018d}\t"
            f"gen{family % 100:029d}\tauth0|{user:024x}\t{audience}\toffline_access read:items\t"
            f"sid_gen{user:017d}\tt\t{created}\t{rotated}\t{rotated}\t{idle}\t{absolute}\t{expires}\n")
        if len(buffer) == 10_000:
            out.write("".join(buffer))
            buffer.clear()
    out.write("".join(buffer))


if __name__ == "__main__":
    main()
