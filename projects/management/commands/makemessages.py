"""makemessages without fuzzy matching: a new message starts untranslated instead of borrowing a near one.

The header's POT-Creation-Date is left out, so that two branches that each refresh the .po files do not
conflict on that one line.
"""

import re
from pathlib import Path

from django.core.management.commands import makemessages

_CREATED = re.compile(r'^"POT-Creation-Date: [^"]*\\n"\n', re.MULTILINE)


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def write_po_file(self, potfile, locale):
        super().write_po_file(potfile, locale)
        basedir = Path(potfile).parent / locale / "LC_MESSAGES"
        pofile = basedir / f"{self.domain}.po"
        if pofile.exists():
            text = pofile.read_text(encoding="utf-8")
            pofile.write_text(_CREATED.sub("", text, count=1), encoding="utf-8")
