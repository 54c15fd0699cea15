"""The transfer package (归档信息包) of a case file as a BagIt bag (RFC 8493), written and
checked with the Library of Congress's `bagit` library; nothing here imports Odoo.

Layout under data/: documents/<item>-<file> (the stored originals, byte for byte),
case_file.pdf (cover, catalog and 卷内备考表), metadata.xml (DA/T 46 elements),
log/events.json (the case's evidence log) and log/heads.json (the daily chain heads that
saw it), so that `verify_heads.py HEADS.json BAG` checks the log outside Odoo."""

import hashlib
import json
import os
import zipfile
from xml.etree import ElementTree as ET

import bagit

CHECKSUMS = ("sha256", "sm3")
LOG_FORMAT = "hr_enforcement.case_log/1"
# formats already compressed are stored as they are in the zip; the rest is deflated
DEFLATED = (".xml", ".json", ".txt")
CHUNK = 1024 * 1024


def safe_name(name):
    """A file name without path separators or control characters."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(" .") or "file"


def metadata_xml(case_file, documents):
    """The metadata as UTF-8 XML, with the element names of DA/T 46 (文书类电子文件元数据).
    `case_file`: ordered pairs for the file (案卷); `documents`: one list of pairs per
    electronic document, where a value that is a dict becomes attributes (数字摘要)."""
    root = ET.Element("电子文件归档信息包", {"标准": "DA/T 46-2009", "格式": "BagIt RFC 8493"})
    _append(ET.SubElement(root, "案卷"), case_file)
    files = ET.SubElement(root, "文件")
    for pairs in documents:
        _append(ET.SubElement(files, "电子文件"), pairs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _append(parent, pairs):
    for name, value in pairs:
        if isinstance(value, tuple):  # (attributes, text)
            attributes, text = value
            ET.SubElement(parent, name, attributes).text = text
        else:
            ET.SubElement(parent, name).text = "" if value in (None, False) else str(value)


def write_bag(root, documents, extra, info):
    """Make the bag in the empty directory `root`: `documents` are (relative path, chunks)
    pairs, `chunks` an iterable of the document's bytes (streamed from wherever it is
    stored) copied into data/, `extra` (relative path, bytes) written there; `info`
    the bag-info.txt fields. Returns the bagit.Bag."""
    for relative, chunks in documents:
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.writelines(chunks)
    for relative, content in extra:
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
    return bagit.make_bag(root, info, processes=1, checksums=list(CHECKSUMS))


def check_bag(root, expected):
    """What is wrong with the bag at `root`: its BagIt validation (every manifest entry,
    Payload-Oxum, no file more or less), its SM3 manifest, and the SHA-256 of each
    document against `expected` ({relative path: sha256 recorded at ingest}). A list of
    messages, empty when the bag holds."""
    problems = []
    bag = bagit.Bag(root)
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        details = [str(detail) for detail in getattr(error, "details", [])] or [str(error)]
        problems += details
    manifest = _read_manifest(os.path.join(root, "manifest-sm3.txt"))
    for relative, digest in manifest.items():
        if file_digest(os.path.join(root, relative), "sm3") != digest:
            problems.append(f"{relative}: SM3 does not match the manifest")
    sha256 = _read_manifest(os.path.join(root, "manifest-sha256.txt"))
    for relative, digest in expected.items():
        if sha256.get(relative) != digest:
            problems.append(f"{relative}: not the file stored at ingest")
    return problems


def _read_manifest(path):
    entries = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            digest, _sep, relative = line.rstrip("\n").partition(" ")
            entries[relative.strip()] = digest
    return entries


def file_digest(path, name):
    hasher = hashlib.new(name)
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def zip_bag(root, target, top):
    """The bag at `root` as a zip at `target` whose entries sit under the folder `top`."""
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for folder, _dirs, names in os.walk(root):
            for name in sorted(names):
                path = os.path.join(folder, name)
                arcname = os.path.join(top, os.path.relpath(path, root))
                method = zipfile.ZIP_DEFLATED if name.endswith(DEFLATED) else zipfile.ZIP_STORED
                archive.write(path, arcname, compress_type=method)


def log_json(case_id, case_name, counted, events):
    return json.dumps(
        {
            "format": LOG_FORMAT,
            "case_id": case_id,
            "case": case_name,
            "counted": counted,
            "events": events,
        },
        ensure_ascii=False,
        indent=1,
        default=str,
    ).encode()
