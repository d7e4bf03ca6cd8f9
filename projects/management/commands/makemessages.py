"""makemessages without fuzzy matching: a new message starts untranslated instead of borrowing a near one."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
