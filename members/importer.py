"""Reading and planning a member-list import (.xlsx or .csv).

The importer's contract (issue 9):

- the file is checked BEFORE it is parsed: size on disk, uncompressed size of every part
  of an .xlsx (a zip), the row count the sheet declares; while rows stream in, the row
  count and each cell's length are checked again, so a zip bomb is refused quickly with
  little memory;
- headings are matched ignoring case, accents, spaces and punctuation, in the forms an
  office types them; an unknown heading is an error that lists the accepted ones;
- a blank cell means "not given": it never erases a stored value;
- a row is matched to a person of the province by the ``id`` column of the portal's own
  export, then by phone, then by e-mail; a phone of one person and an e-mail of another
  (or an id that disagrees with them) is an error naming both;
- rows of one file that are the same person are merged when they agree, and named when
  they conflict;
- every message quotes at most 100 characters of what the file holds.

:func:`read_table` reads, :func:`plan_import` decides what would change (nothing is
written), and ``members.services.member_import_apply`` writes a plan.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from phonenumber_field.phonenumber import PhoneNumber

from members.models import ETHNIC_GROUPS, Category, Person, search_key
from members.phones import CheckedPhoneNumber, normalise_phone
from networks.models import Commune
from portal.spreadsheets import FORMULA_TRIGGERS
from portal.text import clean_text, shorten

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 80 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELL_CHARS = 1_000
MAX_ERRORS = 200
PREVIEW_ROWS = 200

# field -> accepted headings; the first is the one the template and the export use.
HEADINGS: dict[str, tuple[str, ...]] = {
    "id": ("id", "Mã", "Mã hồ sơ"),
    "full_name": ("Họ và tên", "Họ tên", "Tên", "Full name", "Name"),
    "year_of_birth": ("Năm sinh", "Year of birth"),
    "ethnicity": ("Dân tộc", "Ethnicity"),
    "phone": ("Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Phone"),
    "email": ("Email", "E-mail", "Thư điện tử"),
    "organisation": ("Cơ quan/đơn vị", "Cơ quan", "Đơn vị", "Nơi công tác", "Organisation", "Organization"),
    "position": ("Chức vụ", "Position"),
    "category": ("Nhóm thành viên", "Nhóm", "Category", "Primary category"),
    "commune": ("Xã/phường", "Xã", "Phường", "Commune/ward", "Commune"),
    "is_young_potential_leader": ("Lãnh đạo trẻ tiềm năng", "Lãnh đạo trẻ", "Young potential leader"),
}
FIELD_LABEL = {name: headings[0] for name, headings in HEADINGS.items()}
PROFILE_FIELDS = [name for name in HEADINGS if name != "id"]
TEXT_LIMITS = {"full_name": 200, "organisation": 255, "position": 255}

YES = {"x", "co", "yes", "y", "1", "true", "dung"}
NO = {"khong", "no", "n", "0", "false", "sai"}

# Short names offices use for the categories (accent-free keys).
CATEGORY_SHORT = {
    "so nganh": Category.DEPARTMENT_LEADER,
    "so ban nganh": Category.DEPARTMENT_LEADER,
    "lanh dao so nganh": Category.DEPARTMENT_LEADER,
    "doanh nhan": Category.BUSINESSWOMAN,
    "doanh nghiep": Category.BUSINESSWOMAN,
    "dai bieu": Category.DEPUTY,
    "dbqh": Category.DEPUTY,
    "hdnd": Category.DEPUTY,
    "dbqh/hdnd": Category.DEPUTY,
    "hoi phu nu": Category.UNION_OFFICIAL,
    "hoi lhpn": Category.UNION_OFFICIAL,
    "can bo hoi": Category.UNION_OFFICIAL,
    "giang vien": Category.ACADEMIC,
    "dai hoc": Category.ACADEMIC,
    "doan thanh nien": Category.YOUTH,
    "thanh nien": Category.YOUTH,
    "hoi sinh vien": Category.YOUTH,
    "khac": Category.OTHER,
}

_ETHNICITY_BY_KEY = {search_key(name): name for name in ETHNIC_GROUPS}
_ETHNICITY_BY_KEY.update({"h'mong": "Mông", "hmong": "Mông", "h mong": "Mông", "ede": "Ê Đê", "bana": "Ba Na"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def heading_key(text: Any) -> str:
    """A heading without case, accents, spaces or punctuation: "Xã/Phường" -> "xaphuong"."""
    return _NOT_ALNUM.sub("", search_key(clean_text(str(text or ""))))


_FIELD_BY_HEADING = {heading_key(h): name for name, headings in HEADINGS.items() for h in headings}


def accepted_headings() -> str:
    return ", ".join(h for headings in HEADINGS.values() for h in headings)


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported (the message is for the user)."""


