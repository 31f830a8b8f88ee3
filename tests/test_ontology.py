"""The ontology and shapes files: documentation rules, stance types, layout."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # lets `pytest tests/test_ontology.py` run without an installed package
    sys.path.insert(0, str(REPO))

from kg.namespaces import FCK, OA, PROV  # noqa: E402

# Plain Namespaces: pytest's collection trips over rdflib's closed SDO and XSD namespaces.
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

ONTOLOGY_DIR = REPO / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "factcheck.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/factcheck-kg/ontology")
FCKSH = "https://w3id.org/factcheck-kg/shapes#"
VANN = "http://purl.org/vocab/vann/"

STANCE_POLARITY = {
    "Asserts": "Support",
    "Confirms": "Support",
    "Denies": "Oppose",
    "Disputes": "Oppose",
    "Questions": "Neutral",
}

PREFIXES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

TERMS = PREFIXES + """
SELECT ?term WHERE {
    VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty
                   owl:AnnotationProperty rdf:Property }
    ?term a ?kind .
    FILTER (isIRI(?term))
}
"""

UNDOCUMENTED = PREFIXES + """
SELECT DISTINCT ?term ?missing WHERE {
    VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty
                   owl:AnnotationProperty rdf:Property skos:Concept skos:ConceptScheme }
    VALUES ?missing { rdfs:label skos:definition rdfs:isDefinedBy }
    ?term a ?kind .
    FILTER (isIRI(?term))  # not the anonymous union class that is fck:holder's range
    FILTER NOT EXISTS { ?term ?missing ?value }
}
"""

NO_DOMAIN_OR_RANGE = PREFIXES + """
SELECT DISTINCT ?property ?missing WHERE {
    VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty rdf:Property }
    VALUES ?missing { rdfs:domain rdfs:range }
    ?property a ?kind .
    FILTER NOT EXISTS { ?property ?missing ?value }
}
"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def test_ontology_has_one_header_with_title_licence_and_version(ontology: Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    header = {p: ontology.value(ONTOLOGY_IRI, p) for p in (
        DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created,
        OWL.versionIRI, OWL.versionInfo)}
    assert all(value is not None for value in header.values()), header
    assert header[DCTERMS.license] == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert header[DCTERMS.created] == Literal("2026-11-21", datatype=XSD.date)
    assert str(header[OWL.versionIRI]).startswith(str(ONTOLOGY_IRI) + "/")
    assert "0.1.0" in str(header[OWL.versionInfo])


def test_ontology_namespace_matches_kg_namespaces(ontology: Graph) -> None:
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespaceUri"))) == str(FCK)


def test_every_term_has_label_definition_and_is_defined_by(ontology: Graph) -> None:
    terms = {row.term for row in ontology.query(TERMS)}
    assert {FCK.Stance, FCK.TextSpan, FCK.holder, FCK.controversy} <= terms
    missing = [(str(r.term), str(r.missing)) for r in ontology.query(UNDOCUMENTED)]
    assert missing == []


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    missing = [(str(r.property), str(r.missing)) for r in ontology.query(NO_DOMAIN_OR_RANGE)]
    assert missing == []


def test_labels_and_definitions_are_english(ontology: Graph) -> None:
    for predicate in (RDFS.label, SKOS.definition, SKOS.prefLabel):
        for subject, value in ontology.subject_objects(predicate):
            assert isinstance(value, Literal) and value.language == "en", (subject, predicate)


def test_terms_are_defined_by_this_ontology(ontology: Graph) -> None:
    for term, definer in ontology.subject_objects(RDFS.isDefinedBy):
        assert definer == ONTOLOGY_IRI, term


def test_ontology_does_not_redefine_other_vocabularies(ontology: Graph) -> None:
    foreign = {s for s in ontology.subjects() if isinstance(s, URIRef)
               and s != ONTOLOGY_IRI and not str(s).startswith(str(FCK))}
    assert foreign == set()


@pytest.mark.parametrize("stance_type, polarity", sorted(STANCE_POLARITY.items()))
def test_stance_type_has_its_polarity(ontology: Graph, stance_type: str, polarity: str) -> None:
    concept = FCK[stance_type]
    assert (concept, RDF.type, FCK.StanceType) in ontology
    assert (concept, RDF.type, SKOS.Concept) in ontology
    assert (concept, SKOS.inScheme, FCK.StanceTypeScheme) in ontology
    assert ontology.value(concept, FCK.polarity) == FCK[polarity]
    assert (FCK[polarity], RDF.type, FCK.Polarity) in ontology
    assert (FCK[polarity], SKOS.inScheme, FCK.PolarityScheme) in ontology


