// The explorer: view state, panels and the main loop.
