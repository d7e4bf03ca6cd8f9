"""The Fiks Arkiv messages: an `arkivmelding` (no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett) built with lxml
and validated against KS's vendored XSD (archive/schemas/) before it leaves, and its receipt
(`...arkivmelding.opprett.kvittering`), validated before it is read.

One message records one document version: a `journalpost` (an internal note, journalposttype "X", journalstatus
"F") with one `dokumentbeskrivelse` and its `dokumentobjekt` (the PDF/A file with its SHA-256 and size). Its case
folder (`saksmappe`) is either created by the message (`Folder.mode == CREATE`: the project has no archive case
number and no earlier message created one), or referred to by the project's external key (`KEY`: an earlier
message created it, the archive's number is not known yet) or by the archive's case number (`NUMBER`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
MESSAGE_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"
RECEIPT_TYPE = f"{MESSAGE_TYPE}.kvittering"
NS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
NS_RECEIPT = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1"
NS_MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"  # the Noark 5 types
NS_ERROR = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/feilmelding/v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# KS code lists (Schema/V1/kodelister): the values these messages use.
JOURNALPOST_TYPE = ("X", "Organinternt dokument uten oppfølging")
JOURNAL_STATUS = ("F", "Ferdigstilt av saksbehandler")
DOCUMENT_STATUS = ("F", "Dokumentet er ferdigstilt")
MAIN_DOCUMENT = ("H", "Hoveddokument")
ARCHIVE_FORMAT = ("A", "Arkivformat")
CASE_STATUS = ("B", "Under behandling")
FILE_FORMAT = ("fmt/476", "PDF/A-2a")
DOCUMENT_TYPES = {  # dokumenttype per kind of generated document; DOKUMENT for the others
    "participation-protocol": ("PROTOKOLL", "Protokoll"),
    "evaluation-report": ("RAPPORT", "Rapport"),
    "final-documentation": ("RAPPORT", "Rapport"),
    "risk-assessment": ("ROS-ANALYSE", "ROS-analyse"),
}
DEFAULT_DOCUMENT_TYPE = ("DOKUMENT", "Dokument")


class Folder:
    CREATE = "create"
    KEY = "key"
    NUMBER = "number"


@dataclass
class CaseFolder:
    mode: str  # Folder.CREATE, KEY or NUMBER
    key: str  # the project's external key (noekkel), e.g. "prosjekt-12"
    title: str = ""
    year: int | None = None
    sequence: int | None = None
    unit: str = ""
    responsible: str = ""
    opened: date | None = None


@dataclass
class Record:
    title: str
    kind: str
    key: str  # the record's external key, e.g. "dokument-345"
    document_date: date
    author: str
    file_name: str  # as people see it (filnavn)
    file_ref: str  # the file's name in the message (referanseDokumentfil)
    sha256: str
    size: int
    version: int
    created: datetime
    screening: tuple[str, str] | None = None  # (access restriction code, legal basis)


@dataclass
class Config:
    system: str
    part: str = ""  # arkivdel
    class_system: str = ""  # ordningsprinsipp (klassifikasjonssystemID)
    class_value: str = ""  # ordningsverdi (klasseID)


def _sub(parent, name, text=None, ns=NS, **attrs):
    el = etree.SubElement(parent, f"{{{ns}}}{name}", **attrs)
    if text is not None:
        el.text = str(text)
    return el


def _code(parent, name, pair):
    el = _sub(parent, name)
    _sub(el, "kode", pair[0], ns=NS_MDK)
    _sub(el, "beskrivelse", pair[1], ns=NS_MDK)
    return el


def _external_key(parent, name, system, key, ns=NS):
    el = _sub(parent, name, ns=ns)
    _sub(el, "fagsystem", system, ns=NS_MDK)
    _sub(el, "noekkel", key, ns=NS_MDK)
    return el


def _screening(parent, screening):
    if not screening or not screening[0]:
        return
    el = _sub(parent, "skjerming")
    restriction = _sub(el, "tilgangsrestriksjon")
    _sub(restriction, "kode", screening[0], ns=NS_MDK)
    _sub(el, "skjermingshjemmel", screening[1])


def _folder_reference(parent, config, folder):
    ref = _sub(parent, "referanseForelderMappe")
    if folder.mode == Folder.NUMBER:
        number = _sub(ref, "saksnummer", ns=NS_MDK)
        _sub(number, "saksaar", folder.year, ns=NS_MDK)
        _sub(number, "sakssekvensnummer", folder.sequence, ns=NS_MDK)
    else:
        _external_key(ref, "referanseEksternNoekkel", config.system, folder.key, ns=NS_MDK)


def build(*, config: Config, folder: CaseFolder, record: Record) -> bytes:
    """The arkivmelding (UTF-8 bytes) of one record, creating its case folder or referring to it."""
    root = etree.Element(f"{{{NS}}}arkivmelding", nsmap={None: NS, "n5mdk": NS_MDK, "xsi": XSI})
    _sub(root, "system", config.system)
    _sub(root, "antallFiler", 1)
    if folder.mode == Folder.CREATE:
        mappe = _sub(root, "mappe", **{f"{{{XSI}}}type": "saksmappe"})
        _sub(mappe, "tittel", folder.title)
        if folder.opened:
            _sub(mappe, "opprettetDato", _datetime(record.created))
        if config.part:
            _code(mappe, "arkivdel", (config.part, config.part))
        if config.class_value:
            klass = _sub(mappe, "klassifikasjon")
            if config.class_system:
                _sub(klass, "klassifikasjonssystemID", config.class_system)
            _sub(klass, "klasseID", config.class_value)
        _external_key(mappe, "referanseEksternNoekkel", config.system, folder.key)
        if folder.opened:
            _sub(mappe, "saksdato", folder.opened.isoformat())
        if folder.unit:
            unit = _sub(mappe, "administrativEnhet")
            _sub(unit, "navn", folder.unit, ns=NS_MDK)
        if folder.responsible:
            responsible = _sub(mappe, "saksansvarlig")
            _sub(responsible, "navn", folder.responsible, ns=NS_MDK)
        _code(mappe, "saksstatus", CASE_STATUS)
    reg = _sub(root, "registrering", **{f"{{{XSI}}}type": "journalpost"})
    _sub(reg, "opprettetDato", _datetime(record.created))
    if record.author:
        _sub(reg, "opprettetAv", record.author)
    _folder_reference(reg, config, folder)
    _screening(reg, record.screening)
    desc = _sub(reg, "dokumentbeskrivelse")
    _code(desc, "dokumenttype", DOCUMENT_TYPES.get(record.kind, DEFAULT_DOCUMENT_TYPE))
    _code(desc, "dokumentstatus", DOCUMENT_STATUS)
    _sub(desc, "tittel", record.title)
    if record.author:
        _sub(desc, "forfatter", record.author)
    _sub(desc, "opprettetDato", _datetime(record.created))
    _code(desc, "tilknyttetRegistreringSom", MAIN_DOCUMENT)
    _sub(desc, "dokumentnummer", 1)
    _screening(desc, record.screening)
    obj = _sub(desc, "dokumentobjekt")
    _sub(obj, "versjonsnummer", record.version)
    _code(obj, "variantformat", ARCHIVE_FORMAT)
    _code(obj, "format", FILE_FORMAT)
    _sub(obj, "mimeType", "application/pdf")
    _sub(obj, "filnavn", record.file_name)
    _sub(obj, "referanseDokumentfil", record.file_ref)
    _sub(obj, "sjekksum", record.sha256)
    _sub(obj, "sjekksumAlgoritme", "SHA-256")
    _sub(obj, "filstoerrelse", record.size)
    _sub(reg, "tittel", record.title)
    if record.author:
        _sub(reg, "forfatter", record.author)
    _external_key(reg, "referanseEksternNoekkel", config.system, record.key)
    _code(reg, "journalposttype", JOURNALPOST_TYPE)
    _code(reg, "journalstatus", JOURNAL_STATUS)
    _sub(reg, "journaldato", record.created.date().isoformat())
    _sub(reg, "dokumentetsDato", record.document_date.isoformat())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _datetime(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


@cache
def schema(name: str) -> etree.XMLSchema:
    """The vendored XSD of a message type (parsed once per process)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"{name}.xsd")))


