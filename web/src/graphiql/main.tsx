// Hanaro's GraphiQL, bundled with the app so that it renders on a network without the
// internet. Queries go to /graphql; subscriptions over graphql-transport-ws on the same path,
// authenticated with the Authorization header typed into the headers editor (or the token of
// the web app's session in this tab, prefilled).
import "graphiql/style.css";
import "./graphiql.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createClient } from "graphql-ws";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { TOKEN_KEY } from "../auth/storage";

const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
const token = sessionStorage.getItem(TOKEN_KEY);
const headers = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined;

// The socket authenticates with what connection_init carries: the headers of the operation
// that opened it (Strawberry reads "Authorization" from the payload).
let socketHeaders: Record<string, unknown> = {};
const wsClient = createClient({
  url: wsUrl,
  lazy: true,
  connectionParams: () => socketHeaders,
});
const fetcher = createGraphiQLFetcher({ url: "/graphql", wsClient });
const withSocketHeaders: typeof fetcher = (params, options) => {
  socketHeaders = (options?.headers as Record<string, unknown>) ?? {};
  return fetcher(params, options);
};

const DEFAULT_QUERY = `# Hanaro GraphQL — every asset of this page is served by Hanaro.
# Put {"Authorization": "Bearer <token>"} in Headers below to act as staff.
{
  viewer { anonymous subject roles institution { name } }
  needs { code labelKo labelEn }
}
`;

createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <GraphiQL fetcher={withSocketHeaders} defaultQuery={DEFAULT_QUERY} defaultHeaders={headers} />
  </StrictMode>,
);
