// The `benefits` subgraph (schema in benefits.graphql): a second team's service that adds
// funding facts to Hanaro's entities. It owns no resource data besides its own fields.
//
//   node benefits.mjs DATA.json     listens on 127.0.0.1 (a free port) and prints one line:
//                                   {"url": "http://127.0.0.1:PORT/"}
//
// DATA.json: {"resources": {"res_…": {"fundingSource": "…", "benefitAmount": 1}},
//             "institutions": {"ins_…": ["programme", …]},
//             "recipients": {"rcp_…": [{"month": "2026-10", "amountKrw": 1}]}}
import { readFileSync } from "node:fs";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

const typeDefs = parse(readFileSync(new URL("./benefits.graphql", import.meta.url), "utf8"));

const data = JSON.parse(readFileSync(process.argv[2], "utf8"));
const resources = data.resources ?? {};
const institutions = data.institutions ?? {};
const recipients = data.recipients ?? {};

const resource = (id) => ({ fundingSource: null, benefitAmount: null, ...resources[id], id });
const institution = (id) => ({ id, fundingPrograms: institutions[id] ?? [] });
const recipient = (id) => ({ id, benefitPayments: recipients[id] ?? [] });

const resolvers = {
  Query: {
    fundedResources: () => Object.keys(resources).map(resource),
    paidRecipients: () => Object.keys(recipients).map(recipient),
  },
  Recipient: { __resolveReference: ({ id }) => recipient(id) },
  Resource: { __resolveReference: ({ id }) => resource(id) },
  Institution: { __resolveReference: ({ id }) => institution(id) },
};

const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers }]) });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });
console.log(JSON.stringify({ url }));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.stop().finally(() => process.exit(0)));
}