# --- reading -----------------------------------------------------------------------------


def _check_zip(content: bytes) -> None:
    """Refuse an .xlsx whose parts would unpack to too much, before anything is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The file could not be read as a spreadsheet.")) from exc
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        if len(infos) > 1000 or total > MAX_UNCOMPRESSED_BYTES:
            raise ImportFileError(
                _("The workbook unpacks to more than %(mb)s MB; split it into smaller files.")
                % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
            )
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as handle:
                    head = handle.read(4096).decode("utf-8", "replace")
                match = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
                if match and int(match.group(1)) > MAX_ROWS + 1:
                    raise _too_many_rows()


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        ngettext(
            "The file has more than %(n)s row; split it into smaller files.",
            "The file has more than %(n)s rows; split it into smaller files.",
            MAX_ROWS,
        )
        % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _checked_row(row: list[Any], line: int) -> list[Any]:
    """``row`` itself, once no cell holds more than MAX_CELL_CHARS characters."""
    for value in row:
        if value.__class__ is str and len(value) > MAX_CELL_CHARS:
            raise ImportFileError(
                ngettext(
                    "Row %(row)s: a cell holds more than %(n)s character (“%(value)s”).",
                    "Row %(row)s: a cell holds more than %(n)s characters (“%(value)s”).",
                    MAX_CELL_CHARS,
                )
                % {"row": line, "n": MAX_CELL_CHARS, "value": shorten(value)}
            )
    return row


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_COLUMN = re.compile(r"[A-Z]+")


def _column_index(ref: str) -> int:
    letters = _COLUMN.match(ref)
    index = 0
    for ch in letters.group(0) if letters else "":
        index = index * 26 + ord(ch) - 64
    return index - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    from xml.etree import ElementTree as ET  # noqa: S405 - parsing only a size-checked zip part

    try:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
        rel_id = sheet.get(f"{_REL_NS}id") if sheet is not None else None
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
        for rel in rels:
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    except KeyError:
        pass
    return "xl/worksheets/sheet1.xml"


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_CHUNK = 64 * 1024


def _refuse_doctype(*_args: Any) -> None:
    raise ValueError("a workbook part has no DTD")


def _expat(handle: Any, start: Any, end: Any, done: list[Any]) -> Iterator[Any]:
    """Feed ``handle`` to an expat parser in chunks (namespaces as "uri name"), yielding
    what the handlers put in ``done`` after each chunk: memory stays at a chunk's worth."""
    from xml.parsers import expat  # noqa: S410 - only size-checked zip parts; DTDs refused

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = start(parser)
    parser.EndElementHandler = end(parser)
    while chunk := handle.read(_CHUNK):
        parser.Parse(chunk, False)
        yield from done
        done.clear()
    parser.Parse(b"", True)
    yield from done
    done.clear()


def _shared_strings(handle: Any) -> list[str]:
    """The workbook's shared strings: the text of each ``<si>`` (rich-text runs joined,
    phonetic guides left out)."""
    si, t, rph = f"{_SHEET_NS}si", f"{_SHEET_NS}t", f"{_SHEET_NS}rPh"
    done: list[str] = []
    text: list[str] = []
    phonetic = 0

    def start(parser: Any) -> Any:
        def handler(name: str, _attrs: dict[str, str]) -> None:
            nonlocal phonetic
            if name == t and not phonetic:
                parser.CharacterDataHandler = text.append
            elif name == rph:
                phonetic += 1

        return handler

    def end(parser: Any) -> Any:
        def handler(name: str) -> None:
            nonlocal phonetic
            if name == t:
                parser.CharacterDataHandler = None
            elif name == si:
                done.append("".join(text))
                text.clear()
            elif name == rph:
                phonetic -= 1

        return handler

    return list(_expat(handle, start, end, done))


