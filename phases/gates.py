"""What blocks a phase gate. Apps that add conditions (unsigned participation steps, say) register a function
under the hook `gate_blocker`, so phases never imports them: fn(phase) -> list of `Blocker` naming each one.
What the gate page mentions without blocking (objections on record, say) is the hook `gate_notice`, likewise."""

from projects import extensions


class Blocker(str):
    """The text naming one thing that blocks a gate, with the page where it can be settled."""

    def __new__(cls, text, url=None):
        obj = super().__new__(cls, text)
        obj.url = url
        return obj


def notices(phase) -> list[str]:
    out = []
    for fn in extensions.get("gate_notice"):
        out.extend(fn(phase))
    return out


def external_blockers(phase) -> list[str]:
    out = []
    for fn in extensions.get("gate_blocker"):
        out.extend(fn(phase))
    return out
