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
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from members.models import ETHNIC_GROUPS, Category, Person, search_key
from members.phones import normalise_phone
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
        _("The file has more than %(n)s rows; split it into smaller files.") % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _cell(value: Any, line: int) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise ImportFileError(
            _("Row %(row)s: a cell holds more than %(n)s characters (“%(value)s”).")
            % {"row": line, "n": MAX_CELL_CHARS, "value": shorten(value)}
        )
    return value


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


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows as lists of values, streamed from the (size-checked) zip
    with the standard library's XML parser: a few times faster than openpyxl's reader and
    holding one row at a time (plus the shared strings)."""
    from xml.etree.ElementTree import iterparse  # noqa: S405 - the zip was size-checked first

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as handle:
                for _event, element in iterparse(handle):  # noqa: S314
                    if element.tag == f"{_NS}si":
                        shared.append("".join(t.text or "" for t in element.iter(f"{_NS}t")))
                        element.clear()
        with archive.open(_first_sheet_path(archive)) as handle:
            row: list[Any] = []
            number = 0
            for _event, element in iterparse(handle):  # noqa: S314
                tag = element.tag
                if tag == f"{_NS}c":
                    kind = element.get("t")
                    ref = element.get("r")
                    value: Any = None
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in element.iter(f"{_NS}t"))
                    else:
                        v = element.find(f"{_NS}v")
                        text = v.text if v is not None else None
                        if text is not None:
                            if kind == "s":
                                value = shared[int(text)]
                            elif kind in ("str", "e"):
                                value = text
                            elif kind == "b":
                                value = text == "1"
                            else:
                                numeric = float(text)
                                value = int(numeric) if numeric.is_integer() and "E" not in text else numeric
                    index = _column_index(ref) if ref else len(row)
                    if index >= 16384:
                        raise ValueError("column out of range")
                    if index >= len(row):
                        row.extend([None] * (index - len(row) + 1))
                    row[index] = value
                    element.clear()
                elif tag == f"{_NS}row":
                    declared = int(element.get("r") or number + 1)
                    if declared - number - 1 > MAX_ROWS:
                        raise _too_many_rows()
                    for _gap in range(declared - number - 1):
                        yield []  # empty rows are not written; keep the line numbers right
                    number = declared
                    yield row
                    row = []
                    element.clear()


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
                rows.append([_cell(v, line) for v in row])
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
                rows.append([_cell(v, line) for v in row])
        except csv.Error as exc:
            raise ImportFileError(
                _("The file could not be read as CSV (a cell may be longer than %(n)s characters).")
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
        return str(person.phone) if person.phone else ""
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

    people = list(Person.objects.filter(province_id=province_id, anonymised_at__isnull=True))
    by_id = {p.pk: p for p in people}
    by_phone = {str(p.phone): p for p in people if p.phone}
    by_email = {p.email.lower(): p for p in people if p.email}
    categories = _category_keys()
    communes, commune_names = _commune_keys(province_id)

    groups: dict[Any, dict[str, Any]] = {}  # group key -> {"person", "values", "lines", "keys"}
    key_to_group: dict[Any, Any] = {}

    for offset, raw_row in enumerate(rows):
        line = offset + 2
        cells = {columns[i]: clean_cell(v) for i, v in enumerate(raw_row) if i in columns}
        if all(_blank(v) for v in cells.values()):
            continue
        read = {seen_fields[f]: ("" if _blank(v) else str(v)) for f, v in cells.items()}
        planned = PlannedRow(line=line, read=read)
        plan.rows.append(planned)
        errors: list[str] = []

        def bad(field_name: str, message: str, *, line: int = line, errors: list[str] = errors) -> None:
            errors.append(
                _("Row %(row)s, column “%(column)s”: %(message)s")
                % {
                    "row": line,
                    "column": shorten(seen_fields.get(field_name, FIELD_LABEL[field_name])),
                    "message": message,
                }
            )

        values: dict[str, Any] = {}
        for name, raw in cells.items():
            if _blank(raw):
                continue  # not given: never erases a stored value
            value, problem = _parse(name, raw, categories, communes)
            if problem:
                bad(name, problem)
            else:
                values[name] = value

        # Who is this row? The export's id, then phone, then e-mail.
        matches: list[tuple[str, Person]] = []
        if "id" in values:
            person = by_id.get(values.pop("id"))
            if person is None:
                bad("id", _("“%(value)s” is not a person of this province.") % {"value": shorten(cells["id"])})
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
        changed = {name: value for name, value in values.items() if _stored(person, name) != value}
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


class _Quoted:
    """The cell as quoted in a message (cut to 100 characters), computed only when a
    message is actually built."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return shorten(self.text)


_key = lru_cache(maxsize=8192)(search_key)


def _parse(name: str, raw: Any, categories: dict[str, str], communes: dict[str, int]) -> tuple[Any, str]:
    """(value, "") or (None, message) for one non-blank cell."""
    text = str(raw).strip() if not isinstance(raw, str) else raw
    quoted = _Quoted(text)
    if name == "id":
        try:
            return int(float(text)), ""
        except ValueError:
            return None, _("“%(value)s” is not a record number.") % {"value": quoted}
    if name in TEXT_LIMITS:
        text = " ".join(text.split())
        if len(text) > TEXT_LIMITS[name]:
            return None, _("at most %(n)s characters.") % {"n": TEXT_LIMITS[name]}
        return text, ""
    if name == "year_of_birth":
        try:
            year = int(float(text))
        except ValueError:
            year = 0
        if not 1920 <= year <= 2015:
            return None, _("“%(value)s” is not a year of birth (1920–2015).") % {"value": quoted}
        return year, ""
    if name == "ethnicity":
        found = _ETHNICITY_BY_KEY.get(_key(text).removeprefix("dan toc ").strip())
        if not found:
            return None, _("“%(value)s” is not one of the 54 ethnic groups.") % {"value": quoted}
        return found, ""
    if name == "phone":
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if isinstance(raw, int) or (text.isdigit() and not text.startswith(("0", "84"))):
            text = "0" + text  # Excel dropped the leading zero of a number typed as a number
        try:
            return normalise_phone(text), ""
        except ValidationError:
            return None, _("“%(value)s” is not a valid phone number.") % {"value": quoted}
    if name == "email":
        email = text.lower()
        try:
            validate_email(email)
        except ValidationError:
            return None, _("“%(value)s” is not an e-mail address.") % {"value": quoted}
        return email, ""
    if name == "category":
        code = categories.get(text) or categories.get(_key(text))
        if not code:
            return None, _("“%(value)s” is not a member category.") % {"value": quoted}
        return code, ""
    if name == "commune":
        code = communes.get(_key(text))
        if not code:
            return None, _("“%(value)s” is not a commune/ward of this province.") % {"value": quoted}
        return code, ""
    if name == "is_young_potential_leader":
        key = _key(text)
        if key in YES:
            return True, ""
        if key in NO:
            return False, ""
        return None, _("write “có” or “không”, or leave empty.")
    return text, ""  # pragma: no cover - every column is handled above


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
