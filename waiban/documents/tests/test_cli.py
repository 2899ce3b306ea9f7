"""The offline verifier: the root certificate, a saved bundle and the code; no network."""

import subprocess
import sys

import pytest
import segno

from waiban.documents import cli, keys, selectors, services
from waiban.testing.factories import DelegationFactory


@pytest.fixture
def saved(signing_keys, unit, tmp_path):
    delegation = DelegationFactory(unit=unit, approved=True)
    document = services.documents_issue(delegation=delegation)[0]
    root = tmp_path / "root.pem"
    root.write_text(keys.root_key().certificate)
    bundle = tmp_path / "bundle.cbor"
    bundle.write_bytes(bytes(selectors.trust_bundle_current().data))
    return document, root, bundle


def test_the_verifier_says_valid_and_how_old_the_bundle_is(saved, capsys):
    document, root, bundle = saved
    code = cli.main(["--root", str(root), "--bundle", str(bundle), "--text", document.qr_text])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "VALID"
    assert document.number in out and "trust bundle #" in out and "days" in out


def test_the_verifier_reads_a_photo_of_the_code(saved, tmp_path, capsys):
    document, root, bundle = saved
    photo = tmp_path / "photo.png"
    segno.make(document.qr_text, error="q").save(str(photo), scale=4)
    code = cli.main(["--root", str(root), "--bundle", str(bundle), "--image", str(photo)])
    assert code == 0 and capsys.readouterr().out.startswith("VALID")


def test_a_tampered_code_exits_non_zero(saved, capsys):
    document, root, bundle = saved
    altered = document.qr_text[:-3] + ("AAA" if not document.qr_text.endswith("AAA") else "BBB")
    code = cli.main(["--root", str(root), "--bundle", str(bundle), "--text", altered, "--json"])
    assert code == 1 and '"status": "tampered"' in capsys.readouterr().out


def test_a_bundle_that_the_root_did_not_sign_is_refused(saved, tmp_path, capsys):
    document, root, _bundle = saved
    forged = tmp_path / "forged.cbor"
    forged.write_bytes(b"\xd2\x84" + b"\0" * 40)
    code = cli.main(["--root", str(root), "--bundle", str(forged), "--text", document.qr_text])
    assert code == 2 and "error" in capsys.readouterr().err


def test_the_installed_command_runs_without_django(saved):
    document, root, bundle = saved
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "waiban.documents.cli",
            "--root",
            str(root),
            "--bundle",
            str(bundle),
        ],
        input=document.qr_text,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "nonexistent.settings"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "VALID"
