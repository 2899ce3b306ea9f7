"""``waiban-verify``: check a Waiban document's QR code offline.

Needs only the office's root certificate (fetched once) and a saved trust bundle; says how old
the bundle is, since a revocation newer than the bundle cannot be known offline.
Exit status: 0 VALID, 1 any other verdict, 2 unusable root key, bundle or input.
"""

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from waiban.documents import codec, trust

STALE_AFTER = dt.timedelta(days=7)


def _read_input(args) -> list[str]:
    if args.image:
        from waiban.documents.qrimage import qr_texts_from_image

        return qr_texts_from_image(Path(args.image).read_bytes())
    text = args.text if args.text is not None else sys.stdin.read()
    return [text]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="waiban-verify", description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True, help="root certificate or public key (PEM)")
    parser.add_argument("--bundle", required=True, help="trust bundle file (CBOR)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--text", help="the code's text (default: read from standard input)")
    source.add_argument("--image", help="a photo or scan of the QR code")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    args = parser.parse_args(argv)
    now = dt.datetime.now(dt.UTC)
    try:
        root = trust.load_root_public_key(Path(args.root).read_bytes())
        bundle = trust.bundle_parse(Path(args.bundle).read_bytes(), root)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        texts = _read_input(args)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read the input: {exc}", file=sys.stderr)
        return 2
    if not texts:
        verdict = trust.Verdict(trust.Status.NOT_WAIBAN, "no QR code found in the image")
    else:
        verdicts = [trust.verify_code(t, bundle, now=now) for t in texts]
        verdict = next((v for v in verdicts if v.status != trust.Status.NOT_WAIBAN), verdicts[0])
    age = bundle.age(now)
    bundle_note = (
        f"trust bundle #{bundle.sequence} issued "
        f"{dt.datetime.fromtimestamp(bundle.issued_at, tz=dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{age.days} days {age.seconds // 3600} hours old"
    )
    if args.json:
        out = verdict.as_dict()
        out["bundle"] = {"sequence": bundle.sequence, "age_seconds": int(age.total_seconds())}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(verdict.status.label)
        if verdict.reason:
            print(f"  {verdict.reason}")
        if verdict.claims:
            c, f = verdict.claims, verdict.claims.facts
            zh, en = codec.kind_names(f.kind)
            print(f"  document: {en} / {zh} ({f.kind})")
            print(f"  number:   {c.number} version {c.version} (office {c.issuer})")
            print(f"  title:    {f.title}")
            print(f"  unit:     {f.unit}")
            for m in f.members:
                print(f"  member:   {m.name_zh} ({m.pinyin}), {m.unit}, {m.post}")
            print(f"  countries: {', '.join(f.countries)}; dates {f.departure} – {f.return_date}")
            print(f"  signed {c.issued_at_dt():%Y-%m-%d}, valid until {c.expires_at_dt():%Y-%m-%d}")
        print(bundle_note)
        if age > STALE_AFTER:
            print(
                "  warning: the bundle is over a week old; fetch a fresh one to see recent revocations"
            )
    return 0 if verdict.status == trust.Status.VALID else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
