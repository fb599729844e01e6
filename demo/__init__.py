"""The Jeju demo (`hanaro demo`): a deterministic directory of institutions and resources, and
recipients, referrals, intakes, a care conference and applications written through the
product's own statements, so every screen and access rule can be tried at once.

- `data/`: the fixed parts as JSON (institutions, roads, staff names, resource templates,
  people); `files` reads them
- `institutions`, `resources`, `dataset`: the generated directory (`build_demo_dataset`)
- `people`, `referrals`, `intake`, `conferences`, `applications`: what each loader writes
- `users`: the demo users of the README tour; `load`: `load_demo`, the whole set

It sits beside `server` (`server` -> `demo` -> `resolvers`, `graph`) and never imports it: the
dev tokens for the demo users are minted in `server.demo_tokens`. This package imports
nothing, so importing one submodule loads only its own dependencies."""
