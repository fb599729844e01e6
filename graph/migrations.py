"""Schema migrations: uniqueness constraints and indexes per dialect, then the seed data.

Every step checks what exists first or uses `IF NOT EXISTS`, so `migrate` runs at every
start. The DDL is the only dialect-specific Cypher in the project."""

from __future__ import annotations

from graph.engine import GraphEngine
from graph.falkordb import FalkorDBEngine
from graph.needs import load_need_seed, seed_needs
from graph.programs import load_program_seed, seed_programs
from graph.regions import load_region_seed, seed_regions

__all__ = ["INDEXES", "LEGACY_OUTBOX", "UNIQUE_KEYS", "migrate", "neo4j_ddl", "unique_keys"]

# (label, property) pairs that identify a node.
UNIQUE_KEYS: tuple[tuple[str, str], ...] = (
    ("Region", "code"),
    ("Need", "code"),
    ("Institution", "id"),
    ("Resource", "id"),
    ("Program", "id"),
    ("Recipient", "id"),
    ("Assessment", "id"),
    ("Consent", "id"),
    ("Enrollment", "id"),
    ("Case", "id"),
    ("CaseNote", "id"),
    ("Referral", "id"),
    ("Intake", "id"),
    ("CrisisReport", "id"),
    ("Application", "id"),
    ("Conference", "id"),
    ("ConferenceSession", "id"),
    ("ConferenceAction", "id"),
    ("AuditEvent", "id"),
    ("Recommendation", "id"),
    ("ScanState", "id"),
    ("OutboxMarker", "entityId"),
    ("JobLease", "name"),
    # The national id's keyed hash: one person, one record, even when two institutions
    # register the same person at the same moment (the duplicate test in the registering
    # statement reads before either commits on Neo4j). Recipients without one lack the property.
    ("Recipient", "idHash"),
    # Open Referral HSDS ids (UUIDs) of exchanged records and of imported taxonomies.
    ("Resource", "hsdsId"),
    ("Institution", "hsdsId"),
    ("Taxonomy", "hsdsId"),
    ("TaxonomyTerm", "hsdsId"),
)

# Lookups that are not unique keys.
INDEXES: tuple[tuple[str, str], ...] = (
    ("Resource", "providerId"),
    ("Resource", "status"),
    ("Institution", "regionCode"),
    ("OutboxMarker", "pendingSince"),
    ("Recipient", "regionCode"),
    ("AuditEvent", "entityId"),
    ("Recommendation", "regionCode"),
    ("Referral", "status"),
    ("Intake", "status"),
    ("CrisisReport", "assignedTo"),
    ("Application", "takenBy"),
    ("Application", "forwardedTo"),
    ("ConferenceAction", "assignee"),
    ("Referral", "fromInstitutionId"),
    ("Referral", "toInstitutionId"),
    # The replicas' referral-event follower reads what changed in the last few seconds.
    ("Referral", "updatedAt"),
    ("TaxonomyTerm", "taxonomyId"),
    ("TaxonomyTerm", "parentId"),
)


def neo4j_ddl() -> list[str]:
    """Labels are back-quoted: `Case` is a Cypher keyword."""
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_{prop.lower()}_unique IF NOT EXISTS "
        f"FOR (n:`{label}`) REQUIRE n.{prop} IS UNIQUE"
        for label, prop in UNIQUE_KEYS
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_{prop.lower()} IF NOT EXISTS FOR (n:`{label}`) ON (n.{prop})"
        for label, prop in INDEXES
    ]
    return statements


NEO4J_UNIQUE_KEYS = """SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
WHERE type IN ['UNIQUENESS', 'NODE_PROPERTY_UNIQUENESS'] AND size(properties) = 1
RETURN labelsOrTypes[0] AS label, properties[0] AS property"""


async def unique_keys(graph: GraphEngine) -> set[tuple[str, str]]:
    """The (label, property) pairs that a uniqueness constraint holds (FalkorDB: built or being
    built; a failed constraint does not count)."""
    if isinstance(graph, FalkorDBEngine):
        return {
            (row["label"], row["properties"][0])
            for row in await graph.run("CALL db.constraints()")
            if row["status"] in {"OPERATIONAL", "PENDING"} and len(row["properties"]) == 1
        }
    return {(row["label"], row["property"]) for row in await graph.run(NEO4J_UNIQUE_KEYS)}


async def _falkordb_schema(graph: FalkorDBEngine) -> None:
    """FalkorDB needs a range index under each unique constraint, and creates constraints with
    a command rather than Cypher."""
    indexed = {
        (row["label"], prop)
        for row in await graph.run("CALL db.indexes()")
        for prop in row["properties"]
    }
    for label, prop in UNIQUE_KEYS + INDEXES:
        if (label, prop) not in indexed:
            await graph.run(f"CREATE INDEX FOR (n:`{label}`) ON (n.{prop})", write=True)
    constrained = await unique_keys(graph)
    for label, prop in UNIQUE_KEYS:
        if (label, prop) not in constrained:
            await graph.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", graph.graph_name,
                "UNIQUE", "NODE", label, "PROPERTIES", 1, prop,
            )  # fmt: skip


NEO4J_SCHEMA_NAMES = "SHOW INDEXES YIELD name RETURN collect(name) AS names"


async def _neo4j_schema(graph: GraphEngine) -> None:
    """Only the missing constraints and indexes are created (each creation is a schema
    transaction; at every start, and in tests before every test, one look is cheaper)."""
    present = set((await graph.run(NEO4J_SCHEMA_NAMES))[0]["names"])
    for statement in neo4j_ddl():
        if statement.split()[2] not in present:
            await graph.run(statement, write=True)


# Graphs written before outbox markers hold one OutboxEvent per write: each resource they name
# becomes pending (since its oldest event), then the events go. Runs before the server serves,
# so no write interleaves with the deletes (see graph/outbox.py for why that matters).
LEGACY_OUTBOX = """MATCH (o:OutboxEvent)
WITH o.entity AS entity, o.entityId AS entityId, min(o.createdAt) AS since
MERGE (m:OutboxMarker {entityId: entityId})
SET m.entity = entity, m.seq = coalesce(m.seq, 0) + 1,
    m.pendingSince = coalesce(m.pendingSince, since)
RETURN count(m) AS converted"""

DROP_LEGACY_OUTBOX = """MATCH (o:OutboxEvent)
DELETE o
RETURN count(*) AS dropped"""


async def migrate(graph: GraphEngine) -> None:
    """Create constraints and indexes, then upsert the regions, the need taxonomy and the
    programmes (whose rules are checked first: a bad rule raises `RuleFileError`)."""
    if isinstance(graph, FalkorDBEngine):
        await _falkordb_schema(graph)
    else:
        await _neo4j_schema(graph)
    await graph.run(LEGACY_OUTBOX, write=True)
    await graph.run(DROP_LEGACY_OUTBOX, write=True)
    regions = load_region_seed()
    needs = load_need_seed()
    await seed_regions(graph, regions)
    await seed_needs(graph, needs)
    programs = load_program_seed({n["code"] for n in needs}, {r["code"] for r in regions})
    await seed_programs(graph, programs)
