"""What blocks a phase gate. Apps that add conditions (unsigned participation steps, say) register a
function here, so phases never imports them: fn(phase) -> list of texts naming each blocker."""

_BLOCKERS = []


def register_blocker(fn):
    if fn not in _BLOCKERS:
        _BLOCKERS.append(fn)
    return fn


def external_blockers(phase) -> list[str]:
    out = []
    for fn in _BLOCKERS:
        out.extend(fn(phase))
    return out
