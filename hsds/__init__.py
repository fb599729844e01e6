"""Open Referral HSDS 3.0: Hanaro's directory as HSDS documents, and HSDS documents into
Hanaro.

- `ids`: HSDS ids (UUIDs) for Hanaro records, and Hanaro ids for imported ones
- `documents`: the copies of the HSDS schemas (`schema/` and `examples/` beside these
  modules; source commit and licence in README.md) and their validators
- `mapping`: presented records -> HSDS dicts (services, organizations, locations, terms)
- `feed`: what the `/hsds` routes return: lists with HSDS's page envelope, single records
- `taxonomies`: the Hanaro needs taxonomy and imported taxonomies on the feed
- `reading`: files, directories and ndjson -> documents of known kinds
- `intake`: one HSDS record -> Hanaro input (needs, regions, contact, place)
- `importer`: HSDS documents -> institutions, taxonomies and resources, through the API's paths
- `export`: the public directory as HSDS documents

None of it is a GraphQL resolver: it sits beside `schema`, on top of `resolvers` and `graph`
(`server` -> `hsds` -> `resolvers` -> `graph`), and nothing below it imports it. Submodules
import what they need; this package imports nothing, so importing one submodule loads only
its own dependencies."""
