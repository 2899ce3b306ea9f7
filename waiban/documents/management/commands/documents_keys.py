"""Key management: ``init`` (root + first signer), ``rotate`` (new signer; the old one retires
but stays trusted), ``list``, ``publish`` (sign a fresh trust bundle), ``export`` (root
certificate and bundle to files, for offline checkers)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waiban.core.errors import ServiceError
from waiban.documents import keys, selectors, services
from waiban.documents.models import SigningKey


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "rotate", "list", "publish", "export"])
        parser.add_argument("--days", type=int, help="validity of a new signer key, in days")
        parser.add_argument("--out", default=".", help="folder for export")

    def handle(self, *args, action, days=None, out=".", **options):
        try:
            if action == "init":
                if keys.root_key() is None:
                    root = keys.root_create()
                    self.stdout.write(f"root key {root.kid} created")
                signer = keys.signer_rotate(days=days)
                self.stdout.write(
                    f"signer key {signer.kid} valid until {signer.not_after:%Y-%m-%d}"
                )
            elif action == "rotate":
                signer = keys.signer_rotate(days=days)
                self.stdout.write(
                    f"signer key {signer.kid} valid until {signer.not_after:%Y-%m-%d}"
                )
            elif action == "publish":
                release = services.trust_bundle_publish()
                self.stdout.write(f"trust bundle #{release.sequence} published")
            elif action == "export":
                self._export(Path(out))
            for key in SigningKey.objects.all() if action == "list" else []:
                state = "active" if key.is_active else f"retired {key.retired_at:%Y-%m-%d}"
                self.stdout.write(
                    f"{key.role:6} {key.kid} {key.not_before:%Y-%m-%d}..{key.not_after:%Y-%m-%d} {state}"
                )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc

    def _export(self, folder: Path):
        root = keys.root_key()
        release = selectors.trust_bundle_current()
        if root is None or release is None:
            raise CommandError("no keys yet: run `documents_keys init`")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "waiban-root.pem").write_text(root.certificate)
        (folder / "waiban-trust-bundle.cbor").write_bytes(bytes(release.data))
        self.stdout.write(f"wrote {folder}/waiban-root.pem and waiban-trust-bundle.cbor")