def _parse(content: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(content, parser)


def validate(content: bytes, message_type: str = MESSAGE_TYPE) -> list[str]:
    """The schema's errors for this message (empty: valid), each "line N: what is wrong"."""
    try:
        doc = _parse(content)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: {exc.msg}"]
    xsd = schema(message_type)
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log][:10]


@dataclass
class Receipt:
    errors: list[str] = field(default_factory=list)  # the schema's, or the archive's own (…Feilet)
    failed: str = ""  # the archive refused the folder or the record: its message
    case_year: int | None = None
    case_sequence: int | None = None
    case_system_id: str = ""
    record_year: int | None = None
    record_sequence: int | None = None
    record_system_id: str = ""


def parse_receipt(content: bytes) -> Receipt:
    """Read a receipt: validated first; one that does not validate carries only its errors."""
    errors = validate(content, RECEIPT_TYPE)
    if errors:
        return Receipt(errors=errors)
    root = _parse(content)
    ns = {"k": NS_RECEIPT}

    def text(path, el=root):
        found = el.find(path, ns)
        return found.text.strip() if found is not None and found.text else ""

    def number(path, el):
        value = text(path, el)
        return int(value) if value else None

    receipt = Receipt()
    ns["f"] = NS_ERROR
    failures = [text(f"k:{name}/f:feilmelding") for name in ("mappeFeilet", "registreringFeilet")]
    receipt.failed = " ".join(f for f in failures if f)
    folder = root.find("k:mappeKvittering", ns)
    if folder is not None:
        receipt.case_system_id = text("k:systemID", folder)
        receipt.case_year = number("k:saksaar", folder)
        receipt.case_sequence = number("k:sakssekvensnummer", folder)
    record = root.find("k:registreringKvittering", ns)
    if record is not None:
        receipt.record_system_id = text("k:systemID", record)
        receipt.record_year = number("k:journalaar", record)
        receipt.record_sequence = number("k:journalsekvensnummer", record)
    return receipt


