"""Benchmark of signed documents: issuing (render + sign + QR) and verifying codes.

    .venv/bin/python bench/documents_bench.py [--cases 20] [--verifications 2000]

Runs on a throw-away SQLite database and key folder; prints documents/s, verifications/s and
the share of issuing time spent in PDF rendering, signing and QR encoding.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(module, name, totals):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start

    setattr(module, name, wrapper)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--verifications", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="waiban-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="waiban.settings",
        WAIBAN_VAR_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        WAIBAN_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from waiban.documents import keys, rendering, selectors, services, signing, trust
    from waiban.testing.factories import DelegationFactory

    keys.root_create()
    keys.signer_rotate()
    delegations = [DelegationFactory(approved=True, members=6) for _ in range(args.cases)]

    totals = defaultdict(float)
    timed(rendering, "render_pdf", totals)
    timed(rendering, "render_task_form_docx", totals)
    timed(signing, "sign_claims", totals)
    timed(rendering, "qr_svg", totals)
    start = time.perf_counter()
    issued = []
    for delegation in delegations:
        issued += services.documents_issue(delegation=delegation)
    elapsed = time.perf_counter() - start
    print(
        f"issued {len(issued)} documents in {elapsed:.2f} s: {len(issued) / elapsed:.1f} documents/s"
    )
    for name, label in [
        ("render_pdf", "PDF rendering"),
        ("render_task_form_docx", "Word rendering"),
        ("sign_claims", "signing (CBOR + ECDSA + zlib + Base45)"),
        ("qr_svg", "QR encoding (segno, SVG)"),
    ]:
        print(f"  {label:40} {100 * totals[name] / elapsed:5.1f} %  ({totals[name]:.2f} s)")

    release = selectors.trust_bundle_current()
    root_pub = trust.load_root_public_key(keys.root_key().certificate.encode())
    bundle = trust.bundle_parse(bytes(release.data), root_pub)
    codes = [d.qr_text for d in issued]
    now = timezone.now()
    start = time.perf_counter()
    for i in range(args.verifications):
        verdict = trust.verify_code(codes[i % len(codes)], bundle, now=now)
        assert verdict.status == trust.Status.VALID
    elapsed = time.perf_counter() - start
    print(
        f"verified {args.verifications} codes in {elapsed:.2f} s: "
        f"{args.verifications / elapsed:.0f} verifications/s (offline, parsed bundle)"
    )
    print(f"QR text length: {min(map(len, codes))}..{max(map(len, codes))} characters (6 members)")


if __name__ == "__main__":
    main()
