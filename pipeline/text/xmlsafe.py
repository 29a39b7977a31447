"""One rule for the XML files zhen reads from outside (TMX memories, TBX glossaries):
no DTD internal subset, no entity declaration (so no entity expansion, the "billion
laughs"), no external entity, and no entity reference beyond XML's five built-ins."""

from __future__ import annotations

import xml.parsers.expat


class Refused(Exception):
    """What the file does that zhen does not accept; the reader names the file and line."""


def _refuse(message: str):
    def handler(*args):
        raise Refused(message)
    return handler


def harden(parser) -> None:
    """Set ``parser`` (an expat parser) to raise ``Refused`` at anything that could expand or fetch."""
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(doctype_name, system_id, public_id, has_internal_subset):
        if has_internal_subset:
            raise Refused("the DOCTYPE declares an internal subset (entities are not expanded here)")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = _refuse("entity declarations are refused")
    parser.UnparsedEntityDeclHandler = _refuse("entity declarations are refused")
    parser.ExternalEntityRefHandler = _refuse("external entities are refused")
    # An undeclared entity in a file that names an external DTD is skipped by expat, not an error: refuse it.
    parser.SkippedEntityHandler = _refuse("entity references other than the XML built-ins are refused")