def _sheet_rows(handle: Any, shared: list[str]) -> Iterator[list[Any]]:
    """The rows of one worksheet part, as lists of values (None for an empty cell)."""
    c, v, t, row_tag, rph = (f"{_SHEET_NS}{tag}" for tag in ("c", "v", "t", "row", "rPh"))
    done: list[list[Any]] = []
    row: list[Any] = []
    text: list[str] = []
    kind: str | None = None
    ref: str | None = None
    number = 0
    phonetic = 0
    columns: dict[str, int] = {}

    def start(parser: Any) -> Any:
        def handler(name: str, attrs: dict[str, str]) -> None:
            nonlocal kind, ref, number, row, phonetic
            if name == c:
                kind, ref = attrs.get("t"), attrs.get("r")
                text.clear()
            elif name == v or (name == t and not phonetic):
                parser.CharacterDataHandler = text.append
            elif name == row_tag:
                declared = int(attrs.get("r") or number + 1)
                if declared - number - 1 > MAX_ROWS:
                    raise _too_many_rows()
                for _gap in range(declared - number - 1):
                    done.append([])  # empty rows are not written; keep the line numbers right
                number = declared
                row = []
            elif name == rph:
                phonetic += 1

        return handler

    def end(parser: Any) -> Any:
        def handler(name: str) -> None:
            nonlocal phonetic
            if name == c:
                raw = "".join(text)
                value: Any = None
                if kind == "inlineStr":
                    value = raw
                elif raw:
                    if kind == "s":
                        value = shared[int(raw)]
                    elif kind in ("str", "e"):
                        value = raw
                    elif kind == "b":
                        value = raw == "1"
                    else:
                        numeric = float(raw)
                        value = int(numeric) if numeric.is_integer() and "E" not in raw else numeric
                if ref:
                    letters = ref.rstrip("0123456789")
                    index = columns.get(letters)
                    if index is None:
                        index = columns[letters] = _column_index(ref)
                else:
                    index = len(row)
                if index >= 16384:
                    raise ValueError("column out of range")
                if index >= len(row):
                    row.extend([None] * (index - len(row) + 1))
                row[index] = value
            elif name in (v, t):
                parser.CharacterDataHandler = None
            elif name == row_tag:
                done.append(row)
            elif name == rph:
                phonetic -= 1

        return handler

    return _expat(handle, start, end, done)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows as lists of values, streamed from the (size-checked) zip by
    expat, the standard library's C parser, a few callbacks per cell: several times
    faster than openpyxl's reader or ElementTree's iterparse, holding one 64 KB chunk of
    rows at a time (plus the shared strings)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as handle:
                shared = _shared_strings(handle)
        with archive.open(_first_sheet_path(archive)) as handle:
            yield from _sheet_rows(handle, shared)


