"""SHACL validation: the examples, one mutation per rule, and the validate_graph API."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # lets `pytest tests/test_validate.py` run without an installed package
    sys.path.insert(0, str(REPO))

from kg.errors import ValidationError  # noqa: E402
from kg.validate import ValidationResult, Violation, ontology_dir, validate_graph  # noqa: E402

EXAMPLES = REPO / "ontology" / "examples"
SHAPES_FILE = REPO / "ontology" / "shapes.ttl"
FCKSH = Namespace("https://w3id.org/factcheck-kg/shapes#")
FCK = Namespace("https://w3id.org/factcheck-kg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
MINIMAL = EXAMPLES / "03-valid-minimal-denial.ttl"

# Each invalid example breaks exactly one rule: the shape that must report it.
INVALID_EXAMPLES = {
    "10-invalid-stance-two-holders.ttl": "StanceHasExactlyOneHolder",
    "11-invalid-stance-unknown-type.ttl": "StanceHasOneKnownStanceType",
    "12-invalid-span-exact-not-in-body.ttl": "StanceSpansQuoteTheArticleBody",
    "13-invalid-claim-two-texts.ttl": "ClaimHasOneText",
    "14-invalid-claim-no-appearance.ttl": "ClaimAppearsInAnArticle",
    "15-invalid-article-no-headline.ttl": "ArticleHasOneHeadline",
    "16-invalid-span-empty.ttl": "SpanStartIsBeforeEnd",
    "17-invalid-entity-without-label.ttl": "EntityHasLabel",
    "18-invalid-stance-without-content-span.ttl": "StanceHasExactlyOneContentSpan",
}

UPDATE_PREFIXES = """
PREFIX fck: <https://w3id.org/factcheck-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# The rules no example file breaks: one SPARQL Update on the minimal example each,
# breaking that rule and no other.
MUTATIONS = {
    "StanceHasExactlyOneClaim": "DELETE WHERE { ?s fck:claim ?c }",
    "StanceClaimIsAClaim": """DELETE { ?s fck:claim ?c } INSERT { ?s fck:claim ?h }
        WHERE { ?s fck:claim ?c ; fck:holder ?h }""",
    "StanceHasOneKnownStanceType": "DELETE WHERE { ?s fck:stanceType ?t }",
    "StanceIsDerivedFromOneArticle": "DELETE WHERE { ?s prov:wasDerivedFrom ?a }",
    "StanceHasExactlyOneCueSpan": "DELETE WHERE { ?s fck:cueSpan ?sp }",
    "StanceHasAtMostOneSourceSpan": """INSERT { ?s fck:sourceSpan ?cue }
        WHERE { ?s fck:cueSpan ?cue }""",
    "StanceHasAtMostOneSentenceSpan": """INSERT { ?s fck:sentenceSpan ?cue, ?content }
        WHERE { ?s fck:cueSpan ?cue ; fck:contentSpan ?content }""",
    "StanceSpanIsATextSpan": """DELETE { ?sp a fck:TextSpan }
        WHERE { ?s fck:sourceSpan ?sp }""",
    "StanceSpansQuoteTheArticleBody": """
        DELETE { ?sp oa:end ?end ; oa:exact ?exact }
        INSERT { ?sp oa:end "1000"^^xsd:nonNegativeInteger ; oa:exact ?rest }
        WHERE { ?s fck:contentSpan ?sp ; prov:wasDerivedFrom/schema:articleBody ?body .
                ?sp oa:start ?start ; oa:end ?end ; oa:exact ?exact .
                BIND (SUBSTR(?body, ?start + 1) AS ?rest) }""",
    "SpanHasOneStart": "DELETE { ?sp oa:start ?n } WHERE { ?s fck:sourceSpan ?sp . ?sp oa:start ?n }",
    "SpanHasOneEnd": "DELETE { ?sp oa:end ?n } WHERE { ?s fck:cueSpan ?sp . ?sp oa:end ?n }",
    "SpanHasOneExactText": """DELETE { ?sp oa:exact ?t } INSERT { ?sp oa:exact ?tagged }
        WHERE { ?s fck:cueSpan ?sp . ?sp oa:exact ?t . BIND (STRLANG(?t, "en") AS ?tagged) }""",
    "ClaimHasOneText": """DELETE { ?c schema:text ?t } INSERT { ?c schema:text "" }
        WHERE { ?c a schema:Claim ; schema:text ?t }""",
    "ClaimAppearsInAnArticle": """DELETE { ?c schema:appearance ?a } INSERT { ?c schema:appearance ?h }
        WHERE { ?c schema:appearance ?a . ?s fck:holder ?h }""",
    "ArticleHasOneIdentifier": """INSERT { ?a schema:identifier "another-id" }
        WHERE { ?a a schema:NewsArticle }""",
    "ArticleHasOneBody": """DELETE { ?a schema:articleBody ?b } INSERT { ?a schema:articleBody ?tagged }
        WHERE { ?a schema:articleBody ?b . BIND (STRLANG(?b, "en") AS ?tagged) }""",
    "ArticleHasAtMostOneContentHash": """DELETE { ?a fck:contentHash ?h } INSERT { ?a fck:contentHash "ABC123" }
        WHERE { ?a fck:contentHash ?h }""",
    "ArticleUrlIsAnIri": """INSERT { ?a schema:url "https://example.org/a-string" }
        WHERE { ?a a schema:NewsArticle }""",
    "EntityHasLabel": """DELETE { ?s fck:holder ?h } INSERT { ?s fck:holder <https://example.org/nobody> }
        WHERE { ?s fck:holder ?h }""",
}


