// Compose subgraphs the way `rover supergraph compose` does, with @apollo/composition.
//
//   node compose.mjs < SERVICES.json
//
// SERVICES.json: [{"name": "hanaro", "url": "http://…/graphql", "sdl": "…"}, …]
// Prints {"errors": [{code, message}], "hints": [{code, message, coordinate}],
//         "supergraphSdl": "…" | null}; exits 0 either way (the caller judges).
import { readFileSync } from "node:fs";

import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const services = JSON.parse(readFileSync(0, "utf8")).map(({ name, url, sdl }) => ({
  name,
  url,
  typeDefs: parse(sdl),
}));
const result = composeServices(services);
console.log(
  JSON.stringify({
    errors: (result.errors ?? []).map((e) => ({
      code: e.extensions?.code ?? null,
      message: e.message,
    })),
    hints: (result.hints ?? []).map((h) => ({
      code: h.definition.code,
      message: h.message,
      coordinate: h.coordinate ?? null,
    })),
    supergraphSdl: result.supergraphSdl ?? null,
  }),
);
