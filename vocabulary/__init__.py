"""The words every layer shares, defined once at the bottom of the house (graph, search,
resolvers, schema and server import them; none redefines them)."""
