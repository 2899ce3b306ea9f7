"""Writing a checked file as the list's next version: entries added, updated, restored or
deactivated (never deleted: hits and history point at them), each change recorded."""

from waiban.core.audit import audit_record
from waiban.watchlists.models import ControlList, EntryChange, ListEntry, ListImport
from waiban.watchlists.names import with_birth

CHUNK = 2000
MATCH_FIELDS = ("name", "birth_date", "note", "source")


def apply_version(*, actor, control_list, rows, file_name, digest, total) -> ListImport:
    locked = ControlList.objects.select_for_update().get(pk=control_list.pk)
    locked.version += 1
    locked.save(update_fields=["version"])
    control_list.version = locked.version
    imp = ListImport.objects.create(
        control_list=locked,
        version=locked.version,
        file_name=file_name,
        file_sha256=digest,
        imported_by=actor,
        rows=total,
    )
    existing: dict[str, ListEntry] = {}
    identities = [r.identity for r in rows]
    for start in range(0, len(identities), CHUNK):
        for entry in ListEntry.objects.filter(
            control_list=locked, identity__in=identities[start : start + CHUNK]
        ).only("id", "identity", "is_active", *MATCH_FIELDS):
            existing[entry.identity] = entry

    created, changed, unchanged_ids, changes = [], [], [], []
    for row in rows:
        entry = existing.get(row.identity)
        if entry is None:
            created.append(
                ListEntry(
                    control_list=locked,
                    name=row.name,
                    birth_date=row.birth_date,
                    id_number_hash=row.id_hash,
                    zh_birth_key=with_birth(row.zh_key, row.birth_date),
                    pinyin_birth_key=with_birth(row.pinyin_key, row.birth_date),
                    identity=row.identity,
                    note=row.note,
                    source=row.source,
                    added_in=imp,
                    last_seen_in=imp,
                )
            )
            continue
        new = {"name": row.name, "birth_date": row.birth_date, "note": row.note}
        new["source"] = row.source
        differs = any(getattr(entry, k) != v for k, v in new.items())
        if entry.is_active and not differs:
            unchanged_ids.append(entry.pk)
            continue
        kind = EntryChange.Change.UPDATED if entry.is_active else EntryChange.Change.RESTORED
        for key, value in new.items():
            setattr(entry, key, value)
        entry.zh_birth_key = with_birth(row.zh_key, row.birth_date)
        entry.pinyin_birth_key = with_birth(row.pinyin_key, row.birth_date)
        entry.is_active, entry.removed_in, entry.last_seen_in = True, None, imp
        changed.append(entry)
        changes.append(EntryChange(entry=entry, list_import=imp, change=kind))

    ListEntry.objects.bulk_create(created, batch_size=CHUNK)
    changes.extend(
        EntryChange(entry=e, list_import=imp, change=EntryChange.Change.ADDED) for e in created
    )
    ListEntry.objects.bulk_update(
        changed,
        [
            *MATCH_FIELDS,
            "zh_birth_key",
            "pinyin_birth_key",
            "is_active",
            "removed_in",
            "last_seen_in",
        ],
        batch_size=CHUNK,
    )
    for start in range(0, len(unchanged_ids), CHUNK):
        ListEntry.objects.filter(pk__in=unchanged_ids[start : start + CHUNK]).update(
            last_seen_in=imp
        )
    # Not in this version: deactivated, never deleted (hits and history point at them).
    gone = list(
        ListEntry.objects.filter(control_list=locked, is_active=True)
        .exclude(last_seen_in=imp)
        .values_list("pk", flat=True)
    )
    for start in range(0, len(gone), CHUNK):
        ListEntry.objects.filter(pk__in=gone[start : start + CHUNK]).update(
            is_active=False, removed_in=imp
        )
    changes.extend(
        EntryChange(entry_id=pk, list_import=imp, change=EntryChange.Change.DEACTIVATED)
        for pk in gone
    )
    EntryChange.objects.bulk_create(changes, batch_size=CHUNK)

    imp.added = len(created)
    imp.restored = sum(c.change == EntryChange.Change.RESTORED for c in changes)
    imp.updated = sum(c.change == EntryChange.Change.UPDATED for c in changes)
    imp.unchanged = len(unchanged_ids)
    imp.deactivated = len(gone)
    imp.save(update_fields=["added", "restored", "updated", "unchanged", "deactivated"])
    audit_record(
        actor=actor,
        action="watchlists.list_import",
        obj=imp,
        new={
            "control_list": locked.pk,
            "version": imp.version,
            "file_name": imp.file_name,
            "file_sha256": digest,
            "rows": total,
            "added": imp.added,
            "restored": imp.restored,
            "updated": imp.updated,
            "unchanged": imp.unchanged,
            "deactivated": imp.deactivated,
        },
    )
    return imp
