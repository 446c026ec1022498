// GlassBoxExplorer — the terminal explorer (`glassbox explore`).
//
// Data flows one way:
//
//   ExplorerLoader (model, data, embedding, index)  →  ExplorerSession (immutable data)
//   key / mouse  →  Command (InputRouter, ExplorerKeyMap)  →  reduce(state, command, context)
//                →  (ExplorerState, [Effect])
//   [Effect]  →  EffectRunner  →  BackgroundComputation, SelectionComputation  →  ContributionStore
//   ExplorerState + session + results  →  ExplorerRenderer.plan (FrameLayout)  →  render (widgets)
//                →  Terminal  →  screen
//
// The reducer reads the plan's layout (pages, hit areas) of the frame on screen; rendering
// reads the state and the data and starts nothing.
//
// `State/` is pure (the reducer, the key tables; unit-tested as values), `Data/` owns the
// numbers and the background work, `Analysis/` the selection, compare, verification and
// groups views, `View/` the widgets and the layout, `App/` the main loop, the effects and the
// terminal's lifecycle. One thread — the main loop's — makes every curses call.
