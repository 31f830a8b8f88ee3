"""Vocabulary: our namespace and the ones we reuse, plus one PREFIXES dict for SPARQL."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

FCK = Namespace("https://w3id.org/factcheck-kg/ontology#")
KGID = Namespace("https://w3id.org/factcheck-kg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = SDO  # https://schema.org/

SHARED_GRAPH = KGID["graph/shared"]

PREFIXES = {
    "fck": str(FCK),
    "kgid": str(KGID),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "oa": str(OA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace in PREFIXES."""
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


__all__ = ["FCK", "KGID", "OA", "SCHEMA", "PROV", "RDF", "RDFS", "SKOS", "OWL", "XSD",
           "SHARED_GRAPH", "PREFIXES", "sparql_prefixes"]