def load(path: Path) -> Graph:
    """A TriG example as a Dataset, a Turtle one as a Graph."""
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(path, format="trig")
        return dataset
    return Graph().parse(path, format="turtle")


def union_of(dataset: Graph) -> Graph:
    """All triples of a Dataset's graphs in one Graph."""
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def message_of(shape: URIRef) -> str:
    """The sh:message of a shape, or of its SPARQL constraint, in shapes.ttl."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    for node in (shape, *shapes.objects(shape, SH.sparql)):
        message = shapes.value(node, SH.message)
        if message is not None:
            return str(message)
    raise AssertionError(f"{shape} has no sh:message")


def all_shapes() -> set[str]:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape))
    return {str(s).removeprefix(str(FCKSH)) for s in found}


def assert_breaks_only(result: ValidationResult, shape_name: str) -> None:
    shape = FCKSH[shape_name]
    assert not result.conforms
    assert {v.shape for v in result.violations} == {shape}, result.text
    assert {v.message for v in result.violations} == {message_of(shape)}


# ------------------------------------------------------------------ examples

@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*-valid-*")), ids=lambda p: p.name)
def test_valid_example_conforms(path: Path) -> None:
    result = validate_graph(load(path))
    assert result.conforms, result.text
    assert result.violations == ()


@pytest.mark.parametrize("name, shape", sorted(INVALID_EXAMPLES.items()))
def test_invalid_example_breaks_exactly_its_rule(name: str, shape: str) -> None:
    assert_breaks_only(validate_graph(load(EXAMPLES / name)), shape)


def test_invalid_example_header_names_its_rule() -> None:
    for name, shape in INVALID_EXAMPLES.items():
        first_line = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith(f"# INVALID: fcksh:{shape}."), name


def test_every_invalid_example_has_an_expected_rule() -> None:
    on_disk = {p.name for p in EXAMPLES.glob("*-invalid-*")}
    assert on_disk == set(INVALID_EXAMPLES)
    assert len({p.name for p in EXAMPLES.glob("*-valid-*")}) >= 2


@pytest.mark.parametrize("shape, update", sorted(MUTATIONS.items()))
def test_mutated_minimal_example_breaks_exactly_one_rule(shape: str, update: str) -> None:
    graph = load(MINIMAL)
    before = set(graph)
    graph.update(UPDATE_PREFIXES + update)
    assert set(graph) != before
    assert_breaks_only(validate_graph(graph), shape)


def test_every_shape_is_broken_by_some_example_or_mutation() -> None:
    assert all_shapes() == set(INVALID_EXAMPLES.values()) | set(MUTATIONS)


# ------------------------------------------------------------------ semantics

def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    dataset = load(EXAMPLES / "02-valid-claim-across-two-articles.trig")
    assert validate_graph(dataset).conforms
    article_graphs = [g for g in dataset.graphs()
                      if not str(g.identifier).endswith("/graph/shared") and len(g)]
    assert len(article_graphs) == 2
    alone = Graph()
    for triple in article_graphs[0]:
        alone.add(triple)
    shapes_broken = {v.shape for v in validate_graph(alone).violations}
    assert FCKSH.StanceClaimIsAClaim in shapes_broken  # the claims live in the shared graph


def test_claim_across_two_articles_is_one_node_with_two_appearances() -> None:
    union = union_of(load(EXAMPLES / "02-valid-claim-across-two-articles.trig"))
    claims = set(union.subjects(RDF.type, SCHEMA.Claim))
    assert len(claims) == 1
    assert len(set(union.objects(claims.pop(), SCHEMA.appearance))) == 2


def test_offsets_count_unicode_code_points() -> None:
    graph = load(MINIMAL)
    article = next(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    body = "\U0001F4F0 " + str(graph.value(article, SCHEMA.articleBody))  # newspaper emoji
    graph.set((article, SCHEMA.articleBody, Literal(body)))
    graph.remove((article, FCK.contentHash, None))
    spans = [o for _, p, o in graph if p in (FCK.cueSpan, FCK.contentSpan, FCK.sourceSpan)]
    for span in spans:  # the emoji is one code point (two UTF-16 units): shift by 2
        for offset in (OA.start, OA.end):
            value = int(graph.value(span, offset)) + 2
            graph.set((span, offset, Literal(value, datatype=XSD.nonNegativeInteger)))
    assert validate_graph(graph).conforms
    span = spans[0]
    for offset in (OA.start, OA.end):  # UTF-16 offsets would be one more
        value = int(graph.value(span, offset)) + 1
        graph.set((span, offset, Literal(value, datatype=XSD.nonNegativeInteger)))
    assert_breaks_only(validate_graph(graph), "StanceSpansQuoteTheArticleBody")


# ------------------------------------------------------------------ API

def test_violation_names_focus_node_path_shape_and_value() -> None:
    result = validate_graph(load(EXAMPLES / "11-invalid-stance-unknown-type.ttl"))
    (violation,) = result.violations
    assert isinstance(violation, Violation)
    assert str(violation.focus_node).startswith("https://w3id.org/factcheck-kg/id/stance/")
    assert violation.path == FCK.stanceType
    assert violation.value == FCK.Ridicules
    assert violation.shape == FCKSH.StanceHasOneKnownStanceType
    assert violation.severity == "Violation"
    assert "Conforms: False" in result.text
    assert not result
    assert isinstance(result.report, Graph)


def test_span_not_in_body_is_reported_with_the_span_as_value() -> None:
    result = validate_graph(load(EXAMPLES / "12-invalid-span-exact-not-in-body.ttl"))
    (violation,) = result.violations
    assert violation.focus_node == FCK.Stance  # one query checks every stance
    assert violation.path == FCK.contentSpan
    assert str(violation.value).endswith("/content")
    assert str(violation.value).startswith("https://w3id.org/factcheck-kg/id/stance/")


def test_validation_does_not_modify_the_input() -> None:
    graph = load(EXAMPLES / "10-invalid-stance-two-holders.ttl")
    dataset = load(EXAMPLES / "01-valid-denial-and-bare-reply.trig")
    sizes = len(graph), len(list(dataset.quads((None, None, None, None))))
    validate_graph(graph)
    validate_graph(dataset)
    assert (len(graph), len(list(dataset.quads((None, None, None, None))))) == sizes


def test_results_are_in_a_stable_order() -> None:
    graph = union_of(load(EXAMPLES / "01-valid-denial-and-bare-reply.trig"))
    graph.update(UPDATE_PREFIXES + "DELETE WHERE { ?s fck:holder ?h }")
    first, second = validate_graph(graph), validate_graph(graph)
    assert len(first.violations) == 4
    assert first.violations == second.violations


def test_other_shapes_file_can_be_given(tmp_path: Path) -> None:
    shapes = tmp_path / "url.ttl"
    shapes.write_text("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX schema: <https://schema.org/>
        <urn:ex:ArticleHasUrl> a sh:PropertyShape ; sh:targetClass schema:NewsArticle ;
            sh:path schema:url ; sh:minCount 1 ; sh:message "An article needs a URL."@en .
    """, encoding="utf-8")
    result = validate_graph(load(MINIMAL), shapes_path=shapes)
    assert [v.message for v in result.violations] == ["An article needs a URL."]