def receipt_xml(
    *, case: tuple[int, int] | None = None, record: tuple[int, int] | None = None, failed: str = ""
) -> bytes:
    """A receipt as an archive sends it (for tests, the demo and operators trying the directory transport)."""
    import uuid

    root = etree.Element(f"{{{NS_RECEIPT}}}arkivmeldingKvittering", nsmap={None: NS_RECEIPT, "xsi": XSI})

    def sub(parent, name, value=None, **attrs):
        el = etree.SubElement(parent, f"{{{NS_RECEIPT}}}{name}", **attrs)
        if value is not None:
            el.text = str(value)
        return el

    if case is not None:
        folder = sub(root, "mappeKvittering", **{f"{{{XSI}}}type": "saksmappeKvittering"})
        sub(folder, "systemID", uuid.uuid4())
        sub(folder, "opprettetEllerEksisterende", "Opprettet")
        sub(folder, "saksaar", case[0])
        sub(folder, "sakssekvensnummer", case[1])
    if failed:
        error = sub(root, "registreringFeilet")
        etree.SubElement(error, f"{{{NS_ERROR}}}feilId").text = str(uuid.uuid4())
        etree.SubElement(error, f"{{{NS_ERROR}}}feilmelding").text = failed
    elif record is not None:
        reg = sub(root, "registreringKvittering", **{f"{{{XSI}}}type": "journalpostKvittering"})
        sub(reg, "systemID", uuid.uuid4())
        sub(reg, "opprettetEllerEksisterende", "Opprettet")
        sub(reg, "journalaar", record[0])
        sub(reg, "journalsekvensnummer", record[1])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
