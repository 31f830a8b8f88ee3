"""SHACL validation of a factcheck-kg graph with pySHACL.

The shapes live in ``ontology/shapes.ttl`` and the ontology in ``ontology/factcheck.ttl``.
Validation runs over one graph: a :class:`rdflib.Dataset` (one named graph per article
plus the shared graph) is first copied into a single graph, because the rules cross graphs
(a stance in an article's graph points to a claim in the shared graph).

Inference is ``"none"``: pySHACL mixes the ontology into (a copy of) the data graph, and
SHACL targets and ``sh:class`` already follow ``rdfs:subClassOf`` there, so a subclass
declared in the ontology is checked like its superclass. RDFS inference would add nothing
the shapes need, would make ``sh:class`` checks vacuous (``rdfs:range`` would type every
object of ``fck:claim`` as a ``schema:Claim``) and is slow on large graphs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import ValidationError

log = logging.getLogger(__name__)

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "factcheck.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    ``focus_node`` is the node that broke the rule, ``path`` the property concerned (``None``
    for node-level rules), ``value`` the offending value if any, ``shape`` the shape that
    reported it (named after its rule, e.g. ``fcksh:StanceHasExactlyOneHolder``) and
    ``message`` that shape's plain-English message.
    """

    focus_node: Node
    path: Node | None
    message: str
    shape: Node
    value: Node | None = None
    severity: str = "Violation"


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of :func:`validate_graph`: whether the graph conforms, and why not."""

    conforms: bool
    violations: tuple[Violation, ...]
    text: str
    report: Graph | None = field(default=None, compare=False, repr=False)

    def __bool__(self) -> bool:
        return self.conforms


def ontology_dir() -> Path:
    """The folder holding ``factcheck.ttl`` and ``shapes.ttl``.

    In the source tree it is ``ontology/`` next to the ``kg`` package; an installed
    package may ship it as ``kg/ontology``.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "ontology", package / "ontology"):
        if (candidate / SHAPES_FILE).is_file():
            return candidate
    raise ValidationError(
        f"cannot find {SHAPES_FILE}: expected it in {package.parent / 'ontology'} "
        f"or {package / 'ontology'}"
    )


def validate_graph(
    data: Graph | Dataset,
    *,
    shapes_path: str | Path | None = None,
    ontology_path: str | Path | None = None,
) -> ValidationResult:
    """Validate ``data`` against the factcheck-kg SHACL shapes.

    Parameters
    ----------
    data : rdflib.Graph or rdflib.Dataset
        The graph to check; for a Dataset (or ConjunctiveGraph) the union of all its
        graphs is checked. ``data`` is never modified.
    shapes_path, ontology_path : path, optional
        Other shapes or ontology files (default: the project's ``ontology/`` files).

    Returns
    -------
    ValidationResult
        ``conforms``, the violations sorted by shape then focus node, and pySHACL's text.

    Raises
    ------
    kg.errors.ValidationError
        If a file is missing or unparsable, or pySHACL cannot run the shapes.
    """
    import pyshacl  # lazy: importing kg stays cheap
    from pyshacl.errors import ReportableRuntimeError

    shapes = _load(Path(shapes_path) if shapes_path else ontology_dir() / SHAPES_FILE)
    ontology = _load(Path(ontology_path) if ontology_path else ontology_dir() / ONTOLOGY_FILE)
    union, is_copy = _as_one_graph(data)
    try:
        conforms, report, text = pyshacl.validate(
            union,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            inplace=is_copy,  # a fresh union may be mixed in place; a caller's graph not
            abort_on_first=False,
            allow_warnings=False,
        )
    except ReportableRuntimeError as exc:
        raise ValidationError(f"SHACL validation could not run: {exc.message}") from exc
    except Exception as exc:  # pySHACL raises plain exceptions on broken shapes too
        raise ValidationError(f"SHACL validation could not run: {exc}") from exc
    if not isinstance(report, Graph):  # pySHACL returns a ValidationFailure on errors
        raise ValidationError(f"SHACL validation could not run: {text}")
    violations = _violations(report)
    log.debug("SHACL: conforms=%s, %d results", conforms, len(violations))
    return ValidationResult(bool(conforms), violations, str(text), report)


def _load(path: Path) -> Graph:
    """Parse a Turtle file, turning every failure into a ValidationError."""
    if not path.is_file():
        raise ValidationError(f"{path}: no such file (expected a Turtle file)")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:
        raise ValidationError(f"{path}: cannot parse as Turtle: {exc}") from exc


def _as_one_graph(data: Graph | Dataset) -> tuple[Graph, bool]:
    """``data`` itself for a plain Graph, else a new Graph holding the union of all graphs."""
    if not isinstance(data, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        if not isinstance(data, Graph):
            raise ValidationError(f"expected an rdflib Graph or Dataset, got {type(data).__name__}")
        return data, False
    union = Graph()
    for prefix, namespace in data.namespaces():
        union.bind(prefix, namespace, override=False)
    union.addN((s, p, o, union) for s, p, o, _ in data.quads((None, None, None, None)))
    return union, True


def _violations(report: Graph) -> tuple[Violation, ...]:
    """Every sh:ValidationResult of a pySHACL report, in a stable order."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        found.append(Violation(
            focus_node=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            message=_message(report, result),
            shape=report.value(result, SH.sourceShape),
            value=report.value(result, SH.value),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    found.sort(key=lambda v: (str(v.shape), str(v.focus_node), str(v.path), str(v.value)))
    return tuple(found)


def _message(report: Graph, result: Node) -> str:
    """The result's message, English or untagged first; else the constraint component."""
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    messages.sort(key=lambda m: (m.language not in (None, "en"), str(m)))
    if messages:
        return str(messages[0])
    component = report.value(result, SH.sourceConstraintComponent)
    return f"violates {component}" if component else "SHACL violation"


__all__ = ["Violation", "ValidationResult", "validate_graph", "ontology_dir"]