def test_missing_shapes_file_raises_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file"):
        validate_graph(Graph(), shapes_path=tmp_path / "absent.ttl")


def test_unparsable_shapes_file_raises_validation_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot parse"):
        validate_graph(Graph(), shapes_path=broken)


def test_broken_sparql_constraint_raises_validation_error(tmp_path: Path) -> None:
    shapes = tmp_path / "bad-sparql.ttl"
    shapes.write_text("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        <urn:ex:Bad> a sh:NodeShape ; sh:targetClass <urn:ex:C> ;
            sh:sparql [ sh:select "SELECT $this WHERE { this is not SPARQL" ] .
    """, encoding="utf-8")
    graph = Graph()
    graph.add((URIRef("urn:ex:x"), RDF.type, URIRef("urn:ex:C")))
    with pytest.raises(ValidationError):
        validate_graph(graph, shapes_path=shapes)


def test_non_graph_input_raises_validation_error() -> None:
    with pytest.raises(ValidationError, match="expected an rdflib Graph"):
        validate_graph("not a graph")  # type: ignore[arg-type]


def test_empty_graph_conforms() -> None:
    assert validate_graph(Graph()).conforms


def test_ontology_folder_is_found_in_the_source_tree() -> None:
    assert ontology_dir() == REPO / "ontology"


def test_importing_kg_validate_does_not_import_pyshacl() -> None:
    code = "import sys, kg.validate; sys.exit('pyshacl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
