"""How a validated message reaches the archive, and how its receipts come back.

A transport is a small class with `send(message)` and `receipts()` (see `Transport`); ARCHIVE_TRANSPORT picks
one by name from `TRANSPORTS`:

- `none` (the default): nothing is sent; archivings wait in the queue (so `make run` needs nothing);
- `directory`: each message a folder named by its message id in ARCHIVE_DIRECTORY with `arkivmelding.xml` and
  its files, written into a temporary folder beside it and renamed into place (atomic on one file system, a
  local or network mount): the archive's integration never sees half a message. Receipts are read from
  `receipts/` (`<message id>.xml`, also `<message id>.kvittering.xml`); each is moved to `receipts/done/` once
  read, or to `receipts/refused/` with a `.error.txt` beside it.

A next transport (Fiks IO: docs/deploy.md, "Archive") subclasses `Transport` and is added to `TRANSPORTS`.
`send` must be idempotent per message id: a worker that dies after sending and before recording it sends the
same message again, which the transport must recognise (the directory transport sees the folder exists).
"""

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


class TransportError(Exception):
    """The message could not be delivered now (trying again later may help)."""


@dataclass
class Message:
    id: str  # the message id (a UUID), the folder's name
    xml: bytes  # arkivmelding.xml, already validated
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (name in the message, content)
    message_type: str = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"


@dataclass
class IncomingReceipt:
    message_id: str
    content: bytes
    name: str
    transport: "Transport"

    def accept(self):
        self.transport.receipt_done(self, error="")

    def refuse(self, error: str):
        self.transport.receipt_done(self, error=error)


class Transport:
    name = "none"

    def send(self, message: Message) -> None:  # pragma: no cover - the interface
        raise NotImplementedError

    def receipts(self) -> Iterator[IncomingReceipt]:
        return iter(())

    def receipt_done(self, receipt: IncomingReceipt, *, error: str) -> None:
        """Mark a receipt as read (error empty) or refused (with the reason), so it is not read again."""


class DirectoryTransport(Transport):
    name = "directory"

    def __init__(self, root):
        self.root = Path(root)

    def send(self, message: Message) -> None:
        final = self.root / message.id
        if final.exists():  # sent before (a worker died before recording it): the same message, nothing more
            return
        tmp = self.root / f".tmp-{message.id}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir(parents=True)
            _write(tmp / "arkivmelding.xml", message.xml)
            for name, content in message.files:
                if "/" in name or name.startswith("."):
                    raise TransportError(f"Unsafe file name in the message: {name!r}")
                _write(tmp / name, content)
            _fsync_dir(tmp)
            try:
                os.rename(tmp, final)
            except OSError:
                if final.exists():  # another worker renamed the same message in first
                    return
                raise
            _fsync_dir(self.root)
        except OSError as exc:
            raise TransportError(f"Could not write the message to {self.root}: {exc}") from exc
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def receipts(self) -> Iterator[IncomingReceipt]:
        folder = self.root / "receipts"
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.xml")):
            message_id = path.name.split(".", 1)[0]
            try:
                content = path.read_bytes()
            except OSError:
                continue
            yield IncomingReceipt(message_id=message_id, content=content, name=path.name, transport=self)

    def receipt_done(self, receipt: IncomingReceipt, *, error: str) -> None:
        folder = self.root / "receipts"
        target = folder / ("refused" if error else "done")
        target.mkdir(exist_ok=True)
        if error:
            (target / f"{receipt.name}.error.txt").write_text(error + "\n", encoding="utf-8")
        with contextlib.suppress(FileNotFoundError):  # read and moved by another worker
            os.replace(folder / receipt.name, target / receipt.name)


def _write(path: Path, content: bytes):
    with open(path, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


TRANSPORTS = {"directory": lambda: DirectoryTransport(settings.ARCHIVE_DIRECTORY)}


def configured() -> bool:
    return (settings.ARCHIVE_TRANSPORT or "none") != "none"


def get() -> Transport | None:
    """The configured transport, or None when ARCHIVE_TRANSPORT is `none`."""
    name = settings.ARCHIVE_TRANSPORT or "none"
    if name == "none":
        return None
    try:
        return TRANSPORTS[name]()
    except KeyError:
        raise LookupError(f"Unknown ARCHIVE_TRANSPORT {name!r}; known: none, {', '.join(TRANSPORTS)}") from None