def read_table(content: bytes, name: str) -> tuple[list[str], list[list[Any]]]:
    """The heading row and the data rows of the first sheet (or of a CSV file).
    Raises ImportFileError when the file is too big, unreadable or too long."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB."))
    rows: list[list[Any]] = []
    if name.lower().endswith(".xlsx"):
        _check_zip(content)
        try:
            for line, row in enumerate(_xlsx_rows(content), start=1):
                if line > MAX_ROWS + 1:
                    raise _too_many_rows()
                rows.append(_checked_row(row, line))
        except ImportFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same message
            raise ImportFileError(_("The file could not be read as a spreadsheet.")) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("Save the CSV file as UTF-8 and upload it again.")) from exc
        text = text.replace("\x00", "")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        previous = csv.field_size_limit()
        csv.field_size_limit(MAX_CELL_CHARS * 4)
        try:
            for line, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
                if line > MAX_ROWS + 1:
                    raise _too_many_rows()
                rows.append(_checked_row(row, line))
        except csv.Error as exc:
            raise ImportFileError(
                ngettext(
                    "The file could not be read as CSV (a cell may be longer than %(n)s character).",
                    "The file could not be read as CSV (a cell may be longer than %(n)s characters).",
                    MAX_CELL_CHARS,
                )
                % {"n": MAX_CELL_CHARS}
            ) from exc
        finally:
            csv.field_size_limit(previous)
    while rows and all(_blank(v) for v in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    headers = ["" if h is None else str(h) for h in rows[0]]
    return headers, rows[1:]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_cell(value: Any) -> Any:
    """Text without control characters, NFC, trimmed; the apostrophe our exports put
    before a formula trigger is dropped, so an exported file imports back unchanged."""
    if isinstance(value, str):
        value = clean_text(value).strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
            value = value[1:]
    return value


# --- planning ----------------------------------------------------------------------------


@dataclass
class PlannedRow:
    line: int
    read: dict[str, str]  # heading -> the cell as read (shown in the preview)
    action: str = ""  # "new", "update", "unchanged", "same" (merged into an earlier row)
    person_id: int | None = None
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (before, after)


@dataclass
class ImportPlan:
    province_id: int
    file_name: str
    headers: list[str] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)  # field values of new people
    updates: list[tuple[Person, dict[str, Any]]] = field(default_factory=list)  # person, changed values
    unchanged: list[Person] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "new": len(self.new),
            "update": len(self.updates),
            "unchanged": len(self.unchanged),
        }

    def summary(self) -> dict[str, Any]:
        """What the preview shows (JSON-ready): totals, errors and the first rows."""
        return {
            "totals": self.totals,
            "errors": self.errors[:MAX_ERRORS],
            "error_count": len(self.errors),
            "headers": self.headers,
            "rows": [
                {
                    "line": r.line,
                    "read": [r.read.get(h, "") for h in self.headers],
                    "action": r.action,
                    "person_id": r.person_id,
                    "changes": [[label, before, after] for label, (before, after) in r.changes.items()],
                }
                for r in self.rows[:PREVIEW_ROWS]
            ],
        }


def _category_keys() -> dict[str, str]:
    from django.utils import translation

    keys: dict[str, str] = {search_key(k): v for k, v in CATEGORY_SHORT.items()}
    for choice in Category:
        keys[choice.value] = choice.value
        for lang in ("vi", "en"):
            with translation.override(lang):
                keys[search_key(str(choice.label))] = choice.value
    return keys


def _commune_keys(province_id: int) -> tuple[dict[str, int], dict[int, str]]:
    keys: dict[str, int] = {}
    names: dict[int, str] = {}
    short: dict[str, list[int]] = {}
    for code, name, division in Commune.objects.filter(province_id=province_id).values_list(
        "code", "name", "division_type"
    ):
        names[code] = name
        keys[search_key(name)] = code
        keys[str(code)] = code
        bare = search_key(name).removeprefix(search_key(division)).strip()
        short.setdefault(bare, []).append(code)
    for bare, codes in short.items():
        if len(codes) == 1:
            keys.setdefault(bare, codes[0])
    return keys, names


def _display(field_name: str, value: Any, commune_names: dict[int, str]) -> str:
    if value in (None, ""):
        return ""
    if field_name == "commune":
        return commune_names.get(value, str(value))
    if field_name == "category":
        return str(Category(value).label) if value in Category.values else str(value)
    if field_name == "is_young_potential_leader":
        return _("Yes") if value else _("No")
    return str(value)


def _stored(person: Person, field_name: str) -> Any:
    if field_name == "commune":
        return person.commune_id
    if field_name == "phone":
        return _phone_text(person)
    return getattr(person, field_name)


def plan_import(*, headers: list[str], rows: list[list[Any]], province_id: int, file_name: str) -> ImportPlan:
    """Decide, without writing anything, what importing ``rows`` into ``province_id``
    would do. ``plan.errors`` lists every problem; when it is not empty nothing may be
    imported."""
    plan = ImportPlan(province_id=province_id, file_name=file_name)
    headers = [clean_cell(h) if isinstance(h, str) else "" for h in headers]
    plan.headers = [h for h in headers if h]
    columns: dict[int, str] = {}
    seen_fields: dict[str, str] = {}
    for index, heading in enumerate(headers):
        if not heading:
            continue
        name = _FIELD_BY_HEADING.get(heading_key(heading))
        if name is None:
            plan.errors.append(
                _("Unknown column “%(column)s”. Accepted columns: %(accepted)s.")
                % {"column": shorten(heading), "accepted": accepted_headings()}
            )
            continue
        if name in seen_fields:
            plan.errors.append(
                _("Columns “%(first)s” and “%(second)s” are the same column.")
                % {"first": shorten(seen_fields[name]), "second": shorten(heading)}
            )
            continue
        seen_fields[name] = heading
        columns[index] = name
    if "full_name" not in seen_fields and "id" not in seen_fields:
        plan.errors.append(_("The file has no column “%(column)s”.") % {"column": FIELD_LABEL["full_name"]})
    if plan.errors:
        return plan

    categories = _category_keys()
    communes, commune_names = _commune_keys(province_id)

    # First every row is read and checked on its own; then the people it may be are
    # looked up at once (:func:`_people_named`), not row by row.
    wanted = sorted(columns.items())
    parsed: list[tuple[PlannedRow, dict[str, Any], dict[str, Any], list[str]]] = []
    for offset, raw_row in enumerate(rows):
        line = offset + 2
        width = len(raw_row)
        cells: dict[str, Any] = {}
        given = False
        for index, name in wanted:
            if index >= width:
                break
            value = raw_row[index]
            if isinstance(value, str):
                value = clean_cell(value)
                given = given or value != ""
            elif value is not None:
                given = True
            cells[name] = value
        if not given:
            continue
        # The preview shows the first rows as read; the others are only counted.
        read = (
            {seen_fields[f]: ("" if _blank(v) else str(v)) for f, v in cells.items()}
            if len(plan.rows) < PREVIEW_ROWS
            else {}
        )
        planned = PlannedRow(line=line, read=read)
        plan.rows.append(planned)
        errors: list[str] = []
        values: dict[str, Any] = {}
        for name, raw in cells.items():
            if raw is None or raw == "":
                continue  # not given: never erases a stored value
            value, problem = _PARSERS[name](raw, categories, communes)
            if problem:
                errors.append(_bad_cell(line, seen_fields.get(name, FIELD_LABEL[name]), problem))
            else:
                values[name] = value
        parsed.append((planned, cells, values, errors))

    by_id, by_phone, by_email = _people_named(province_id, [values for _row, _cells, values, _errors in parsed])

    groups: dict[Any, dict[str, Any]] = {}  # group key -> {"person", "values", "lines", "keys"}
    key_to_group: dict[Any, Any] = {}

    for planned, cells, values, errors in parsed:
        line = planned.line

        # Who is this row? The export's id, then phone, then e-mail.
        matches: list[tuple[str, Person]] = []
        if "id" in values:
            person = by_id.get(values.pop("id"))
            if person is None:
                errors.append(
                    _bad_cell(
                        line,
                        seen_fields["id"],
                        _("“%(value)s” is not a person of this province.") % {"value": shorten(cells["id"])},
                    )
                )
            else:
                matches.append(("id", person))
        if values.get("phone") and values["phone"] in by_phone:
            matches.append(("phone", by_phone[values["phone"]]))
        if values.get("email") and values["email"] in by_email:
            matches.append(("email", by_email[values["email"]]))
        distinct = {p.pk: (how, p) for how, p in matches}
        if len(distinct) > 1:
            (how1, first), (how2, second) = list(distinct.values())[:2]
            errors.append(
                _(
                    "Row %(row)s: the %(how1)s points to %(first)s (#%(first_id)s) but the %(how2)s to "
                    "%(second)s (#%(second_id)s); merge the two records first or correct the row."
                )
                % {
                    "row": line,
                    "how1": _how(how1),
                    "first": shorten(first.full_name),
                    "first_id": first.pk,
                    "how2": _how(how2),
                    "second": shorten(second.full_name),
                    "second_id": second.pk,
                }
            )
        if errors:
            plan.errors.extend(errors)
            continue
        person = matches[0][1] if matches else None

        # Rows of one file that are the same person: merged when they agree.
        keys = [("person", person.pk)] if person else []
        if values.get("phone"):
            keys.append(("phone", values["phone"]))
        if values.get("email"):
            keys.append(("email", values["email"]))
        found = {key_to_group[k] for k in keys if k in key_to_group}
        if len(found) > 1:
            lines = sorted(min(groups[g]["lines"]) for g in found)
            plan.errors.append(
                _("Row %(row)s joins rows %(rows)s, which are different people (by phone and e-mail).")
                % {"row": line, "rows": ", ".join(map(str, lines))}
            )
            continue
        if found:
            group_key = found.pop()
            group = groups[group_key]
            conflicts = [
                name for name, value in values.items() if name in group["values"] and group["values"][name] != value
            ]
            if conflicts:
                plan.errors.append(
                    _("Rows %(first)s and %(row)s are the same person but differ in: %(columns)s.")
                    % {
                        "first": min(group["lines"]),
                        "row": line,
                        "columns": ", ".join(shorten(seen_fields[c]) for c in conflicts),
                    }
                )
                continue
            group["values"].update(values)
            group["lines"].append(line)
            planned.action = "same"
            planned.person_id = person.pk if person else None
        else:
            group_key = keys[0] if keys else ("line", line)
            groups[group_key] = {"person": person, "values": values, "lines": [line], "row": planned}
        for k in keys:
            key_to_group[k] = group_key

    for group in groups.values():
        person, values, planned = group["person"], group["values"], group["row"]
        if person is None:
            if not values.get("full_name"):
                plan.errors.append(
                    _("Row %(row)s, column “%(column)s”: the full name is required.")
                    % {"row": planned.line, "column": seen_fields.get("full_name", FIELD_LABEL["full_name"])}
                )
                continue
            planned.action = "new"
            plan.new.append(values)
            continue
        planned.person_id = person.pk
        # Her ethnic group is stored only with her explicit consent (issue 11): without it
        # the file's value is no change, so re-importing a list previews as unchanged.
        changed = {
            name: value
            for name, value in values.items()
            if _stored(person, name) != value and (name != "ethnicity" or person.sensitive_consent_at)
        }
        if changed:
            planned.action = "update"
            planned.changes = {
                FIELD_LABEL[name]: (
                    _display(name, _stored(person, name), commune_names),
                    _display(name, value, commune_names),
                )
                for name, value in changed.items()
            }
            plan.updates.append((person, changed))
        else:
            planned.action = "unchanged"
            plan.unchanged.append(person)
    return plan


def _how(how: str) -> str:
    return {"id": _("id"), "phone": _("phone"), "email": _("e-mail")}[how]


_key = lru_cache(maxsize=8192)(search_key)

# One parser per column: (value, "") or (None, message) for one non-blank cell, given
# the category and commune keys of the import.
_Parser = Callable[[Any, dict[str, str], dict[str, int]], tuple[Any, str]]


def _text(raw: Any) -> str:
    return raw if isinstance(raw, str) else str(raw).strip()


def _parse_id(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    text = _text(raw)
    try:
        return int(float(text)), ""
    except ValueError:
        return None, _("“%(value)s” is not a record number.") % {"value": shorten(text)}


def _text_parser(limit: int) -> _Parser:
    def parse(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
        text = " ".join(_text(raw).split())
        if len(text) > limit:
            return None, ngettext("at most %(n)s character.", "at most %(n)s characters.", limit) % {"n": limit}
        return text, ""

    return parse


def _parse_year(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    text = _text(raw)
    try:
        year = int(float(text))
    except ValueError:
        year = 0
    if not 1920 <= year <= 2015:
        return None, _("“%(value)s” is not a year of birth (1920–2015).") % {"value": shorten(text)}
    return year, ""


def _parse_ethnicity(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    text = _text(raw)
    found = _ETHNICITY_BY_KEY.get(_key(text).removeprefix("dan toc ").strip())
    if not found:
        return None, _("“%(value)s” is not one of the 54 ethnic groups.") % {"value": shorten(text)}
    return found, ""


def _parse_phone(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    text = quoted = _text(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if isinstance(raw, int) or (text.isdigit() and not text.startswith(("0", "84"))):
        text = "0" + text  # Excel dropped the leading zero of a number typed as a number
    try:
        return normalise_phone(text), ""
    except ValidationError:
        return None, _("“%(value)s” is not a valid phone number.") % {"value": shorten(quoted)}


def _parse_email(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    text = _text(raw)
    email = text.lower()
    try:
        validate_email(email)
    except ValidationError:
        return None, _("“%(value)s” is not an e-mail address.") % {"value": shorten(text)}
    return email, ""


def _parse_category(raw: Any, categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    text = _text(raw)
    code = categories.get(text) or categories.get(_key(text))
    if not code:
        return None, _("“%(value)s” is not a member category.") % {"value": shorten(text)}
    return code, ""


def _parse_commune(raw: Any, _categories: dict[str, str], communes: dict[str, int]) -> tuple[Any, str]:
    text = _text(raw)
    code = communes.get(_key(text))
    if not code:
        return None, _("“%(value)s” is not a commune/ward of this province.") % {"value": shorten(text)}
    return code, ""


def _parse_yes_no(raw: Any, _categories: dict[str, str], _communes: dict[str, int]) -> tuple[Any, str]:
    key = _key(_text(raw))
    if key in YES:
        return True, ""
    if key in NO:
        return False, ""
    return None, _("write “có” or “không”, or leave empty.")


_PARSERS: dict[str, _Parser] = {
    "id": _parse_id,
    "full_name": _text_parser(TEXT_LIMITS["full_name"]),
    "year_of_birth": _parse_year,
    "ethnicity": _parse_ethnicity,
    "phone": _parse_phone,
    "email": _parse_email,
    "organisation": _text_parser(TEXT_LIMITS["organisation"]),
    "position": _text_parser(TEXT_LIMITS["position"]),
    "category": _parse_category,
    "commune": _parse_commune,
    "is_young_potential_leader": _parse_yes_no,
}


def _parse(name: str, raw: Any, categories: dict[str, str], communes: dict[str, int]) -> tuple[Any, str]:
    """(value, "") or (None, message) for one non-blank cell of column ``name``."""
    return _PARSERS[name](raw, categories, communes)


def _bad_cell(line: int, heading: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": line,
        "column": shorten(heading),
        "message": message,
    }


def _people_named(
    province_id: int, rows: list[dict[str, Any]]
) -> tuple[dict[int, Person], dict[str, Person], dict[str, Person]]:
    """The people of ``province_id`` (not anonymised) the parsed ``rows`` name by id,
    phone or e-mail, as three lookups (id, E.164 phone, lower-case e-mail). Looked up in
    chunks of the file's keys; when the file names more people than the province keeps,
    the whole province is read in one query instead."""
    from django.db.models.functions import Lower

    ids = {values["id"] for values in rows if "id" in values}
    phones = {values["phone"] for values in rows if values.get("phone")}
    emails = {values["email"] for values in rows if values.get("email")}
    people_here = Person.objects.filter(province_id=province_id, anonymised_at__isnull=True)
    found: dict[int, Person] = {}
    if not (ids or phones or emails):
        pass
    elif len(ids) + len(phones) + len(emails) >= people_here.count():
        found = {p.pk: p for p in people_here}
    else:
        chunk = 500
        keys = sorted(ids)
        for i in range(0, len(keys), chunk):
            found.update((p.pk, p) for p in people_here.filter(pk__in=keys[i : i + chunk]))
        # Checked numbers: the lookup does not validate each one again.
        numbers = [CheckedPhoneNumber.from_e164(phone) for phone in sorted(phones)]
        for i in range(0, len(numbers), chunk):
            found.update((p.pk, p) for p in people_here.exclude(phone="").filter(phone__in=numbers[i : i + chunk]))
        addresses = sorted(emails)
        with_key = people_here.exclude(email="").annotate(email_key=Lower("email"))
        for i in range(0, len(addresses), chunk):
            found.update((p.pk, p) for p in with_key.filter(email_key__in=addresses[i : i + chunk]))
    people = list(found.values())
    by_id = {p.pk: p for p in people}
    by_phone = {text: p for p in people if (text := _phone_text(p))}
    by_email = {p.email.lower(): p for p in people if p.email}
    return by_id, by_phone, by_email


def _phone_text(person: Person) -> str:
    """Her phone as stored (E.164), without validating it again."""
    phone = person.phone
    if not isinstance(phone, PhoneNumber):
        return phone or ""
    return phone.raw_input or str(phone)


def template_xlsx() -> bytes:
    """The member-list template: the headings the importer expects and one example row."""
    import tablib

    dataset = tablib.Dataset(headers=[FIELD_LABEL[name] for name in PROFILE_FIELDS])
    dataset.append(
        [
            "Nguyễn Thị Mẫu",
            1985,
            "Kinh",
            "0912 345 678",
            "mau@example.org",
            "Sở Tài chính",
            "Phó Giám đốc",
            "Sở ngành",
            "",
            "",
        ]
    )
    return dataset.export("xlsx")
