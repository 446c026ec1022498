// GlassBoxExplorer — the terminal explorer (`glassbox explore`).
//
// Data flows one way:
//
//   ExplorerLoader (model, CSV, embedding, index)  →  ExplorerSession (immutable data)
//   BackgroundComputation (engine on a Dispatch queue)  →  ContributionStore (locked results)
//   key / mouse  →  Command (ExplorerKeyMap, InputRouter)  →  reduce(state, command, context)
//   ExplorerState + session + store  →  ExplorerRenderer (panels as widgets)  →  Terminal  →  screen
//
// `State/` is pure (unit-tested navigation), `Data/` owns the numbers and the background work,
// `View/` holds the widgets and the layout, `App/` the main loop and the terminal's lifecycle.
// One thread — the main loop's — makes every curses call.
