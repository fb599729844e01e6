"""`hanaro`: serve the API, run the demo, issue dev tokens, rebuild the search index, import and
export Open Referral HSDS documents, print the subgraph schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from graph.programs import RuleFileError
from search.thesaurus import DEFAULT_THESAURUS, Thesaurus, ThesaurusError
from server.auth import issue_token, load_secret
from server.engines import StartupError, open_backends
from server.logs import configure_logging
from server.settings import ENGINE_SETS, Settings, SettingsError

__all__ = ["configure_logging", "main"]

log = logging.getLogger("hanaro")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
        engines=getattr(args, "engines", None),
    )


async def _serve(settings: Settings, *, demo: bool, reset: bool) -> None:
    from demo.load import load_demo
    from server.app import create_app
    from server.runtime import running
    from server.trusted_documents import load_manifest

    if settings.trusted_documents is not None:
        load_manifest(settings.trusted_documents)  # a wrong manifest stops us before the engines
    backends = await open_backends(settings)
    try:
        if demo:
            print("loading the demo data set ...", flush=True)
            counts = await load_demo(backends.graph, reset=reset)
            print(f"  {counts}", flush=True)
        async with running(backends) as runtime:
            server = uvicorn.Server(
                uvicorn.Config(
                    create_app(runtime, demo=demo),
                    host=settings.host,
                    port=settings.port,
                    log_level="info",
                    # Hanaro logs each GraphQL request itself (server/observation.py); in JSON
                    # uvicorn's own lines go through the same JSON handler.
                    access_log=False,
                    log_config=None
                    if settings.log_format == "json"
                    else uvicorn.config.LOGGING_CONFIG,
                    lifespan="off",
                    ws_max_size=settings.max_body_bytes,  # the body limit, for socket messages
                    # SIGTERM: stop accepting, close sockets (1012), wait for requests in flight.
                    timeout_graceful_shutdown=settings.shutdown_grace_seconds,
                )
            )
            # Announce once the socket listens, so the address printed already answers.
            announcer = asyncio.create_task(_announce(server, settings, runtime.secret, demo))
            try:
                await server.serve()
            finally:
                announcer.cancel()
    finally:
        await backends.close()


async def _announce(server: uvicorn.Server, settings: Settings, secret: str, demo: bool) -> None:
    while not server.started:
        await asyncio.sleep(0.05)
    url = f"http://{settings.host}:{settings.port}/graphql"
    print(f"\nHanaro serves GraphQL at {url} (GraphiQL in a browser)", flush=True)
    print(f"The web app: http://{settings.host}:{settings.port}/", flush=True)
    if demo:
        _print_demo_tokens(secret, shell=False)
        print(
            "(`hanaro demo --tokens` prints them again; `--tokens --shell` as shell variables.)",
            flush=True,
        )
    print("\nPress Ctrl-C to stop the server and its engines.\n", flush=True)


def _print_demo_tokens(secret: str, *, shell: bool) -> None:
    """The demo users' tokens: labelled for people, or as `export NAME=token` lines for
    `eval "$(hanaro demo --tokens --shell)"` (names: SENDER, RECEIVER, REGISTRANT,
    REGIONAL_ADMIN, PLATFORM_ADMIN)."""
    from server.demo_tokens import demo_user_tokens

    users = demo_user_tokens(secret)
    if shell:
        for user, token in users:
            variable = user.key.upper().replace("-", "_")
            print(f"export {variable}={token}  # {user.label}", flush=True)
        return
    print("\nDev tokens (send as 'Authorization: Bearer <token>'):", flush=True)
    for user, token in users:
        print(f"  {user.key}: {user.label}\n    {token}", flush=True)


async def _hsds_import(settings: Settings, args: argparse.Namespace) -> int:
    """Load HSDS documents; 0 when every record loaded, 1 when some were rejected."""
    from hsds.importer import Importer
    from hsds.reading import read_documents
    from server.progress import ProgressBar
    from server.runtime import running

    path = Path(args.path)
    documents, unreadable = read_documents(path)
    print(f"read {len(documents)} HSDS documents from {path}", flush=True)
    backends = await open_backends(settings)
    bar = ProgressBar("importing")
    try:
        async with running(backends, rebuild_index=False) as runtime:
            importer = Importer(
                runtime.services,
                actor=args.actor,
                source=str(path),
                default_region=args.default_region,
                default_need=args.default_need,
                progress=bar.update,
            )
            report = await importer.run(documents)
    finally:
        bar.close()
        await backends.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in [*unreadable, *report.problems]:
        print(f"rejected: {problem}", file=sys.stderr)
    print(f"imported: {report.summary()}", flush=True)
    return 1 if unreadable or report.problems else 0


async def _hsds_export(settings: Settings, directory: Path) -> int:
    """Write the public directory as HSDS documents, each checked against its schema."""
    import json

    from hsds.documents import validate
    from hsds.export import export_documents
    from server.runtime import running

    folders = {"organization": "organizations", "taxonomy": "taxonomies",
               "taxonomy_term": "taxonomy_terms"}  # fmt: skip
    counts = dict.fromkeys(folders, 0)
    invalid = 0
    backends = await open_backends(settings)
    try:
        async with running(backends, rebuild_index=False) as runtime:
            async for kind, document in export_documents(runtime.services):
                problems = validate(kind, document)
                if problems:
                    invalid += 1
                    print(f"invalid {kind} {document['id']}: {problems[0]}", file=sys.stderr)
                folder = directory / folders[kind]
                folder.mkdir(parents=True, exist_ok=True)
                text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
                (folder / f"{document['id']}.json").write_text(text, encoding="utf-8")
                counts[kind] += 1
    finally:
        await backends.close()
    written = ", ".join(f"{n} {folders[k]}" for k, n in counts.items())
    print(f"exported {written} to {directory}", flush=True)
    return 1 if invalid else 0


async def _reindex(settings: Settings) -> None:
    from server.runtime import running
    from server.sync import rebuild_from_graph

    backends = await open_backends(settings)
    try:
        async with running(backends, rebuild_index=False) as runtime:
            name, count = await rebuild_from_graph(runtime.sync, nori=settings.search_nori)
            print(f"indexed {count} resources into {name}; alias {settings.search_index} moved")
    finally:
        await backends.close()


async def _membership_scan(settings: Settings, region: str | None, restart: bool) -> None:
    from resolvers.errors import HanaroError
    from resolvers.membership import scan
    from server.runtime import running

    backends = await open_backends(settings)
    try:
        async with running(backends, rebuild_index=False) as runtime:
            started = time.monotonic()

            def progress(done: int, last: str) -> None:
                rate = done / max(time.monotonic() - started, 1e-6)
                print(f"  scanned {done} recipients (up to {last}), {rate:,.0f}/s", flush=True)

            try:
                result = await scan(
                    runtime.services, region=region, restart=restart, progress=progress
                )
            except HanaroError as exc:
                raise SettingsError(f"membership scan: {exc.message}") from exc
            print(
                f"scanned {result['scanned']} recipients; {result['recommendations']} "
                "recommendations recorded or refreshed",
                flush=True,
            )
    finally:
        await backends.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hanaro",
        description="Hanaro: resource and referral directory for public-private welfare "
        "collaboration. Settings come from HANARO_* environment variables (see README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def engine_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", help="data directory of the engines (HANARO_DATA_DIR, ./data)")
        p.add_argument(
            "--engines",
            choices=ENGINE_SETS,
            help="engines Hanaro starts for roles without a cluster (HANARO_ENGINES, default "
            "embedded: FalkorDB + osmem; local: Neo4j 5 + OpenSearch 2.19, needs Java 17 "
            "and Maven)",
        )

    def server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", help="address to listen on (HANARO_HOST, default 127.0.0.1)")
        p.add_argument("--port", type=int, help="port (HANARO_PORT, default 8000)")
        engine_options(p)

    serve = commands.add_parser("serve", help="serve the GraphQL API")
    server_options(serve)
    demo = commands.add_parser("demo", help="load the Jeju demo data set and serve it")
    server_options(demo)
    demo.add_argument("--reset", action="store_true", help="empty the graph before loading")
    demo.add_argument(
        "--tokens",
        action="store_true",
        help="only print the demo users' dev tokens for the data dir (a running demo's or a "
        "fresh one), without starting anything",
    )
    demo.add_argument(
        "--shell", action="store_true", help="with --tokens: as `export NAME=token` lines"
    )
    token = commands.add_parser("token", help="print a signed dev token (HS256)")
    token.add_argument("--sub", required=True, help="subject (staff member id)")
    token.add_argument("--inst", required=True, help="institution id, e.g. ins_0123abcd")
    token.add_argument(
        "--roles",
        default="CASEWORKER",
        help="comma-separated: CASEWORKER,REGISTRANT,ADMIN,PLATFORM_ADMIN,VILLAGE_PLANNER",
    )
    token.add_argument("--ttl", type=int, default=86400, help="lifetime in seconds (86400)")
    token.add_argument("--data-dir", help="where the generated key is kept (HANARO_DATA_DIR)")
    reindex = commands.add_parser(
        "reindex", help="rebuild the search index from the graph and swap the alias"
    )
    engine_options(reindex)
    membership = commands.add_parser(
        "membership", help="proactive eligibility (복지멤버십): `hanaro membership scan`"
    )
    membership_commands = membership.add_subparsers(dest="action", required=True)
    scan = membership_commands.add_parser(
        "scan",
        help="evaluate every recipient against the programmes and record recommendations "
        "(resumable: a stopped scan continues where it stopped)",
    )
    scan.add_argument("--region", help="only recipients living in this region (code) or below")
    scan.add_argument("--restart", action="store_true", help="start over, ignoring progress")
    engine_options(scan)
    hsds = commands.add_parser(
        "hsds", help="exchange the directory as Open Referral HSDS 3.0 documents"
    )
    hsds_commands = hsds.add_subparsers(dest="hsds_command", required=True, metavar="ACTION")
    load = hsds_commands.add_parser(
        "import",
        help="load HSDS documents (organizations with services, services, taxonomies, terms)",
    )
    load.add_argument("path", help="a .json file, an .ndjson file, or a directory of them")
    engine_options(load)
    load.add_argument(
        "--default-region", default="50", help="region for services HSDS places nowhere known (50)"
    )
    load.add_argument(
        "--default-need",
        default="DAILY_LIVING",
        help="need for services with no Hanaro term or need word (DAILY_LIVING)",
    )
    load.add_argument("--actor", default="hsds-import", help="who the audit log names")
    dump = hsds_commands.add_parser(
        "export", help="write the public directory as HSDS documents into DIR"
    )
    dump.add_argument("dir", help="output directory (organizations/, taxonomies/, ...)")
    engine_options(dump)
    engines = commands.add_parser(
        "engines", help="the local engines (Neo4j, OpenSearch): `hanaro engines fetch`"
    )
    engines_commands = engines.add_subparsers(dest="action", required=True)
    engines_commands.add_parser(
        "fetch",
        help="fetch the local engines' jars with Maven (once) and compile their launchers",
    )
    thesaurus = commands.add_parser(
        "thesaurus", help="the search thesaurus: `hanaro thesaurus check [FILE]`"
    )
    thesaurus_commands = thesaurus.add_subparsers(dest="action", required=True)
    check = thesaurus_commands.add_parser(
        "check", help="validate a thesaurus file and show what sample queries expand to"
    )
    check.add_argument(
        "file", nargs="?", help="default: HANARO_SEARCH_THESAURUS, else the bundled one"
    )
    check.add_argument("--query", action="append", default=[], help="a query to expand")
    schema = commands.add_parser(
        "schema", help="print the federation subgraph SDL (what `_service { sdl }` returns)"
    )
    schema.add_argument("--output", help="write it to this file instead, e.g. schema.graphql")
    return parser


def _print_schema(output: str | None) -> None:
    """The SDL a supergraph is composed from; needs no engines or settings."""
    from schema import build_schema

    sdl = build_schema().as_str() + "\n"
    if output:
        Path(output).write_text(sdl, encoding="utf-8")
    else:
        sys.stdout.write(sdl)


def _check_thesaurus(settings: Settings, file: str | None, queries: list[str]) -> None:
    """Raises ThesaurusError naming the bad entry; no engine is needed."""
    path = Path(file) if file else settings.search_thesaurus or DEFAULT_THESAURUS
    thesaurus = Thesaurus.load(path)
    print(f"{path}: {len(thesaurus.entries)} entries, valid")
    covered = thesaurus.covered_words()
    if covered:
        print(f"{len(covered)} word(s) add nothing (another word of the entry matches first):")
        for line in covered:
            print(f"  {line}")
    for query in queries:
        found = thesaurus.expand(query)
        meanings = ", ".join(f"{e.word} → {e.means}" for e in found) or "nothing"
        print(f"  {query!r}: {meanings}")


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging()
    if args.command == "schema":
        _print_schema(args.output)
        return 0
    try:
        if args.command == "engines":
            from server.local_engines import NEO4J, OPENSEARCH, fetch

            for program in (NEO4J, OPENSEARCH):
                fetch(program, say=lambda line: print(line, flush=True))
            print("local engines ready: Neo4j and OpenSearch jars fetched, launchers compiled")
            return 0
        settings = _settings(args)
        configure_logging(settings.log_format)
        if args.command == "token":
            from vocabulary.access import ROLES

            if not re.match(r"^ins_[0-9a-z]{6,40}$", args.inst):
                print("hanaro: --inst must be an institution id like ins_0123abcd", file=sys.stderr)
                return 2
            roles = [r.strip().upper() for r in args.roles.split(",") if r.strip()]
            if not roles or not set(roles) <= ROLES:
                print(f"hanaro: --roles must be from {', '.join(sorted(ROLES))}.", file=sys.stderr)
                return 2
            print(
                issue_token(
                    load_secret(settings),
                    subject=args.sub,
                    institution_id=args.inst,
                    roles=roles,
                    ttl_seconds=args.ttl,
                )
            )
            return 0
        if args.command == "demo" and args.tokens:
            # The key is read (or created) in the data dir: no engine, no lock.
            _print_demo_tokens(load_secret(settings), shell=args.shell)
            return 0
        if args.command == "hsds" and args.hsds_command == "import":
            return asyncio.run(_hsds_import(settings, args))
        if args.command == "hsds":
            return asyncio.run(_hsds_export(settings, Path(args.dir)))
        if args.command == "thesaurus":
            _check_thesaurus(settings, args.file, args.query)
            return 0
        if args.command == "reindex":
            asyncio.run(_reindex(settings))
            return 0
        if args.command == "membership":
            asyncio.run(_membership_scan(settings, args.region, args.restart))
            return 0
        # SIGTERM (an orchestrator stopping a replica): Uvicorn drains and then raises the
        # signal again under the handler found here; exiting through the `finally` blocks
        # gives job leases up and stops engine children, which the default (die) would not.
        signal.signal(signal.SIGTERM, _terminated)
        # An invalid thesaurus stops the start before any engine is started.
        Thesaurus.load(settings.search_thesaurus or DEFAULT_THESAURUS)
        asyncio.run(
            _serve(settings, demo=args.command == "demo", reset=getattr(args, "reset", False))
        )
        return 0
    except (StartupError, SettingsError, RuleFileError, ThesaurusError) as exc:
        print(f"hanaro: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
