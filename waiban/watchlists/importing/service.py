"""The import service: a checked file becomes the list's next version, then every case not yet
closed is screened again."""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.spreadsheets import FileRejected
from waiban.watchlists.importing.rows import ImportReport, parse_table, read_rows
from waiban.watchlists.importing.versions import apply_version
from waiban.watchlists.models import ControlList, ListKind

LIST_MANAGER_ROLES = {Role.REVIEWER, Role.SUPERVISOR}


def check_list_manager(actor, control_list=None):
    if actor.role not in LIST_MANAGER_ROLES or not actor.authority_id:
        raise PermissionDenied(
            "not_list_manager", _("Only the office's reviewers and supervisors manage lists.")
        )
    if control_list is not None and control_list.authority_id != actor.authority_id:
        raise PermissionDenied(
            "not_list_manager", _("Only the office that keeps a list can import it.")
        )


def control_list_import(
    *,
    actor,
    file,
    control_list: ControlList | None = None,
    kind: str = "",
    name: str = "",
    default_source: str = "",
    rescreen: bool = True,
) -> ImportReport:
    """Import ``file`` as the next version of ``control_list`` (or of a new list ``kind``/
    ``name``), then screen every case not yet closed again. Returns the row-by-row report."""
    check_list_manager(actor, control_list)
    if control_list is None:
        name = (name or "").strip()
        if kind not in ListKind.values or not name:
            raise ServiceError("list_kind_name_required", _("Choose the kind and name the list."))
        if ControlList.objects.filter(authority_id=actor.authority_id, name=name).exists():
            raise ServiceError(
                "list_name_taken", _("A list of that name exists already."), field="name"
            )
    report = ImportReport()
    try:
        table = read_rows(file)
        rows = parse_table(table, default_source=(default_source or "").strip(), report=report)
    except FileRejected as exc:
        report.file_error = str(exc)
        return report
    if report.errors:
        return report
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    with transaction.atomic():
        if control_list is None:
            control_list = ControlList.objects.create(
                authority_id=actor.authority_id, kind=kind, name=name, created_by=actor
            )
            audit_record(
                actor=actor,
                action="watchlists.list_create",
                obj=control_list,
                new={"kind": kind, "name": name},
            )
        report.list_import = apply_version(
            actor=actor,
            control_list=control_list,
            rows=rows,
            file_name=(getattr(file, "name", "") or "")[:200],
            digest=digest,
            total=report.rows,
        )
    if rescreen:
        report.new_hits = len(_rescreen(actor=actor))
    return report


def _rescreen(*, actor):
    from waiban.watchlists.screening import watchlist_rescreen

    return watchlist_rescreen(actor=actor)