def test_there_are_exactly_five_stance_types_and_three_polarities(ontology: Graph) -> None:
    assert set(ontology.subjects(RDF.type, FCK.StanceType)) == {FCK[t] for t in STANCE_POLARITY}
    assert set(ontology.subjects(RDF.type, FCK.Polarity)) == {
        FCK.Support, FCK.Oppose, FCK.Neutral}
    assert set(ontology.objects(FCK.StanceTypeScheme, SKOS.hasTopConcept)) == {
        FCK[t] for t in STANCE_POLARITY}


def test_stance_type_definitions_name_their_cue_words(ontology: Graph) -> None:
    cues = {"Denies": ["denied", "rejected", "dismissed", "not true", "negated"],
            "Questions": ["could not", "verify", "declined to comment", "asked whether"],
            "Confirms": ["confirmed", "acknowledged"],
            "Disputes": ["disputed", "cast doubt", "not aware of"]}
    for stance_type, words in cues.items():
        definition = str(ontology.value(FCK[stance_type], SKOS.definition))
        assert all(word in definition for word in words), (stance_type, definition)


def test_unnamed_source_is_an_agent_but_not_a_person(ontology: Graph) -> None:
    parents = set(ontology.transitive_objects(FCK.UnnamedSource, RDFS.subClassOf))
    assert PROV.Agent in parents
    assert SCHEMA.Person not in parents


def test_text_span_is_a_text_position_selector(ontology: Graph) -> None:
    assert (FCK.TextSpan, RDFS.subClassOf, OA.TextPositionSelector) in ontology
    definition = str(ontology.value(FCK.TextSpan, SKOS.definition))
    assert "oa:exact" in definition and "TextQuoteSelector" in definition


def test_claim_relations_and_controversy_are_declared(ontology: Graph) -> None:
    for relation in (FCK.contradicts, FCK.supports, FCK.refines):
        assert ontology.value(relation, RDFS.domain) == SCHEMA.Claim
        assert ontology.value(relation, RDFS.range) == SCHEMA.Claim
    assert (FCK.contradicts, RDF.type, OWL.SymmetricProperty) in ontology
    assert ontology.value(FCK.controversy, RDFS.range) == XSD.decimal


def test_shapes_accept_exactly_the_stance_types_of_the_ontology(
        ontology: Graph, shapes: Graph) -> None:
    shape = URIRef(FCKSH + "StanceHasOneKnownStanceType")
    allowed = set(Collection(shapes, shapes.value(shape, SH["in"])))
    assert allowed == set(ontology.subjects(RDF.type, FCK.StanceType))


def test_every_shape_is_named_targeted_and_has_an_english_message(shapes: Graph) -> None:
    all_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(all_shapes) >= 20
    for shape in all_shapes:
        assert isinstance(shape, URIRef) and str(shape).startswith(FCKSH), shape
        assert any(shapes.objects(shape, p) for p in (
            SH.targetClass, SH.targetObjectsOf, SH.targetNode)), shape
        constraints = [shape, *shapes.objects(shape, SH.sparql)]
        messages = [m for c in constraints for m in shapes.objects(c, SH.message)]
        assert len(messages) == 1 and messages[0].language == "en", shape


def test_shapes_only_use_terms_the_ontology_declares(ontology: Graph, shapes: Graph) -> None:
    used = {node for triple in shapes for node in triple
            if isinstance(node, URIRef) and str(node).startswith(str(FCK))}
    declared = set(ontology.subjects())
    assert used - declared == set()


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE], ids=lambda p: p.name)
def test_file_is_kept_in_longturtle_layout(path: Path) -> None:
    """Normalise with: Graph().parse(f).serialize(f, format="longturtle", canon=True)."""
    expected = Graph().parse(path, format="turtle").serialize(format="longturtle", canon=True)
    assert path.read_text(encoding="utf-8") == expected


def test_readme_documents_every_term(ontology: Graph) -> None:
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(FCK))}
    undocumented = sorted(t.removeprefix(str(FCK)) for t in terms
                          if f"fck:{t.removeprefix(str(FCK))}" not in readme)
    assert undocumented == []
