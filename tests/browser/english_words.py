"""English interface words that must not appear on a Vietnamese page.

Words from the portal's own templates, Django's admin, allauth and the libraries that
show up untranslated when a catalogue loses to another or a string is not marked for
translation. Matched as whole words, case-sensitively (so "version" in "version 2026-1"
but not "Version" in a proper name, if one ever appears)."""

from __future__ import annotations

import re

ENGLISH_WORDS = [
    # Django admin and forms
    "Save",
    "Save and add another",
    "Save and continue editing",
    "Delete",
    "Add",
    "Change",
    "History",
    "Search",
    "Filter",
    "Clear",
    "Select",
    "Choose",
    "Today",
    "Now",
    "Yesterday",
    "Calendar",
    "Please correct",
    "This field is required",
    "Enter a valid",
    "Created by",
    "Checked in by",
    "Changed by",
    "Date/time",
    "Action",
    "Home",
    "Log out",
    "Log in",
    "Password",
    "password",
    "View site",
    "Documentation",
    "Recent actions",
    "My actions",
    "None available",
    "Unknown",
    "Yes",
    "No",
    "All",
    "Any date",
    "Past 7 days",
    "This month",
    "This year",
    "Go",
    "Run",
    "Import",
    "Export",
    "Submit",
    "Cancel",
    "Edit",
    "Remove",
    "Back",
    "Next",
    "Previous",
    "Download",
    "Upload",
    "Show",
    "Hide",
    "Name",
    "Status",
    "Date",
    "Phone",
    "Total",
    "Members",
    "Member",
    "Events",
    "Event",
    "Surveys",
    "Survey",
    "Reports",
    "Report",
    "Network",
    "Networks",
    "Province",
    "Invitation",
    "Attendance",
    "Speaker",
    "Trainer",
    "Training",
    "Workshop",
    "Question",
    "Answer",
    "Results",
    "Period",
    "Memo",
    "To",
    "From",
    "version",
    "respondents",
    "respondent",
    "day(s)",
    "days",
    "results",
    "of",
    "the",
    "and",
    "for",
    "with",
    "is",
    "are",
    "not",
    "your",
    "You",
    "you",
    "Please",
    "required",
    "optional",
    "Required",
]

_PATTERN = re.compile(
    r"(?<![\w/.@-])(" + "|".join(re.escape(w) for w in sorted(ENGLISH_WORDS, key=len, reverse=True)) + r")(?![\w/@-])"
)

# Text that is English by design on a Vietnamese page: the language's own name in the
# switcher, and abbreviations used as such in Vietnamese.
ALLOWED = ["English"]


def english_words_in(text: str) -> list[str]:
    """The English interface words found in ``text`` (each once, in order of appearance)."""
    found: list[str] = []
    for match in _PATTERN.finditer(text):
        word = match.group(1)
        if word not in found:
            found.append(word)
    return found


def context_of(text: str, word: str, width: int = 50) -> str:
    match = re.search(r"(?<![\w/.@-])" + re.escape(word) + r"(?![\w/@-])", text)
    if not match:
        return ""
    return text[max(0, match.start() - width) : match.end() + width].replace("\n", " ⏎ ")
