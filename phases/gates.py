"""What blocks a phase gate. Apps that add conditions (unsigned participation steps, say) register a
function here, so phases never imports them: fn(phase) -> list of texts naming each blocker."""

_BLOCKERS = []
_NOTICES = []


class Blocker(str):
    """The text naming one thing that blocks a gate, with the page where it can be settled."""

    def __new__(cls, text, url=None):
        obj = super().__new__(cls, text)
        obj.url = url
        return obj


def register_blocker(fn):
    if fn not in _BLOCKERS:
        _BLOCKERS.append(fn)
    return fn


def register_notice(fn):
    """What the gate page mentions without blocking (objections on record, say): fn(phase) -> [Blocker]."""
    if fn not in _NOTICES:
        _NOTICES.append(fn)
    return fn


def notices(phase) -> list[str]:
    out = []
    for fn in _NOTICES:
        out.extend(fn(phase))
    return out


def external_blockers(phase) -> list[str]:
    out = []
    for fn in _BLOCKERS:
        out.extend(fn(phase))
    return out
